"""The roll-up workbook (reports/exporters/rollup_xlsx.py), opened with
openpyxl and read back cell by cell."""

import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from reports.exporters.rollup import STATUS_CHOICES, TOTAL, Rollup, rollup
from reports.exporters.rollup_xlsx import rollup_workbook, safe_text
from reports.exporters.rollup_years import figure_series
from reports.layout import blocks
from reports.tables import NA
from tests.conftest import World
from tests.factories import make_agency
from tests.reports.exporters.rollup_tree import (
    YEAR,
    Status,
    Tree,
    a_values,
    build_tree,
    file_report,
)

APPROVED = STATUS_CHOICES["approved"]
HEAD_ROW = 4  # the column headings (1-based), after the title and a note


@pytest.fixture
def tree(world: World) -> Tree:
    return build_tree(world)


def workbook(result: Rollup) -> Workbook:
    series = figure_series(result.node, range(2015, result.year + 1), APPROVED)
    data = rollup_workbook(rollup=result, series=series)
    return openpyxl.load_workbook(io.BytesIO(data))


def expected(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return "/" if value is NA else None


def test_list_table_cell_by_cell(tree: Tree) -> None:
    result = rollup(node=tree.xx, year=YEAR, statuses=APPROVED)
    book = workbook(result)
    assert book.sheetnames == ["汇总表", "未纳入及未审核", "图表数据", "图表"]
    sheet = book["汇总表"]
    assert (
        sheet["A1"].value
        == "湘西土家族苗族自治州人民政府2017年度政府信息公开情况统计表（汇总）"
    )
    assert "汇总仅已通过的报告共 4 份" in sheet["A2"].value
    heads = [c.value for c in sheet[HEAD_ROW]]
    assert heads == [
        "统计指标",
        "单位",
        "本级",
        "州政务公开政务服务管理办公室",
        "吉首市人民政府",
        "凤凰县人民政府",
        "永顺县人民政府",
        "合计",
    ]
    counts = [c.value for c in sheet[HEAD_ROW + 1]][2:]
    assert counts == ["1 份", "1 份", "2 份", "0 份", "0 份", "4 份"]
    [part] = result.parts
    [block] = blocks(part.table_format)
    row = HEAD_ROW + 2
    for line in block.rows:
        cells = [c.value for c in sheet[row]]
        assert cells[0] == line.label
        assert cells[1] == line.unit
        if line.slot is None:
            assert cells[2:8] == [None] * 6
        else:
            code = line.slot.cell.code
            assert cells[2:8] == [
                expected(part.value(c.key, code)) for c in part.columns
            ]
        row += 1
    # figures added up by hand, as they sit in the sheet
    by_label = {r[0].value: [c.value for c in r] for r in sheet.iter_rows()}
    first = by_label["(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)"]
    assert first[2:] == [10, 5, 27, None, None, 42]
    fees = by_label["七、依申请公开信息收取的费用"]
    assert fees[2:] == [0.35, None, 0.1, None, None, pytest.approx(0.45)]
    texts = [r[0].value for r in sheet.iter_rows() if r[0].value]
    assert "汇总数校验" in texts
    assert "合计（错误）" in texts
    assert "吉首市人民政府（错误）" in texts


def test_members_sheet_names_everyone_left_out(tree: Tree) -> None:
    result = rollup(node=tree.xx, year=YEAR, statuses=STATUS_CHOICES["submitted"])
    rows = list(workbook(result)["未纳入及未审核"].values)
    assert rows == [
        ("机关代码", "机关名称", "报告状态", "情况"),
        ("t-xx-ys", "永顺县人民政府", "未填报", "未纳入汇总"),
        ("t-xx-ys-tjj", "永顺县统计局", "草稿", "未纳入汇总"),
        ("t-xx-fh", "凤凰县人民政府", "已提交", "已纳入汇总，尚未审核通过"),
    ]


def test_native_charts_read_the_chart_data(tree: Tree) -> None:
    file_report(agency=tree.xx, year=2016, values=a_values(8, 3, 3, 0, 0, 0))
    book = workbook(rollup(node=tree.xx, year=YEAR, statuses=APPROVED))
    data = list(book["图表数据"].values)
    assert data[0] == (
        "汇总单位",
        "主动公开政府信息数",
        "收到申请数",
        "行政复议数",
        "行政诉讼数",
    )
    assert data[1][:3] == ("本级", 10, 4)
    assert data[3][:3] == ("吉首市人民政府", 27, 7)
    assert data[4][:3] == ("凤凰县人民政府", None, None)
    years = data[data.index(("年度", *data[0][1:])) :]
    assert years[1][:2] == ("2015年", None)
    assert years[2][:3] == ("2016年", 8, 3)
    assert years[3][:3] == ("2017年", 42, 13)
    charts = book["图表"]._charts
    kinds = [type(c).__name__ for c in charts]
    assert kinds == ["BarChart"] * 4 + ["LineChart"] * 4  # one per figure
    bars, lines = charts[:4], charts[4:]
    assert bars[0].series[0].val.numRef.f == "图表数据!$B$2:$B$6"
    assert bars[0].series[0].cat.strRef.f == "图表数据!$A$2:$A$6"
    assert bars[1].series[0].val.numRef.f == "图表数据!$C$2:$C$6"
    assert lines[1].series[0].val.numRef.f == "图表数据!$C$10:$C$12"
    assert lines[1].series[0].cat.strRef.f == "图表数据!$A$10:$A$12"


def test_format_b_grid_repeats_each_row_per_column(tree: Tree) -> None:
    year = 2022
    file_report(agency=tree.xx, year=year, values={"b3_new__np": 2, "b3_new__total": 2})
    file_report(agency=tree.js, year=year, values={"b3_new__np": 5, "b3_new__total": 5})
    file_report(agency=tree.zw, year=year, values={"b2_rule_issued": "/"})
    result = rollup(node=tree.xx, year=year, statuses=APPROVED)
    sheet = workbook(result)["汇总表"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    start = next(
        i for i, r in enumerate(rows) if r[0] == "一、本年新收政府信息公开申请数量"
    )
    labels = [rows[start + k][1] for k in range(6)]
    assert labels == [
        "本级",
        "州政务公开政务服务管理办公室",
        "吉首市人民政府",
        "凤凰县人民政府",
        "永顺县人民政府",
        "合计",
    ]
    # 自然人 is the first grid column, 总计 the last (col I)
    assert [rows[start + k][2] for k in range(6)] == [2, None, 5, None, None, 7]
    assert [rows[start + k][8] for k in range(6)] == [2, None, 5, None, None, 7]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"A{start + 1}:A{start + 6}" in merged  # the row label spans its columns
    issued = next(i for i, r in enumerate(rows) if r[0] == "规章")
    assert rows[issued + 1][1] == "州政务公开政务服务管理办公室"
    assert rows[issued + 1][2] == "/"
    assert rows[issued + 5][2] == "/"  # only "/" given: the total reads "/"
    assert result.parts[0].value(TOTAL, "b2_rule_issued") is NA


def test_formulae_in_names_are_escaped(tree: Tree) -> None:
    names = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(1)", "\tx", "\rx"]
    for n, name in enumerate(names):
        agency = make_agency(parent=tree.xx, name=name, code=f"=t-odd-{n}")
        if n % 2:
            file_report(agency=agency, values=a_values(1, 0, 0, 0, 0, 0))
        else:
            file_report(agency=agency, status=Status.RETURNED)
    book = workbook(rollup(node=tree.xx, year=YEAR, statuses=APPROVED))
    texts = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    for name in names:
        # XlsxWriter stores a carriage return as OOXML's _x000D_, which Excel
        # reads back as the character and openpyxl leaves as it is.
        stored = name.replace("\r", "_x000D_")
        assert "'" + stored in texts, name
        assert stored not in texts
    assert "'=t-odd-0" in texts  # codes too
    assert all(
        cell.data_type != "f"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    )


def test_safe_text() -> None:
    assert safe_text("=1") == "'=1"
    assert safe_text("\r=1") == "'\r=1"
    assert safe_text("湘西州") == "湘西州"
    assert safe_text("—") == "—"  # the unit of a heading row: not a minus
    assert safe_text(None) == ""


def test_two_formats_get_a_sheet_each(tree: Tree) -> None:
    archive = make_agency(parent=tree.xx, name="州档案馆", code="t-xx-da")
    file_report(agency=archive, format_code="B", values={"b3_new__total": 3})
    book = workbook(rollup(node=tree.xx, year=YEAR, statuses=APPROVED))
    assert book.sheetnames[:2] == ["汇总表-A", "汇总表-B"]
    assert "共 1 份" in book["汇总表-B"]["A2"].value
    assert "共 4 份" in book["汇总表-A"]["A2"].value
