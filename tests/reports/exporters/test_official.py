"""reports.exporters.official: one report as XLSX in the official layout.

Each workbook is opened with openpyxl and checked cell by cell (labels,
units, values, merged headings, page set-up), then read back as an upload is,
through ``read_sheets`` and ``parse_official_sheet``, to exactly the stored
values: blanks blank, "/" not applicable, zeros zero.
"""

import ast
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from reports.exporters.official import official_xlsx, report_workbook
from reports.importers.official import parse_official_sheet
from reports.importers.sheets import read_sheets
from reports.selectors import report_signatories, report_values
from reports.tables import (
    NA,
    Cell,
    GridTable,
    Header,
    ListTable,
    TableFormat,
    get_format,
)
from reports.tables.b import APPLICANT_COLUMNS
from reports.tables.base import GridRow
from tests.conftest import World
from tests.reports.exporters.filled import (
    SIGNATORIES,
    YEARS,
    filled_report,
    typed_values,
)

FORMAT_A = get_format("A")


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def row_values(sheet: Worksheet, row: int, columns: int) -> list[object]:
    return [sheet.cell(row, column).value for column in range(1, columns + 1)]


def shown_in_sheet(value: object) -> object:
    """What openpyxl reads for a stored value: None, "/", or the number."""
    if value is None:
        return None
    if value is NA:
        return "/"
    number = Decimal(value)  # type: ignore[arg-type]
    return int(number) if number == number.to_integral_value() else float(number)


def merged(sheet: Worksheet) -> set[str]:
    return {str(cells) for cells in sheet.merged_cells.ranges}


# Format A -------------------------------------------------------------------


def test_format_a_as_the_official_form_cell_by_cell(world: World) -> None:
    values = typed_values("A") | {
        "a7_fees": Decimal("5949.088667"),
        "a8_budget": Decimal("0.35"),
    }
    report = filled_report(agency=world.district, code="A", values=values)
    stored = report_values(report)
    book = opened(report_workbook(report))

    assert book.sheetnames == ["统计表"]
    sheet = book["统计表"]
    assert sheet["A1"].value == "政府信息公开情况统计表"
    assert sheet["A1"].font.b and sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].value == "（2017年度）"
    assert sheet["A3"].value == "填报单位：吉林市统计局龙潭分局"
    assert {"A1:C1", "A2:C2", "A3:C3"} <= merged(sheet)
    assert row_values(sheet, 4, 3) == ["统计指标", "单位", "统计数"]
    rows = FORMAT_A.tables[0].rows
    for number, entry in enumerate(rows, start=5):
        label, unit, value = (sheet.cell(number, c) for c in (1, 2, 3))
        assert label.value == entry.label
        assert label.alignment.indent == entry.indent
        if isinstance(entry, Header):
            assert (unit.value, value.value) == ("—", None)
            continue
        assert unit.value == entry.unit
        assert value.value == shown_in_sheet(stored.get(entry.code)), entry.code
        assert value.border.left.style == "thin"
    # Blanks stay blank and zeros stay zeros: neither becomes the other.
    blank = [c for c in FORMAT_A.cells if c not in stored]
    zeros = [c for c, v in stored.items() if v == 0]
    assert blank and zeros
    column = {
        entry.code: sheet.cell(number, 3).value
        for number, entry in enumerate(rows, start=5)
        if isinstance(entry, Cell)
    }
    assert all(column[code] is None for code in blank)
    assert all(column[code] == 0 for code in zeros)
    # Amounts show the decimals they have.
    fees = sheet.cell(5 + rows.index(FORMAT_A.cells["a7_fees"]), 3)
    budget = sheet.cell(5 + rows.index(FORMAT_A.cells["a8_budget"]), 3)
    assert (fees.value, fees.number_format) == (5949.088667, "0.000000")
    assert (budget.value, budget.number_format) == (0.35, "0.00")
    # The signatories close the sheet, a blank one left blank.
    last = 5 + len(rows)
    assert sheet.cell(last, 1).value is None
    assert sheet.cell(last + 1, 1).value == (
        "单位负责人：包太洋\u3000\u3000审核人：\u3000\u3000填报人：彭莹"
    )
    assert sheet.cell(last + 2, 1).value == (
        "联系电话：0743-8233025\u3000\u3000填报日期：2018年2月28日"
    )
    assert sheet.max_row == last + 2


@pytest.mark.parametrize("code", ["A", "B2019", "B"])
def test_every_sheet_prints_on_a4_fitted_to_width(world: World, code: str) -> None:
    book = opened(report_workbook(filled_report(agency=world.district, code=code)))

    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert str(setup.paperSize) == "9"  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # XlsxWriter leaves out fitToWidth when it is OOXML's default, 1.
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
        assert sheet.print_options.horizontalCentered
        assert sheet.sheet_view.showGridLines is False
        assert all(
            sheet.column_dimensions[letter].width
            for letter in "ABC"[: sheet.max_column]
        )
    orientation = {sheet.title: sheet.page_setup.orientation for sheet in book}
    repeated = {sheet.title: sheet.print_title_rows for sheet in book}
    if code == "A":
        assert orientation == {"统计表": "portrait"}
        assert repeated == {"统计表": "$4:$4"}  # 统计指标 | 单位 | 统计数
    else:
        assert orientation == {
            "表二": "portrait",
            "表三": "portrait",
            "表四": "landscape",
        }
        assert repeated["表三"] == "$2:$3" and repeated["表四"] == "$2:$4"


# Format B -------------------------------------------------------------------


def test_format_b_tables_with_their_merged_headings(world: World) -> None:
    report = filled_report(agency=world.district, code="B")
    stored = report_values(report)
    book = opened(report_workbook(report))
    assert book.sheetnames == ["表二", "表三", "表四"]

    two = book["表二"]
    assert [two.cell(r, 1).value for r in (1, 2, 3, 4)] == [
        "政府信息公开工作年度报告统计表",
        "（2022年度）",
        "填报单位：吉林市统计局龙潭分局",
        "二、主动公开政府信息情况",
    ]
    assert row_values(two, 5, 4) == ["第二十条第(一)项", None, None, None]
    assert row_values(two, 6, 4) == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert row_values(two, 7, 4) == ["规章"] + [
        shown_in_sheet(stored.get(f"b2_rule_{c}"))
        for c in ("issued", "repealed", "in_force")
    ]
    assert row_values(two, 9, 4) == ["第二十条第(五)项", None, None, None]
    # One column of values stretches over the three, heading and value alike.
    assert row_values(two, 10, 2) == ["信息内容", "本年处理决定数量"]
    assert two.cell(11, 1).value == "行政许可"
    assert two.cell(11, 2).value == shown_in_sheet(stored.get("b2_licensing"))
    assert {"A5:D5", "B10:D10", "B11:D11"} <= merged(two)
    na = [code for code, value in stored.items() if value is NA]
    assert na and all(code.startswith("b2_") for code in na)
    assert "/" in [two.cell(r, c).value for r in range(7, 18) for c in range(2, 5)]

    three = book["表三"]
    assert three.cell(1, 1).value == "三、收到和处理政府信息公开申请情况"
    assert row_values(three, 2, 10) == [
        "申请人情况",
        None,
        None,
        "自然人",
        "法人或其他组织",
        None,
        None,
        None,
        None,
        "总计",
    ]
    assert row_values(three, 3, 10)[4:9] == [c.label for c in APPLICANT_COLUMNS[1:6]]
    assert {"A2:C3", "D2:D3", "E2:I2", "J2:J3"} <= merged(three)
    assert three.cell(4, 1).value == "一、本年新收政府信息公开申请数量"
    assert row_values(three, 4, 10)[3:] == [
        shown_in_sheet(stored.get(f"b3_new__{c.key}")) for c in APPLICANT_COLUMNS
    ]
    # 三、本年度办理结果 spans down the results; (三)不予公开 over its eight.
    assert three.cell(6, 1).value == "三、本年度办理结果"
    assert three.cell(6, 2).value == "(一)予以公开"
    assert three.cell(8, 2).value == "(三)不予公开"
    assert three.cell(8, 3).value == "1.属于国家秘密"
    assert three.cell(15, 3).value == "8.属于行政查询事项"
    total = next(r for r in range(6, 40) if three.cell(r, 2).value == "(七)总计")
    assert {"A4:C4", f"A6:A{total}", "B6:C6", "B8:B15"} <= merged(three)
    assert three.cell(total + 1, 1).value == "四、结转下年度继续办理"
    assert three.cell(total + 2, 1).value.startswith("(本列数据的勾稽关系为")

    four = book["表四"]
    assert four.cell(1, 1).value == "四、政府信息公开行政复议、行政诉讼情况"
    assert (four.cell(2, 1).value, four.cell(2, 6).value) == ("行政复议", "行政诉讼")
    assert row_values(four, 3, 15)[:6] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
    ]
    assert four.cell(3, 11).value == "复议后起诉"
    assert row_values(four, 4, 15)[5:10] == ["结果维持", "结果纠正", "其他结果"] + [
        "尚未审结",
        "总计",
    ]
    assert {"A2:E2", "F2:O2", "A3:A4", "E3:E4", "F3:J3", "K3:O3"} <= merged(four)
    groups = ("review", "suit_direct", "suit_after_review")
    columns = ("upheld", "corrected", "other", "pending", "total")
    assert row_values(four, 5, 15) == [
        shown_in_sheet(stored.get(f"b4_{g}_{c}")) for g in groups for c in columns
    ]
    assert four.cell(7, 1).value.startswith("单位负责人：包太洋")


# Re-import --------------------------------------------------------------------


@pytest.mark.parametrize("code", ["A", "B2019", "B"])
def test_reimports_to_exactly_the_stored_values(world: World, code: str) -> None:
    report = filled_report(agency=world.district, code=code)
    stored = report_values(report)
    table_format = get_format(code)
    assert any(v is NA for v in stored.values()) == (code != "A")

    result = parse_official_sheet(
        read_sheets(report_workbook(report)),
        table_format=table_format,
        year=YEARS[code],
    )

    assert result.cells == {c: stored.get(c) for c in table_format.cells}
    assert result.signatories == {
        key: value or None for key, value in report_signatories(report).items()
    }
    assert result.agency_name == "吉林市统计局龙潭分局"
    assert result.unplaced_lines == []
    assert not [f for f in result.findings if f.rule.startswith("text_")]


def test_an_amount_a_float_cannot_hold_is_written_as_its_text() -> None:
    """18 significant digits: no database stores them exactly, so a cell
    refuses them (15 at most); the exporter still never rounds what it is
    given, and the importer refuses it rather than storing it rounded."""
    amount = Decimal("98765432109.876543")
    data = official_xlsx(
        table_format=get_format("B"),
        values={"b2_fees": amount, "b2_licensing": Decimal("0.5") * 2},
        agency_name="吉林市统计局龙潭分局",
        year=2022,
        signatories=SIGNATORIES,
    )
    two = opened(data)["表二"]
    labels = [two.cell(r, 1).value for r in range(1, two.max_row + 1)]
    fees = labels.index("行政事业性收费") + 1
    assert two.cell(fees, 2).value == "98765432109.876543"
    assert two.cell(labels.index("行政许可") + 1, 2).value == 1

    result = parse_official_sheet(
        read_sheets(data), table_format=get_format("B"), year=2022
    )
    assert result.cells.get("b2_fees") is None
    assert any("b2_fees" in f.cells for f in result.findings)
    assert result.cells["b2_licensing"] == 1


# Formulas ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "@x", "+86 0743", "-SUM(A1)"])
def test_a_signatory_like_a_formula_comes_out_as_text(world: World, text: str) -> None:
    signatories = SIGNATORIES | {"signed_head": text, "contact_phone": text}
    report = filled_report(agency=world.district, signatories=signatories)
    data = report_workbook(report)
    sheet = opened(data)["统计表"]

    types = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in types
    lines = [sheet.cell(r, 1).value for r in (sheet.max_row - 1, sheet.max_row)]
    assert lines[0].startswith(f"单位负责人：{text}\u3000")
    assert lines[1].startswith(f"联系电话：{text}\u3000")
    result = parse_official_sheet(read_sheets(data), table_format=FORMAT_A, year=2017)
    assert result.signatories["signed_head"] == text


def test_text_that_starts_like_a_formula_gets_the_quote_prefix() -> None:
    """No declared label starts so today; a format that did stays safe."""
    table = GridTable(
        key="t",
        title='=HYPERLINK("http://x")',
        prefix="t",
        rows=(GridRow("r", "-其他"), GridRow("s", "@合计")),
        columns=APPLICANT_COLUMNS[:2],
        corner="=A1",
    )
    table_format = TableFormat(
        code="T",
        name="测试",
        first_year=2030,
        last_year=None,
        tables=(
            ListTable(key="l", title="+清单", rows=(Cell("l_x", "=SUM(1)", "件"),)),
            table,
        ),
        rules=(),
        sections=(),
        title="=标题",
    )
    book = opened(
        official_xlsx(
            table_format=table_format,
            values={"t_r__np": Decimal(1)},
            agency_name="=机关",
            year=2030,
            signatories={},
        )
    )
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    risky = [c for c in cells if isinstance(c.value, str) and c.value[0] in "=+-@"]
    assert {c.value for c in risky} >= {"=标题", "+清单", "=SUM(1)", "=A1", "-其他"}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    assert not [c for c in cells if c.data_type == "f"]


# Reading only -------------------------------------------------------------------


def test_one_report_is_read_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    report = filled_report(agency=world.district, code="B")
    report.refresh_from_db()
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        report_workbook(report)


def test_the_exporters_import_no_service() -> None:
    folder = Path(__file__).resolve().parents[3] / "reports" / "exporters"
    for name in ("official.py", "printed.py", "parts.py", "print.py", "docx.py"):
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        } | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not [m for m in imported if m.startswith("reports.services")], name
