"""reports.exporters.docx: the publishable report, opened with python-docx.

Headings, paragraphs and table cells are read back: the parts in the
format's order, the text split at blank lines, the statistics tables as Word
tables in the official layout (merged headings of table 三 and 四).
"""

import io

import docx
import pytest
from django.urls import reverse
from docx.document import Document
from docx.table import Table

from reports.exporters.docx import DOCX_TYPE, report_docx
from reports.selectors import report_values
from reports.tables import get_format
from reports.tables.b import APPLICANT_COLUMNS
from reports.tables.base import shown
from tests.conftest import World
from tests.factories import client_for
from tests.reports.exporters.filled import filled_report


def opened(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def styled(document: Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]  # type: ignore[union-attr]


def texts(table: Table, row: int) -> list[str]:
    return [cell.text for cell in table.rows[row].cells]


def same_cell(table: Table, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two grid places belong to one merged Word cell."""
    return table.cell(*a)._tc is table.cell(*b)._tc


@pytest.mark.parametrize("code", ["B", "B2019"])
def test_format_b_six_parts_in_order_text_split_at_blank_lines(
    world: World, code: str
) -> None:
    report = filled_report(agency=world.district, code=code)
    document = opened(report_docx(report))
    paragraphs = styled(document)

    year = 2022 if code == "B" else 2019
    assert paragraphs[0] == (
        "Title",
        f"吉林市统计局龙潭分局{year}年政府信息公开工作年度报告",
    )
    headings = [t for style, t in paragraphs if style == "Heading 1"]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    overview = paragraphs.index(("Heading 1", "一、总体情况"))
    assert paragraphs[overview + 1 : overview + 3] == [
        ("Normal", "overview第一段。\n第一段的第二行。"),
        ("Normal", "overview第二段。"),
    ]
    assert [len(table.columns) for table in document.tables] == [4, 10, 15]
    # Each table follows its own part's text, before the next part.
    body = [
        "table" if isinstance(item, Table) else item.text
        for item in document.iter_inner_content()
    ]
    for heading, key in ((2, "b2"), (3, "b3"), (4, "b4")):
        at = body.index(headings[heading - 1])
        assert body[at + 1 : at + 4] == [
            f"{SECTION_KEYS[key]}第一段。\n第一段的第二行。",
            f"{SECTION_KEYS[key]}第二段。",
            "table",
        ]


SECTION_KEYS = {"b2": "active", "b3": "applications", "b4": "reviews"}


def test_table_three_and_four_cells_and_merged_headings(world: World) -> None:
    report = filled_report(agency=world.district, code="B")
    stored = report_values(report)
    two, three, four = opened(report_docx(report)).tables

    assert texts(three, 0)[:5] == ["申请人情况"] * 3 + ["自然人", "法人或其他组织"]
    assert texts(three, 1)[4:9] == [c.label for c in APPLICANT_COLUMNS[1:6]]
    assert same_cell(three, (0, 0), (1, 2))  # 申请人情况: three columns, two rows
    assert same_cell(three, (0, 4), (0, 8))  # 法人或其他组织 over five
    assert same_cell(three, (0, 9), (1, 9))  # 总计 down two
    assert not same_cell(three, (1, 4), (1, 5))
    assert texts(three, 2) == ["一、本年新收政府信息公开申请数量"] * 3 + [
        shown(stored.get(f"b3_new__{c.key}")) for c in APPLICANT_COLUMNS
    ]
    assert same_cell(three, (4, 0), (25, 0))  # 三、本年度办理结果 down to (七)总计
    assert texts(three, 6)[1:3] == ["(三)不予公开", "1.属于国家秘密"]
    assert same_cell(three, (6, 1), (13, 1))
    assert [c.text for c in three.rows[0].cells[:1]][0].strip() == "申请人情况"

    assert texts(four, 0)[0] == "行政复议" and texts(four, 0)[5] == "行政诉讼"
    assert same_cell(four, (0, 5), (0, 14))
    assert same_cell(four, (1, 0), (2, 0))  # 结果维持 down two
    assert (
        texts(four, 1)[5] == "未经复议直接起诉" and texts(four, 1)[10] == "复议后起诉"
    )
    groups = ("review", "suit_direct", "suit_after_review")
    columns = ("upheld", "corrected", "other", "pending", "total")
    assert texts(four, 3) == [
        shown(stored.get(f"b4_{g}_{c}")) for g in groups for c in columns
    ]

    assert texts(two, 0) == ["第二十条第(一)项"] * 4
    assert texts(two, 1) == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert texts(two, 2) == ["规章"] + [
        shown(stored.get(f"b2_rule_{c}")) for c in ("issued", "repealed", "in_force")
    ]
    assert "/" in [c.text for row in two.rows for c in row.cells]
    cell_style = three.cell(2, 3).paragraphs[0].style
    assert (cell_style.name, cell_style.font.size.pt) == ("表格文字", 9)
    # Column headings repeat on every page.
    header_rows = [
        row
        for row in three.rows
        if row._tr.trPr is not None and row._tr.trPr.xpath("w:tblHeader")
    ]
    assert len(header_rows) == 2


def test_format_a_parts_then_the_table_with_its_signatories(world: World) -> None:
    report = filled_report(agency=world.district, code="A")
    stored = report_values(report)
    document = opened(report_docx(report))
    paragraphs = styled(document)

    headings = [t for style, t in paragraphs if style == "Heading 1"]
    assert headings == [
        "一、概述",
        "二、主动公开政府信息情况",
        "三、回应解读情况",
        "四、依申请公开政府信息情况",
        "五、行政复议、行政诉讼和举报投诉情况",
        "六、机构建设、保障经费和培训会议情况",
        "七、存在的主要问题及改进情况",
        "八、其他需要报告的事项",
        "政府信息公开情况统计表",
    ]
    after = paragraphs[paragraphs.index(("Heading 1", "政府信息公开情况统计表")) :]
    assert [t for _s, t in after[1:3]] == [
        "（2017年度）",
        "填报单位：吉林市统计局龙潭分局",
    ]
    assert after[-2][1].startswith("单位负责人：包太洋")
    assert after[-1][1] == "联系电话：0743-8233025\u3000\u3000填报日期：2018年2月28日"
    (table,) = document.tables
    assert texts(table, 0) == ["统计指标", "单位", "统计数"]
    rows = get_format("A").tables[0].rows
    assert len(table.rows) == len(rows) + 1
    for number, entry in enumerate(rows, start=1):
        code = getattr(entry, "code", None)
        assert texts(table, number) == [
            entry.label,
            getattr(entry, "unit", "—"),
            shown(stored.get(code)) if code else "",
        ]


def test_formulas_and_control_characters_come_out_as_text(world: World) -> None:
    report = filled_report(
        agency=world.district,
        code="A",
        sections={"overview": "=1+1\x0b续\x1f", "other": "@x"},
        signatories={"signed_head": "=1+1"},
    )
    paragraphs = [t for _s, t in styled(opened(report_docx(report)))]
    assert "=1+1续" in paragraphs and "@x" in paragraphs
    assert any(t.startswith("单位负责人：=1+1") for t in paragraphs)


def test_served_as_a_word_download(world: World) -> None:
    report = filled_report(agency=world.district, code="B")
    response = client_for(world.reviewer).get(
        reverse("admin:reports_annualreport_export_docx", args=[report.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert "attachment" in response["Content-Disposition"]
    assert ".docx" in response["Content-Disposition"]
    assert opened(response.content).paragraphs[0].text.endswith("年度报告")
