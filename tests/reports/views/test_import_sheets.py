"""The import page with the official-layout sheet: preview with sheet and row,
confirm, refused values and files, size limits.
"""

import base64
import contextlib
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.importers.sheets import read_sheets
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.tables import Header, get_format
from tests.conftest import World
from tests.factories import client_for, make_report
from tests.reports.seed_tables import printed
from tests.reports.views.test_imports import confirm, fresh, preview_form, url


@pytest.fixture
def report(world: World) -> AnnualReport:
    return make_report(agency=world.district, year=2017)


# Sheet ------------------------------------------------------------------------

SHEET_VALUES = {"a1_total": 5, "a1_website": 5, "a8_staff": 5, "a7_fees": "0.35"}


def official_sheet(values: dict[str, object] = SHEET_VALUES) -> bytes:
    """Format A's official layout, 龙潭分局's own numbers (``values``)."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("统计表")
    rows: list[list[object]] = [
        ["政府信息公开情况统计表"],
        ["(2017年度)"],
        ["填报单位：吉林市统计局龙潭分局"],
        ["统计指标", "单位", "统计数"],
    ]
    for row in get_format("A").tables[0].rows:
        if isinstance(row, Header):
            rows.append([row.label, "—", None])
        else:
            value = values.get(row.code)
            with contextlib.suppress(TypeError, ValueError):
                value = float(value)  # type: ignore[arg-type]
            rows.append([row.label, row.unit, value])
    rows.append(["单位负责人：宋玉玲  审核人：李永吉  填报人：刘沛雨"])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return out.getvalue()


def test_a_sheet_previews_with_sheet_and_row_and_confirms(
    world: World,
    report: AnnualReport,
    settings,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.clerk)
    data = official_sheet()
    upload = SimpleUploadedFile("统计表.xlsx", data)
    response = client.post(url(report), {"kind": "sheet", "sheet_file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "工作表“统计表”第 6 行：(一)主动公开政府信息数" in page
    assert "找到 4 / 58 个单元格" in page
    assert "文本中的填报单位" not in page  # it is this report's agency
    form = preview_form(page)
    assert form.buttons == ["_confirm"]
    assert form.fields["kind"] == "sheet"
    assert form.fields["sheet"]  # the file, base64, travels with the preview
    assert report_values(fresh(report)) == {}
    response = confirm(client, report, page)
    assert response.status_code == 302
    stored = fresh(report)
    assert report_values(stored) == printed(SHEET_VALUES)
    assert stored.source == AnnualReport.Source.SPREADSHEET
    assert stored.source_text == ""
    # The original is kept with the report, under the clerk's file name.
    assert stored.source_file.name.endswith(".xlsx")
    assert "统计表" in stored.source_file.name
    with stored.source_file.open("rb") as kept:
        assert kept.read() == data
    assert stored.signed_head == "宋玉玲"
    assert stored.version == report.version + 1


def test_a_sheet_row_that_fits_no_cell_is_listed_in_the_preview(
    world: World, report: AnnualReport
) -> None:
    data = official_sheet()
    extra = io.BytesIO()
    workbook = xlsxwriter.Workbook(extra, {"in_memory": True})
    sheet = workbook.add_worksheet("统计表")
    for r, row in enumerate(read_sheets(data)[0].rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, str(value) if isinstance(value, Decimal) else value)
    sheet.write_row(70, 0, ["八、其他补充指标", "个", 3])
    workbook.close()
    upload = SimpleUploadedFile("统计表.xlsx", extra.getvalue())
    client = client_for(world.clerk)
    response = client.post(url(report), {"kind": "sheet", "sheet_file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "无法归入单元格的行" in page
    assert "工作表“统计表”第 71 行：八、其他补充指标 | 个 | 3 |" in page
    assert confirm(client, report, page).status_code == 302
    assert report_values(fresh(report)) == printed(SHEET_VALUES)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "看起来是PNG 图片"),
        (b"\x00\x01\x02binary", "二进制文件"),
        (b"PK\x03\x04" + bytes(40), "已损坏或已加密"),
    ],
    ids=["png", "binary", "broken-zip"],
)
def test_a_file_that_is_no_sheet_is_refused_in_chinese(
    world: World, report: AnnualReport, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile("统计表.xlsx", content)
    response = client_for(world.clerk).post(
        url(report), {"kind": "sheet", "sheet_file": upload}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "不是 XLSX 或 CSV 文件" in page or "无法作为 XLSX 读取" in page
    assert report_values(fresh(report)) == {}


def test_a_tampered_sheet_field_is_refused(world: World, report: AnnualReport) -> None:
    response = client_for(world.clerk).post(
        url(report), {"kind": "sheet", "sheet": "not base64!", "_confirm": "1"}
    )
    assert response.status_code == 400
    assert "请选择一个电子表格文件" in response.content.decode()
    assert fresh(report).version == report.version


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-5, "工作表“统计表”第 7 行：「主动公开规范性文件数」（条）不能为负数：-5"),
        ("十二", "工作表“统计表”第 7 行：「主动公开规范性文件数」的值“十二”不是数字"),
        ("若干", "工作表“统计表”第 7 行：「主动公开规范性文件数」的值“若干”不是数字"),
    ],
    ids=["negative", "chinese-numeral", "word"],
)
def test_a_refused_sheet_value_blocks_the_import(
    world: World, report: AnnualReport, value: object, message: str
) -> None:
    data = official_sheet({**SHEET_VALUES, "a1_normative": value})
    client = client_for(world.clerk)
    upload = SimpleUploadedFile("统计表.xlsx", data)
    page = client.post(
        url(report), {"kind": "sheet", "sheet_file": upload}
    ).content.decode()
    assert message in page
    assert preview_form(page).buttons == []
    refused = confirm(client, report, page)
    assert refused.status_code == 400
    assert report_values(fresh(report)) == {}
    assert fresh(report).version == report.version


def padded_csv(size: int) -> bytes:
    """The official layout as CSV, padded with empty rows to ``size`` bytes."""
    lines = ["政府信息公开情况统计表", "(2017年度)", "统计指标,单位,统计数"]
    for row in get_format("A").tables[0].rows:
        if not isinstance(row, Header):
            value = SHEET_VALUES.get(row.code)
            lines.append(f"{row.label},{row.unit},{'' if value is None else value}")
    data = "\n".join(lines).encode() + b"\n"
    return data + b",,\n" * ((size - len(data)) // 3)


def test_an_oversize_sheet_sent_back_as_base64_is_refused(
    world: World, report: AnnualReport
) -> None:
    data = padded_csv(3 * 1024 * 1024)
    response = client_for(world.clerk).post(
        url(report),
        {
            "kind": "sheet",
            "sheet": base64.b64encode(data).decode(),
            "sheet_name": "统计表.csv",
            "version": str(report.version),
            "_confirm": "1",
        },
    )
    assert response.status_code == 400
    assert "单份报告的表格不应超过 2 MB" in response.content.decode()
    assert report_values(fresh(report)) == {}
    assert fresh(report).version == report.version
