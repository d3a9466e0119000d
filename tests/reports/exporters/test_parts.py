"""reports.exporters.parts: the report's title, parts and signatory lines."""

from datetime import date

from reports.exporters.parts import (
    paragraphs,
    report_parts,
    signatory_lines,
    table_heading,
)
from reports.exporters.printed import printed_tables
from reports.tables import get_format


def test_paragraphs_split_at_blank_lines_keeping_line_breaks() -> None:
    text = "第一段\r\n第一段续\r\n\r\n第二段\n \u3000\n\n第三段  \n"
    assert paragraphs(text) == [["第一段", "第一段续"], ["第二段"], ["第三段"]]
    assert paragraphs("") == [] and paragraphs("\n \n") == []


def test_parts_in_order_numbered_where_the_format_is_not() -> None:
    table_format = get_format("A")
    tables = printed_tables(table_format, {})
    parts, appendix = report_parts(table_format, {"overview": "概述正文"}, tables)
    assert [p.title for p in parts][:3] == ["一、概述", "二、主动公开政府信息情况"] + [
        "三、回应解读情况"
    ]
    assert parts[0].paragraphs == [["概述正文"]] and parts[1].paragraphs == []
    assert all(p.table is None for p in parts)
    assert [t.key for t in appendix] == ["a"]


def test_format_b_parts_carry_their_tables() -> None:
    table_format = get_format("B")
    sections = {"active": 12, "other": "其他"}  # a stored value that is no text
    parts, appendix = report_parts(
        table_format, sections, printed_tables(table_format, {})
    )
    assert [p.title for p in parts] == [s.title for s in table_format.sections]
    assert [p.table.key if p.table else None for p in parts] == [
        None,
        "b2",
        "b3",
        "b4",
        None,
        None,
    ]
    assert parts[1].paragraphs == [] and parts[5].paragraphs == [["其他"]]
    assert appendix == []


def test_signatory_lines_and_heading() -> None:
    lines = signatory_lines(
        {
            "signed_head": "包太洋",
            "signed_reviewer": None,
            "filled_on": date(2018, 2, 8),
        }
    )
    assert lines == [
        "单位负责人：包太洋\u3000\u3000审核人：\u3000\u3000填报人：",
        "联系电话：\u3000\u3000填报日期：2018年2月8日",
    ]
    assert table_heading(get_format("A"), 2016) == (
        "政府信息公开情况统计表",
        "（2016年度）",
    )
    assert table_heading(get_format("B"), 2022)[0] == "政府信息公开工作年度报告统计表"
