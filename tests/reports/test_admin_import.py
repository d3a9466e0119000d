"""The flat import's confirm step: only the user's own preview, as previewed.

Bound uploads (reports/uploads.py), the versions a preview saw, refusals that
say why, no server error whatever is posted, nothing left behind, and a file
over the limit refused without being held in memory.
"""

import json
import os
import tempfile
import time
import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import report_save_values
from tests.conftest import World
from tests.factories import client_for, make_report, make_xlsx
from tests.reports.test_resources import (
    CONFIRM,
    IMPORT,
    ROWS,
    XLSX,
    confirm_fields,
    upload,
)

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def folders(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: ANN001
    """The preview store and the system temp folder, both private to the test."""
    settings.NIANBAO_IMPORT_PREVIEW_DIR = tmp_path / "previews"
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return tmp_path


def left_behind(folders: Path) -> list[str]:
    return sorted(p.name for p in folders.rglob("*") if p.is_file())


def preview(client: Client, rows: list[list[object]] = ROWS) -> dict[str, str]:
    return confirm_fields(upload(client, make_xlsx(rows), "reports.xlsx", XLSX))


def test_a_planted_file_is_neither_imported_nor_deleted(
    world: World, folders: Path
) -> None:
    planted = folders / "tmp" / "planted.xlsx"
    planted.write_bytes(make_xlsx(ROWS))
    fields = {
        "import_file_name": "planted.xlsx",
        "original_file_name": "planted.xlsx",
        "format": XLSX,
        "resource": "0",
    }
    response = client_for(world.clerk).post(CONFIRM, fields)
    assert response.status_code == 400
    assert "请重新上传文件并预览" in response.content.decode()
    assert planted.exists() and AnnualReport.objects.count() == 0


def test_another_users_confirm_leaves_the_clerks_preview(
    world: World, folders: Path
) -> None:
    clerk = client_for(world.clerk)
    fields = preview(clerk)
    pending = left_behind(folders)
    assert len(pending) == 2  # the upload and its record
    response = client_for(world.outsider).post(CONFIRM, fields)
    assert response.status_code == 400 and "找不到这次预览" in response.content.decode()
    assert client_for(world.reviewer).post(CONFIRM, fields).status_code == 403
    assert left_behind(folders) == pending and AnnualReport.objects.count() == 0
    assert clerk.post(CONFIRM, fields).status_code == 302
    assert AnnualReport.objects.filter(agency=world.district).count() == 1


def test_the_same_clerk_in_another_session_cannot_confirm(world: World) -> None:
    fields = preview(client_for(world.clerk))
    response = client_for(world.clerk).post(CONFIRM, fields)
    assert response.status_code == 400
    assert AnnualReport.objects.count() == 0


def test_a_preview_is_confirmed_once_and_then_gone(world: World, folders: Path) -> None:
    client = client_for(world.clerk)
    fields = preview(client)
    assert client.post(CONFIRM, fields).status_code == 302
    assert left_behind(folders) == []
    again = client.post(CONFIRM, fields)
    assert again.status_code == 400 and "找不到这次预览" in again.content.decode()
    assert AnnualReport.objects.get(agency=world.district).version == 1


def test_refused_previews_leave_no_file(world: World, folders: Path) -> None:
    client = client_for(world.clerk)
    outside = [ROWS[0], ["t-hn-tjj", 2017, 1, 1, 0, 0, 0, 0, 0]]
    page = upload(client, make_xlsx(outside), "r.xlsx", XLSX)
    assert "不在您的管辖范围内" in page
    upload(client, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "r.xlsx", XLSX, status=400)
    assert left_behind(folders) == []


def _age(folders: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    for path in (folders / "previews").iterdir():
        os.utime(path, (then, then))


def test_previews_never_confirmed_are_deleted_after_some_hours(
    world: World,
    folders: Path,
    settings,  # noqa: ANN001
) -> None:
    settings.NIANBAO_IMPORT_PREVIEW_HOURS = 6
    client = client_for(world.clerk)
    first = preview(client)
    _age(folders, 5)
    preview(client)  # a new preview keeps a five-hour-old one
    assert len(left_behind(folders)) == 4
    _age(folders, 7)
    second = preview(client)  # and deletes seven-hour-old ones
    assert len(left_behind(folders)) == 2
    assert client.post(CONFIRM, first).status_code == 400
    _age(folders, 7)
    out = StringIO()
    call_command("clear_import_previews", stdout=out)
    assert (
        left_behind(folders) == [] and "已删除 1 份未确认的导入预览" in out.getvalue()
    )
    assert client.post(CONFIRM, second).status_code == 400


def test_an_expired_preview_is_not_imported(world: World, folders: Path) -> None:
    client = client_for(world.clerk)
    fields = preview(client)
    (record,) = (folders / "previews").glob("*.json")
    data = json.loads(record.read_text())
    record.write_text(json.dumps(data | {"created": time.time() - 7 * 3600}))
    response = client.post(CONFIRM, fields)
    assert response.status_code == 400 and "已作废" in response.content.decode()
    assert AnnualReport.objects.count() == 0 and left_behind(folders) == []


def test_a_report_saved_after_the_preview_is_not_overwritten(
    world: World, folders: Path
) -> None:
    report = make_report(agency=world.district, values={"a1_total": "9"})
    client = client_for(world.clerk)
    fields = preview(client)
    report_save_values(
        report=report,
        user=world.clerk,
        expected_version=report.version,
        values={"a1_total": "8"},
    )
    response = client.post(CONFIRM, fields)
    page = response.content.decode()
    assert response.status_code == 409
    assert "没有导入" in page and "在预览之后已被修改" in page
    assert "请重新上传并预览" in page
    assert report_values(report)["a1_total"] == 8  # the other save stands
    assert left_behind(folders) == []


def test_a_report_created_after_the_preview_is_not_overwritten(world: World) -> None:
    client = client_for(world.clerk)
    fields = preview(client)
    report = make_report(agency=world.district, values={"a1_total": "9"})
    response = client.post(CONFIRM, fields)
    assert response.status_code == 409
    assert "在预览之后已由他人新建" in response.content.decode()
    assert report_values(report)["a1_total"] == 9


def test_a_report_submitted_after_the_preview_says_so(world: World) -> None:
    report = make_report(agency=world.district, values={"a1_total": "9"})
    client = client_for(world.clerk)
    fields = preview(client)
    AnnualReport.objects.filter(pk=report.pk).update(status="submitted")
    response = client.post(CONFIRM, fields)
    page = response.content.decode()
    assert response.status_code == 409
    assert "没有导入" in page and "已提交" in page and "不能修改" in page
    assert report_values(report)["a1_total"] == 9


IMPORT_POSTS = {
    "nothing": {},
    "no file": {"format": XLSX, "resource": "0"},
    "format abc": {"format": "abc", "resource": "0"},
    "format 7": {"format": "7", "resource": "0"},
    "resource 9": {"format": XLSX, "resource": "9"},
}


@pytest.mark.parametrize("case", IMPORT_POSTS)
def test_a_malformed_upload_gets_400_in_chinese(world: World, case: str) -> None:
    fields = dict(IMPORT_POSTS[case])
    if case != "no file":
        fields["import_file"] = StringIO("agency_code,year\nt-jl-lt,2017\n")
        fields["import_file"].name = "r.csv"  # type: ignore[attr-defined]
    response = client_for(world.clerk).post(IMPORT, fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert any(text in page for text in ("请选择", "不正确", "请刷新"))
    assert "process_import" not in page


CONFIRM_CHANGES = {
    "nothing": None,
    "tampered name": {"import_file_name": "../../../etc/passwd"},
    "missing file": {"import_file_name": "0" * 32},
    "no name": {"import_file_name": ""},
    "format abc": {"format": "abc"},
    "format 7": {"format": "7"},
    "resource 9": {"resource": "9"},
    "other file name": {"original_file_name": "other.xlsx"},
}


@pytest.mark.parametrize("case", CONFIRM_CHANGES)
def test_a_tampered_confirm_gets_400_and_touches_nothing(
    world: World, folders: Path, case: str
) -> None:
    client = client_for(world.clerk)
    fields = preview(client)
    pending = left_behind(folders)
    changes = CONFIRM_CHANGES[case]
    response = client.post(CONFIRM, {} if changes is None else fields | changes)
    assert response.status_code == 400
    assert "请重新上传文件并预览" in response.content.decode()
    assert left_behind(folders) == pending and AnnualReport.objects.count() == 0
    assert client.post(CONFIRM, fields).status_code == 302  # the real one works


class _Body:
    """A multipart body made as it is read: the test holds no copy of it."""

    def __init__(self, boundary: str, size: int) -> None:
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=format\r\n\r\n0\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=resource\r\n\r\n"
            f"0\r\n--{boundary}\r\nContent-Disposition: form-data; "
            'name=import_file; filename="big.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.parts = [head, size, f"\r\n--{boundary}--\r\n".encode()]
        self.length = len(head) + size + len(self.parts[2])

    def read(self, size: int = -1) -> bytes:
        while self.parts:
            part = self.parts[0]
            if isinstance(part, int):
                take = min(part, MB) if size < 0 else min(size, part, MB)
                self.parts[0] = part - take
                if self.parts[0] == 0:
                    self.parts.pop(0)
                if take:
                    return b"PK" * (take // 2) + b"\0" * (take % 2)
                continue
            taken, rest = (part, b"") if size < 0 else (part[:size], part[size:])
            if rest:
                self.parts[0] = rest
            else:
                self.parts.pop(0)
            return taken
        return b""

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def test_a_file_over_the_limit_is_refused_without_being_held_in_memory(
    world: World,
    folders: Path,
    settings,  # noqa: ANN001
) -> None:
    settings.NIANBAO_UPLOAD_LIMIT_MB = 1
    size = 40 * MB
    client = client_for(world.clerk)
    client.get(IMPORT)  # settle what the first request loads
    body = _Body("nb-boundary", size)
    tracemalloc.start()
    try:
        response = client.request(
            REQUEST_METHOD="POST",
            PATH_INFO=IMPORT,
            CONTENT_TYPE="multipart/form-data; boundary=nb-boundary",
            CONTENT_LENGTH=str(body.length),
            **{"wsgi.input": body},
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert "超过了 1 MB 的上限" in response.content.decode()
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB for a {size // MB} MB upload"
    assert left_behind(folders) == []
