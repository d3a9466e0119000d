"""Faults: a write is stored whole or not at all, the user is told, a retry works.

- the database connection drops in the middle of an import (the backend is
  terminated from a second connection, as a restart or a network cut would);
- a worker is killed in the middle of a background import;
- the disk is full or not writable when an uploaded original is saved.

Two approvals of one report at once (exactly one wins) is
tests/reports/services/test_review.py::
test_two_transitions_at_once_one_wins_the_other_is_told.

The connection tests need PostgreSQL: `.ci/with-postgres .venv/bin/python -m
pytest tests/reports/test_faults.py`.
"""

import errno
import importlib
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, close_old_connections, connection, connections
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from reports.models import AnnualReport, ImportJob, ReportChange, ReportValue
from reports.selectors import report_values
from reports.services import ReportError, bulk_write, report_save_values
from reports.services import reports as report_services
from reports.tasks import fail_stalled_jobs, retry_job, run_import_job
from tests.conftest import World
from tests.factories import make_report, make_xlsx
from tests.reports.test_resources import CONFIRM, ROWS, XLSX, confirm_fields, upload
from tests.reports.views.test_import_sheets import official_sheet
from tests.reports.views.test_imports import preview_form
from tests.reports.views.test_imports import url as import_url

ROOT = Path(__file__).resolve().parents[2]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates PostgreSQL backends"
)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture(autouse=True)
def preview_store(settings: object, tmp_path: Path) -> None:
    settings.NIANBAO_IMPORT_PREVIEW_DIR = tmp_path / "previews"  # type: ignore[attr-defined]


@pytest.fixture
def role_groups(transactional_db: None) -> None:
    """The groups the data migrations make, which a transactional test's flush
    (of an earlier test) removes."""
    for module in (
        "agencies.migrations.0002_fill_groups",
        "reports.migrations.0002_fill_group_permissions",
        "audit.migrations.0002_fill_group_permissions",
    ):
        migration = importlib.import_module(module)
        wanted = getattr(migration, "PERMISSIONS", None) or {
            migration.REVIEWER: ["view_auditevent"]
        }
        for name, codenames in wanted.items():
            group, _created = Group.objects.get_or_create(name=name)
            group.permissions.add(*Permission.objects.filter(codename__in=codenames))


def terminate_own_backend() -> None:
    """Kill this connection's server process from a second connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def nothing_imported(world: World) -> None:
    assert not AnnualReport.objects.filter(agency=world.district, year=2017).exists()
    assert not ReportValue.objects.filter(report__year=2017).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT).exists()


# The connection drops mid-import ------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_mid_import_stores_nothing_and_a_retry_works(
    role_groups: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(world.clerk)
    preview = upload(client, make_xlsx(ROWS), "reports.xlsx", XLSX)
    fields = confirm_fields(preview)
    write = bulk_write.upsert_values

    def dropped(*args: object, **kwargs: object) -> None:
        # The report rows are written; the connection dies before the values.
        terminate_own_backend()
        write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk_write, "upsert_values", dropped)
    response = client.post(CONFIRM, fields)
    assert response.status_code == 503
    page = response.content.decode()
    assert "数据库连接中断" in page and "没有保存任何内容" in page
    # What the server does at the end of every request (the test client
    # skips it): a broken connection is discarded.
    close_old_connections()
    nothing_imported(world)

    monkeypatch.setattr(bulk_write, "upsert_values", write)
    preview = upload(client, make_xlsx(ROWS), "reports.xlsx", XLSX)
    retried = client.post(CONFIRM, confirm_fields(preview), follow=True)
    assert retried.status_code == 200
    report = AnnualReport.objects.get(agency=world.district, year=2017)
    assert report_values(report)["a4_reviews"] == 101
    assert report.version == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_mid_save_keeps_the_report_as_it_was(
    role_groups: None, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = make_report(agency=world.district, values={"a1_total": 1})
    records = report_services._records

    def dropped(*args: object, **kwargs: object) -> list:
        terminate_own_backend()
        return records(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(report_services, "_records", dropped)
    with pytest.raises(DatabaseError):
        report_save_values(
            report=report,
            user=world.clerk,
            expected_version=report.version,
            values={"a1_total": 7, "a1_website": 7},
        )
    close_old_connections()
    connection.close()
    monkeypatch.setattr(report_services, "_records", records)
    stored = AnnualReport.objects.get(pk=report.pk)
    assert (stored.version, report_values(stored)) == (report.version, {"a1_total": 1})
    assert ReportChange.objects.filter(report=report, version__gt=2).count() == 0
    saved = report_save_values(
        report=stored,
        user=world.clerk,
        expected_version=stored.version,
        values={"a1_total": 7},
    )
    assert report_values(saved.report) == {"a1_total": 7}


# A worker killed mid-import ------------------------------------------------------

WORKER = """
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
django.setup()
from django.db import connections
connections["default"].settings_dict["NAME"] = sys.argv[1]
from reports.services import bulk_write
from reports.tasks import run_import_job

write = bulk_write.insert_changes
def stuck(*args, **kwargs):
    write(*args, **kwargs)  # everything written, not yet committed
    open(sys.argv[3], "w").close()
    time.sleep(120)
bulk_write.insert_changes = stuck
run_import_job.call(int(sys.argv[2]))
"""


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_failed(
    role_groups: None, world: World, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    rows = [["agency_code", "year", "a1_total"]] + [
        ["t-jl-lt", year, year - 2000] for year in range(2010, 2019)
    ]
    job = ImportJob(user=world.clerk, filename="big.xlsx")
    job.file.save("big.xlsx", ContentFile(make_xlsx(rows)))
    marker = tmp_path / "writing"
    env = {**os.environ, "NIANBAO_TEST_MEDIA_ROOT": str(tmp_path)}
    script = WORKER.replace(
        "django.setup()",
        "django.setup()\nfrom django.conf import settings\n"
        "settings.MEDIA_ROOT = os.environ['NIANBAO_TEST_MEDIA_ROOT']",
    )
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            script,
            connection.settings_dict["NAME"],
            str(job.pk),
            str(marker),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert worker.poll() is None, "the worker ended before writing"
            assert time.monotonic() < deadline, "the worker never got to write"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)  # no cleanup, no rollback sent
    finally:
        worker.wait(timeout=30)
    # PostgreSQL rolls back the dead client's transaction: nothing applied.
    deadline = time.monotonic() + 10
    while AnnualReport.objects.filter(agency=world.district).exists():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert not ReportValue.objects.exists() and not ReportChange.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WRITING  # as the dead worker left it
    assert fail_stalled_jobs() == 0  # still within the stall timeout
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=11)
    )
    assert fail_stalled_jobs() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "没有导入任何报告" in job.summary and "重新导入" in job.summary
    # The clerk retries: all of it is imported, once.
    retry = retry_job(job)
    run_import_job.call(retry.pk)
    retry.refresh_from_db()
    assert retry.status == ImportJob.Status.DONE
    assert AnnualReport.objects.filter(agency=world.district).count() == 9


# The disk is full or not writable --------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        PermissionError(errno.EACCES, "Permission denied"),
    ],
    ids=["full", "read-only"],
)
def test_a_storage_failure_saving_the_original_stores_nothing(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    settings: object,
    tmp_path: Path,
    failure: OSError,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    report = make_report(agency=world.district, year=2017)
    client = signed_in(world.clerk)
    preview = client.post(
        import_url(report),
        {
            "kind": "sheet",
            "sheet_file": SimpleUploadedFile("统计表.xlsx", official_sheet()),
        },
    )
    assert preview.status_code == 200, preview.content.decode()[:1000]
    form = preview_form(preview.content.decode())
    assert "_confirm" in form.buttons, preview.content.decode()[:3000]

    def broken(self: FileSystemStorage, name: str, content: object) -> str:
        raise failure

    monkeypatch.setattr(FileSystemStorage, "_save", broken)
    response = client.post(
        import_url(report), {**form.fields, "into_this_report": "1", "_confirm": "确认"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "原始文件无法保存（服务器磁盘已满或不可写），本次没有保存任何内容" in page
    stored = AnnualReport.objects.get(pk=report.pk)
    assert stored.version == report.version
    assert report_values(stored) == {}
    assert not stored.source_file
    assert not ReportChange.objects.filter(report=report).exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT).exists()
    sources = tmp_path / "media" / "sources"
    assert not sources.exists() or not any(sources.rglob("*"))
    # Space again: the same confirm goes through.
    monkeypatch.undo()
    again = client.post(
        import_url(report), {**form.fields, "into_this_report": "1", "_confirm": "确认"}
    )
    assert again.status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).source_file


def test_the_save_service_turns_a_storage_failure_into_a_report_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = make_report(agency=world.district, values={"a1_total": 1})

    def broken(self: FileSystemStorage, name: str, content: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", broken)
    with pytest.raises(ReportError, match="磁盘已满或不可写"):
        report_save_values(
            report=report,
            user=world.clerk,
            expected_version=report.version,
            values={"a1_total": 2},
            source_file=("统计表.xlsx", b"data"),
        )
    stored = AnnualReport.objects.get(pk=report.pk)
    assert (stored.version, report_values(stored)) == (report.version, {"a1_total": 1})
