"""The flat import in the admin: django-import-export's dry run, then confirm."""

import io
import re

import pytest
from django.test import Client

from reports.models import AnnualReport
from reports.selectors import report_values
from tests.conftest import World
from tests.factories import client_for, make_report, make_xlsx

IMPORT = "/admin/reports/annualreport/import/"
CONFIRM = "/admin/reports/annualreport/process_import/"
XLSX, CSV = "0", "1"  # positions in ReportAdmin.import_formats


def upload(client: Client, data: bytes, name: str, fmt: str) -> str:
    response = client.post(
        IMPORT,
        {"import_file": _file(data, name), "format": fmt, "resource": "0"},
    )
    assert response.status_code == 200
    return response.content.decode()


def _file(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def confirm(client: Client, preview: str) -> None:
    form = re.search(
        r'<form[^>]*action="[^"]*process_import/?"[^>]*>(.*?)</form>', preview, re.S
    )
    assert form, "no confirm form in the preview"
    fields = dict(re.findall(r'name="([^"]+)"\s+value="([^"]*)"', form[1]))
    fields.update(
        {m[0]: m[1] for m in re.findall(r'value="([^"]*)"\s+name="([^"]+)"', form[1])}
    )
    response = client.post(CONFIRM, fields)
    assert response.status_code == 302, response.content.decode()[:2000]


ROWS = [
    ["agency_code", "year", "a1_total", "a1_website", "a3_received", "a4_reviews",
     "a4_rev_upheld", "a4_rev_corrected", "a4_rev_other"],
    ["t-jl-lt", 2017, 5, 5, 0, 101, 56, 24, 1],
]  # fmt: skip


def test_dry_run_previews_then_confirm_imports(world: World) -> None:
    client = client_for(world.clerk)
    preview = upload(client, make_xlsx(ROWS), "reports.xlsx", XLSX)
    assert "吉林市统计局龙潭分局" in preview and "2017" in preview
    assert "行政复议数量 101 ≠" in preview  # the findings are in the preview
    assert AnnualReport.objects.count() == 0  # the dry run wrote nothing
    confirm(client, preview)
    report = AnnualReport.objects.get(agency=world.district, year=2017)
    assert report.source == AnnualReport.Source.SPREADSHEET
    assert report_values(report)["a4_reviews"] == 101
    assert report.error_count == 1
    # Re-importing the same file changes nothing.
    version = report.version
    again = upload(client, make_xlsx(ROWS), "reports.xlsx", XLSX)
    confirm(client, again)
    report.refresh_from_db()
    assert report.version == version


def test_gbk_csv_is_accepted(world: World) -> None:
    text = "机关代码,年度,(一)主动公开政府信息数\nt-jl-lt,2017,5\n"
    preview = upload(client_for(world.clerk), text.encode("gbk"), "r.csv", CSV)
    assert "吉林市统计局龙潭分局" in preview


def test_a_row_outside_the_scope_is_refused_with_its_number(world: World) -> None:
    rows = [ROWS[0], ROWS[1], ["t-hn-tjj", 2017, 1, 1, 0, 0, 0, 0, 0]]
    preview = upload(client_for(world.clerk), make_xlsx(rows), "r.xlsx", XLSX)
    assert "第 3 行" in preview and "不在您的管辖范围内" in preview
    assert "process_import" not in preview  # nothing to confirm
    assert AnnualReport.objects.count() == 0


def test_an_approved_report_is_not_overwritten(world: World) -> None:
    report = make_report(agency=world.district, values={"a1_total": "9"})
    AnnualReport.objects.filter(pk=report.pk).update(status="approved")
    preview = upload(client_for(world.clerk), make_xlsx(ROWS), "r.xlsx", XLSX)
    assert "不会被覆盖" in preview and "process_import" not in preview
    assert report_values(report)["a1_total"] == 9


def test_a_renamed_binary_gets_a_chinese_message(world: World) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    page = upload(client_for(world.clerk), png, "r.xlsx", XLSX)
    assert "不是 XLSX 或 CSV 文件" in page


def test_a_file_over_the_limit_is_refused(world: World, settings) -> None:  # noqa: ANN001
    settings.NIANBAO_UPLOAD_LIMIT_MB = 1
    data = make_xlsx(ROWS) + b"\0" * (1024 * 1024)
    page = upload(client_for(world.clerk), data, "r.xlsx", XLSX)
    assert "超过了 1 MB 的上限" in page


def test_a_bad_header_is_shown_and_nothing_imported(world: World) -> None:
    page = upload(
        client_for(world.clerk),
        make_xlsx([["year", "a1_total"], [2017, 5]]),
        "r.xlsx",
        XLSX,
    )
    assert "缺少机关代码" in page and "process_import" not in page


def test_reviewers_and_outsiders_cannot_reach_the_import(world: World) -> None:
    assert client_for(world.reviewer).get(IMPORT).status_code == 403
    assert client_for(world.clerk).get(IMPORT).status_code == 200


def test_a_big_file_is_sent_to_the_background_import(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reports.resources.INTERACTIVE_ROWS", 3)
    rows = [ROWS[0]] + [["t-jl-lt", 2017, 1, 1, 0, 0, 0, 0, 0]] * 4
    page = upload(client_for(world.clerk), make_xlsx(rows), "r.xlsx", XLSX)
    assert "后台导入大文件" in page and "process_import" not in page
