"""Flat sheets: headers by code or by label, rows as incoming reports."""

import pytest

from reports.importers.flat import (
    FORMULA_STARTS,
    FlatSheetError,
    parse_flat,
    quote_formula,
    unquote_formula,
)
from reports.importers.sheets import Sheet, read_sheet
from reports.models import AnnualReport
from reports.services.imports import reports_import
from tests.conftest import World


def sheet(*rows: list[object]) -> Sheet:
    return Sheet(name="报表", rows=[list(r) for r in rows])


def test_rows_become_incoming_reports() -> None:
    items = parse_flat(
        sheet(
            ["agency_code", "year", "a1_total", "a3_received", "signed_head"],
            ["hn-xx", 2017, 248071, 15, "包太洋"],
            [None, None, None, None, None],
            ["jl-lt", "2016", None, 0, None],
        )
    )
    assert [(i.row, i.agency_code, i.year) for i in items] == [
        (2, "hn-xx", 2017),
        (4, "jl-lt", "2016"),
    ]
    assert items[0].values == {"a1_total": 248071, "a3_received": 15}
    assert items[0].signatories == {"signed_head": "包太洋"}
    assert items[1].values == {"a1_total": None, "a3_received": 0}
    assert items[0].columns["a3_received"] == "a3_received"
    # One read-only mapping for every row, not a dict a row.
    assert items[1].columns is items[0].columns
    with pytest.raises(TypeError):
        items[0].columns["a1_total"] = "x"  # type: ignore[index]


def test_headers_may_be_official_labels_in_any_numbering() -> None:
    items = parse_flat(
        sheet(
            [
                "机关代码",
                "年度",
                "(一)收到申请数",
                "1、当面申请数",
                "兼职人员数",
                "概述",
            ],
            ["hn-xx", 2017, 15, 1, 734, "全年工作概述"],
        )
    )
    assert items[0].values == {
        "a3_received": 15,
        "a3_recv_in_person": 1,
        "a8_staff_parttime": 734,
    }
    assert items[0].sections == {"overview": "全年工作概述"}


def test_agency_by_full_name_and_table_year() -> None:
    items = parse_flat(
        sheet(
            ["填报单位", "报告年度", "统计表标注年度"],
            ["吉林市统计局龙潭分局", 2017, "2016年度"],
        )
    )
    assert items[0].agency_name == "吉林市统计局龙潭分局"
    assert items[0].table_year == 2016


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (["agency_code", "year", "不存在的指标"], "C1 列“不存在的指标”无法识别"),
        (["agency_code", "year", "(二)被依法纠错数"], "对应多个单元格"),
        (["agency_code", "a1_total"], "缺少年度列"),
        (["year", "a1_total"], "缺少机关代码"),
        (["agency_code", "year", "a1_total", "a1_total"], "重复"),
    ],
)
def test_bad_headers_are_refused_saying_where(header: list[str], words: str) -> None:
    with pytest.raises(FlatSheetError) as refused:
        parse_flat(sheet(header, ["x"] * len(header)))
    assert any(words in m for m in refused.value.messages), refused.value.messages
    assert all("报表" in m for m in refused.value.messages)


def test_a_table_year_that_is_not_a_year_is_refused_with_its_row() -> None:
    items = parse_flat(
        sheet(["agency_code", "year", "table_year"], ["hn-xx", 2017, "二〇一六"])
    )
    assert items[0].table_year is None
    assert items[0].errors == ["第 2 行：统计表标注年度“二〇一六”不是年份。"]


@pytest.mark.parametrize("text", ["1,5", "0,35", "1,,2", ",5", "5,0", "١٢"])
def test_a_misspelled_number_refuses_its_row_naming_row_and_column(
    world: World, text: str
) -> None:
    data = f'agency_code,year,a1_total,a8_budget\nt-jl-lt,2017,5,"{text}"\n'
    items = parse_flat(read_sheet(data.encode(), filename="报表.csv"))
    outcome = reports_import(incoming=items, user=world.clerk, dry_run=True)
    (row,) = outcome.rows
    assert not outcome.ok and row.action == "refused"
    assert [e for e in row.errors if "a8_budget" in e][0].startswith(
        f"第 2 行「a8_budget」列：「政府信息公开专项经费」的值“{text}”不是数字"
    ), row.errors
    assert AnnualReport.objects.count() == 0


def test_grouped_and_full_width_numbers_are_read(world: World) -> None:
    data = 'agency_code,year,a1_total,a8_budget\nt-jl-lt,2017,"1,234","１，２３４.5"\n'
    items = parse_flat(read_sheet(data.encode(), filename="报表.csv"))
    outcome = reports_import(incoming=items, user=world.clerk, dry_run=True)
    (row,) = outcome.rows
    assert (row.action, row.errors) == ("new", [])


# A file of the flat export (reports/exporters/flat.py) ---------------------------


def test_the_exports_columns_for_people_are_read_past() -> None:
    for header in (
        ["agency_code", "year", "format", "status", "missing_count",
         "error_count", "warning_count", "a1_total"],
        ["机关代码", "年度", "统计表格式", "状态", "缺项", "错误", "提示", "a1_total"],
    ):  # fmt: skip
        (item,) = parse_flat(sheet(header, ["t-jl-lt", 2017, "A", "草稿", 3, 1, 0, 5]))
        assert item.values == {"a1_total": 5} and item.errors == []


def test_a_blank_cell_or_section_of_another_format_is_no_input(world: World) -> None:
    header = ["agency_code", "year", "a1_total", "b2_rule_issued", "b2t_rule_new_made",
              "section:response", "section:applications"]  # fmt: skip
    items = parse_flat(
        sheet(
            header,
            ["t-jl-lt", 2017, 5, None, "", "", " "],
            ["t-jl-lt", 2022, None, 3, None, None, "申请情况"],
        )
    )
    assert items[0].values == {"a1_total": 5}
    assert items[0].sections == {"response": ""}  # A's own: a blank answer
    assert items[1].values == {"b2_rule_issued": 3}
    assert items[1].sections == {"applications": "申请情况"}
    outcome = reports_import(incoming=items, user=world.clerk, dry_run=True)
    assert outcome.ok, outcome.errors


def test_a_filled_cell_of_another_format_is_refused_naming_row_and_column(
    world: World,
) -> None:
    header = ["agency_code", "year", "a1_total", "b2_rule_issued", "section:reviews"]
    items = parse_flat(sheet(header, ["t-jl-lt", 2017, 5, 0, "复议"]))
    (row,) = reports_import(incoming=items, user=world.clerk, dry_run=True).rows
    assert row.action == "refused"
    assert any(e.startswith("第 2 行「b2_rule_issued」列：") for e in row.errors)
    assert any("没有正文部分“reviews”" in e for e in row.errors), row.errors


def test_a_row_whose_year_is_unreadable_keeps_its_cells_for_the_import() -> None:
    (item,) = parse_flat(
        sheet(["agency_code", "year", "b2_rule_issued"], ["x", "某年", None])
    )
    assert item.values == {"b2_rule_issued": None}


@pytest.mark.parametrize(
    "text", ["=1+1", "+86 431", "-3", "@A1", "\tx", "'=x", "''+y", "'", "'a", "a=b"]
)
def test_quoting_against_formulae_comes_off_exactly(text: str) -> None:
    quoted = quote_formula(text)
    assert not quoted.startswith(FORMULA_STARTS)
    assert unquote_formula(quoted) == text
    (item,) = parse_flat(
        sheet(["agency_code", "year", "signed_head"], ["x", 2017, quoted])
    )
    assert item.signatories["signed_head"] == text
