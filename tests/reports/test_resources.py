"""The flat import in the admin: upload, preview (a dry run), confirm."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.test import Client

from reports.importers.sheets import read_sheet
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.tables import FORMATS, SIGNATORIES
from tests.conftest import World
from tests.factories import client_for, make_report, make_xlsx

IMPORT = "/admin/reports/annualreport/import/"
CONFIRM = "/admin/reports/annualreport/process_import/"
TEMPLATES = "/admin/reports/annualreport/import-template/"
XLSX, CSV = "0", "1"  # positions in ReportAdmin.import_formats


@pytest.fixture(autouse=True)
def preview_store(settings, tmp_path: Path) -> Path:  # noqa: ANN001
    settings.NIANBAO_IMPORT_PREVIEW_DIR = tmp_path / "previews"
    return tmp_path / "previews"


def upload(
    client: Client, data: bytes, name: str, fmt: str, *, status: int = 200
) -> str:
    response = client.post(
        IMPORT,
        {"import_file": _file(data, name), "format": fmt, "resource": "0"},
    )
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def _file(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def confirm_fields(preview: str) -> dict[str, str]:
    form = re.search(
        r'<form[^>]*action="[^"]*process_import/?"[^>]*>(.*?)</form>', preview, re.S
    )
    assert form, "no confirm form in the preview"
    fields = dict(re.findall(r'name="([^"]+)"\s+value="([^"]*)"', form[1]))
    fields.update(
        {m[0]: m[1] for m in re.findall(r'value="([^"]*)"\s+name="([^"]+)"', form[1])}
    )
    return fields


def confirm(client: Client, preview: str) -> list[str]:
    """Confirm the preview; the messages the report list then shows."""
    response = client.post(CONFIRM, confirm_fields(preview), follow=True)
    assert response.redirect_chain, response.content.decode()[:2000]
    return [str(m) for m in response.context["messages"]]


def preview_table(page: str) -> str:
    table = re.search(r'<table[^>]*id="nb-import-preview".*?</table>', page, re.S)
    assert table, "no preview table"
    return table[0]


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
    assert "确认后将新建 1 份，更新 0 份，0 份无变化" in preview
    assert confirm(client, preview) == ["导入完成：新建 1 份，更新 0 份，0 份无变化。"]
    report = AnnualReport.objects.get(agency=world.district, year=2017)
    assert report.source == AnnualReport.Source.SPREADSHEET
    assert report_values(report)["a4_reviews"] == 101
    assert report.error_count == 1
    # Re-importing the same file changes nothing, and says so.
    version = report.version
    again = upload(client, make_xlsx(ROWS), "reports.xlsx", XLSX)
    assert confirm(client, again) == [
        "没有改动：文件中的 1 份报告与系统中已有的完全相同，没有写入任何内容。"
    ]
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
    assert "已通过审核并锁定" in preview and "process_import" not in preview
    assert report_values(report)["a1_total"] == 9


def test_a_renamed_binary_gets_a_chinese_message(world: World) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    page = upload(client_for(world.clerk), png, "r.xlsx", XLSX, status=400)
    assert "不是 XLSX 或 CSV 文件" in page


def test_a_file_over_the_limit_is_refused(world: World, settings) -> None:  # noqa: ANN001
    settings.NIANBAO_UPLOAD_LIMIT_MB = 1
    data = make_xlsx(ROWS) + b"\0" * (1024 * 1024)
    page = upload(client_for(world.clerk), data, "r.xlsx", XLSX, status=400)
    assert "超过了 1 MB 的上限" in page


def test_a_bad_header_is_shown_and_nothing_imported(world: World) -> None:
    page = upload(
        client_for(world.clerk),
        make_xlsx([["year", "a1_total"], [2017, 5]]),
        "r.xlsx",
        XLSX,
        status=400,
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
    page = upload(client_for(world.clerk), make_xlsx(rows), "r.xlsx", XLSX, status=400)
    assert "超过 3 行" in page and "process_import" not in page


def test_a_file_without_rows_is_refused_at_the_preview(world: World) -> None:
    page = upload(
        client_for(world.clerk), make_xlsx([ROWS[0]]), "r.xlsx", XLSX, status=400
    )
    assert "没有可导入的报告" in page and "process_import" not in page


def test_the_changes_are_named_as_in_the_official_table(world: World) -> None:
    make_report(agency=world.district, values={"a4_reviews": "3"})
    rows = [
        ["agency_code", "year", "a4_reviews", "section:overview", "signed_head"],
        ["t-jl-lt", 2017, 4, "本年度概述", "张三"],
    ]
    page = upload(client_for(world.clerk), make_xlsx(rows), "r.xlsx", XLSX)
    table = preview_table(page)
    assert "行政复议数量、正文“概述”、单位负责人" in table
    assert "a4_reviews" not in table and "section:" not in table


def test_a_refused_value_is_written_out_in_its_row(world: World) -> None:
    rows = [["agency_code", "year", "a1_total"], ["t-jl-lt", 2017, "很多"]]
    page = upload(client_for(world.clerk), make_xlsx(rows), "r.xlsx", XLSX)
    row = re.search(r'<tr class="nb-refused">(.*?)</tr>', preview_table(page), re.S)
    assert row, "the refused row is not in the table"
    assert "第 2 行「a1_total」列" in row[1] and "主动公开政府信息数" in row[1]
    assert "validation-error-container" not in page  # nothing only on hover
    assert "process_import" not in page


def test_the_page_speaks_chinese_and_lists_the_columns(world: World) -> None:
    client = client_for(world.clerk)
    refused = [["agency_code", "year", "a1_total"], ["t-jl-lt", 2017, "x"]]
    pages = [
        client.get(IMPORT).content.decode(),
        upload(client, make_xlsx(refused), "r.xlsx", XLSX),
    ]
    for page in pages:
        assert "某些行验数据证失败" not in page and "此次将导入以下字段" not in page
        for code in ("agency_code", "机关代码", "机关全称", "year", "table_year"):
            assert f"<code>{code}</code>" in page
        for key, label in SIGNATORIES:
            assert f"<code>{key}</code>" in page and label in page
        for table_format in FORMATS.values():
            assert table_format.name in page
            for code, cell in table_format.cells.items():
                assert f"<code>{code}</code>" in page
                assert (cell.display_name if cell.row else cell.label) in page
            for section in table_format.sections:
                assert f"<code>section:{section.key}</code>" in page
            assert f"import-template/{table_format.code}.xlsx" in page


def _filled_template(client: Client, code: str, ext: str, row: list) -> bytes:
    response = client.get(f"{TEMPLATES}{code}.{ext}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if ext == "csv":
        return response.content + ",".join(map(str, row)).encode() + b"\r\n"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_a_template_sheet_imports_once_filled_in(world: World, ext: str) -> None:
    client = client_for(world.clerk)
    template = read_sheet(client.get(f"{TEMPLATES}A.{ext}").content)
    codes, labels = template.rows
    assert set(FORMATS["A"].cells) <= set(codes)
    assert {"agency_code", "agency_name", "year"} <= set(codes)
    assert FORMATS["A"].cells["a3_received"].label in labels
    assert "a3_received" not in labels  # the second row is for people
    filled = [None] * len(codes)
    filled[codes.index("agency_code")] = "t-jl-lt"
    filled[codes.index("year")] = 2017
    filled[codes.index("a3_received")] = 7
    data = _filled_template(client, "A", ext, ["" if v is None else v for v in filled])
    preview = upload(client, data, f"template.{ext}", XLSX if ext == "xlsx" else CSV)
    assert "第 2 行" not in preview  # the label row is not read as a report
    confirm(client, preview)
    report = AnnualReport.objects.get(agency=world.district, year=2017)
    assert report_values(report)["a3_received"] == 7


def test_templates_are_for_importers_only(world: World) -> None:
    url = f"{TEMPLATES}B.xlsx"
    assert client_for(world.reviewer).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 200
    clerk = client_for(world.clerk)
    assert clerk.get(f"{TEMPLATES}Z.xlsx").status_code == 404
    assert clerk.get(f"{TEMPLATES}B.pdf").status_code == 404
