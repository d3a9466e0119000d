"""export_all / import_all: every row and every original, there and back.

Runs on SQLite and on PostgreSQL (`.ci/with-postgres .venv/bin/python -m
pytest tests/reports/test_backup.py`).
"""

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from reports.backup import TABLES, _model
from reports.models import AnnualReport, Deadline, Notification, ReviewEvent
from reports.services import report_return, report_save_values
from tests.conftest import World
from tests.factories import make_report, make_user
from tests.reports.services.test_review import submitted

User = get_user_model()


@pytest.fixture
def filled(world: World, settings: Any, tmp_path: Path) -> World:
    """A database with some of everything, originals included."""
    settings.MEDIA_ROOT = str(tmp_path / "media-before")
    report = submitted(world)  # values, sections, a review event, notices
    report_return(
        report=report,
        user=world.reviewer,
        expected_version=report.version,
        comment="请核对第一项",
        cells=["a1_total"],
    )
    other = make_report(agency=world.other_bureau, year=2016, values={"a1_total": 3})
    report_save_values(
        report=other,
        user=world.outsider,
        expected_version=other.version,
        values={"a1_total": "4"},
        source_file=("统计表.xlsx", b"PK\x03\x04 original bytes \xff"),
    )
    Deadline.objects.create(
        year=2017, government_due=date(2018, 3, 31), department_due=date(2018, 1, 31)
    )
    group = Group.objects.create(name="统计科")
    group.permissions.add(Permission.objects.get(codename="view_deadline"))
    world.outsider.groups.add(group)
    make_user(username="admin", superuser=True)
    assert Notification.objects.exists() and ReviewEvent.objects.count() == 2
    assert AuditEvent.objects.exists()
    return world


def snapshot() -> dict[str, Any]:
    """Every row of every table kept, and every original's bytes."""
    rows: dict[str, Any] = {
        label: list(_model(label).objects.order_by("pk").values()) for label in TABLES
    }
    rows["auth.user"] = [
        {
            **values,
            "groups": sorted(
                User.objects.get(pk=values["id"]).groups.values_list("name", flat=True)
            ),
        }
        for values in User.objects.order_by("pk").values()
    ]
    rows["auth.group"] = {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    rows["files"] = {
        report.source_file.name: report.source_file.read()
        for report in AnnualReport.objects.exclude(source_file="")
    }
    return rows


def wipe() -> None:
    """Empty the database as a fresh migrate leaves it (groups stay)."""
    Notification.objects.all().delete()
    ReviewEvent.objects.all().delete()
    AnnualReport.objects.all().delete()
    Deadline.objects.all().delete()
    _model("agencies.agency").objects.all().delete()
    User.objects.all().delete()
    Group.objects.filter(name="统计科").delete()
    AuditEvent.objects.all().delete()


def test_a_round_trip_loses_and_changes_nothing(
    filled: World, settings: Any, tmp_path: Path
) -> None:
    before = snapshot()
    assert before["files"]  # an original is part of it
    backup = tmp_path / "backup.zip"
    call_command("export_all", str(backup), stdout=None)
    with zipfile.ZipFile(backup) as archive:
        names = set(archive.namelist())
    assert "manifest.json" in names and "reports.reportvalue.jsonl" in names
    wipe()
    settings.MEDIA_ROOT = str(tmp_path / "media-after")  # the files come back
    assert not default_storage.exists(next(iter(before["files"])))
    call_command("import_all", str(backup), stdout=None)
    after = snapshot()
    for label in before:
        assert after[label] == before[label], label
    # Passwords (hashes) work after the restore; new rows get new ids.
    restored = User.objects.get(username="clerk")
    assert restored.check_password("test-pass-123")
    newest = make_report(agency=filled.district, year=2016)
    assert newest.pk > max(r["id"] for r in before["reports.annualreport"])


def test_import_all_refuses_a_database_that_is_not_empty(
    filled: World, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.zip"
    call_command("export_all", str(backup), stdout=None)
    before = snapshot()
    with pytest.raises(CommandError, match="数据库不是空的"):
        call_command("import_all", str(backup), stdout=None)
    assert snapshot() == before


def test_export_all_does_not_overwrite_a_file(filled: World, tmp_path: Path) -> None:
    backup = tmp_path / "backup.zip"
    backup.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="已存在"):
        call_command("export_all", str(backup), stdout=None)
    assert backup.read_bytes() == b"keep me"


def test_a_file_that_is_no_backup_is_refused(world: World, tmp_path: Path) -> None:
    wipe()
    bogus = tmp_path / "bogus.zip"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("hello.txt", "不是备份")
    with pytest.raises(CommandError, match="manifest"):
        call_command("import_all", str(bogus), stdout=None)
    assert not User.objects.exists()
