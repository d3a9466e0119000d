"""Labels and headings broken over lines, group labels printed again, tables
interrupted by lines that cannot be read: read as a person reads them.

The generated corpus (test_text_corpus.py) covers these over random tables;
here each behaviour is shown on one small text, with what must not happen.
"""

from decimal import Decimal

import pytest

from reports.importers.labels import label_index
from reports.importers.text import TextImport, parse_report_text
from reports.importers.text.lines import Kind, classify_line
from reports.importers.text.pieces import join_pieces, split_piece
from reports.importers.text.table import MAX_TABLES
from reports.tables import get_format

FORMAT_B = get_format("B")
TITLE = "某区人民政府2022年政府信息公开工作年度报告"


def rules(result: TextImport) -> list[str]:
    return [f.rule for f in result.findings]


def read(*lines: str) -> TextImport:
    return parse_report_text("\n".join([TITLE, *lines]) + "\n")


def filled(result: TextImport) -> dict[str, Decimal]:
    return {c: v for c, v in result.cells.items() if isinstance(v, Decimal)}


# Rows of table 三, as a tab-split paste prints them.
GRANTED = "（一）予以公开\t3\t1\t0\t0\t0\t0\t4"
PARTIAL = "（二）部分公开\t1\t0\t0\t0\t0\t0\t1"
CARRIED_OUT = "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0"

TABLE_2_HEAD = (
    "二、主动公开政府信息情况",
    "第二十条第（一）项",
    "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
)


def test_split_piece_keeps_the_cells_after_the_piece() -> None:
    assert split_piece("行政规范性\t2\t1\t7") == ("行政规范性", "2\t1\t7")
    assert split_piece("| 行政规范性 | 2 | 1 |") == ("行政规范性", "| 2 | 1 |")
    assert split_piece("| 文件 | | |") == ("文件", "")
    assert split_piece("  行政 规范性  2 1 7") == ("行政 规范性", "2 1 7")
    assert split_piece("\t4") == ("", "\t4")


def test_a_heading_one_piece_a_line_is_one_heading() -> None:
    lines = ["三、本", "年度办", "理结果", "（一）予以公开"]
    index = label_index(FORMAT_B)

    def own(j: int) -> list | None:
        return classify_line(lines[j], index)

    joined = join_pieces(lines, 0, own(0), index, own)
    assert joined is not None
    assert joined[0][0].kind is Kind.LABEL
    assert joined[0][0].text == "三、本年度办理结果"
    assert joined[1] == joined[2] == []
    assert 3 not in joined  # the next row is read on its own


def test_a_row_label_over_two_lines_with_its_values_on_the_first() -> None:
    result = read(
        *TABLE_2_HEAD,
        "规章\t1\t0\t5",
        "  行政规范性  \t2\t1\t7",
        "  文件  ",
    )
    assert filled(result) == {
        "b2_rule_issued": 1,
        "b2_rule_repealed": 0,
        "b2_rule_in_force": 5,
        "b2_norm_issued": 2,
        "b2_norm_repealed": 1,
        "b2_norm_in_force": 7,
    }
    assert result.unplaced_lines == []


def test_a_row_label_over_three_lines_with_its_values_on_the_last() -> None:
    result = read(
        *TABLE_2_HEAD,
        "行政",
        "规范性",
        "文件\t2\t1\t7",
        "规章\t1\t0\t5",
    )
    assert result.cells["b2_norm_issued"] == 2
    assert result.cells["b2_rule_in_force"] == 5
    assert result.sources["b2_norm_issued"][0] == 7  # the line the value is on
    assert result.unplaced_lines == []


def test_a_first_piece_that_reads_as_a_heading_joins_when_cells_follow() -> None:
    """ "其他" alone is a column heading (table 三's 其他); with cells after
    it, and "对外管理服务事项" below, it is the start of a row label."""
    result = parse_report_text(
        "某局2020年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n"
        "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
        "| 规章 | 1 | 2 | 3 |\n"
        "| 规范性文件 | 4 | 5 | 6 |\n"
        "| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
        "| 行政许可 | 9 | 27 | 39 |\n"
        "| 其他 | 931 |  | 416 |\n"
        "| 对外管理服务事项 |  |  |  |\n"
    )
    assert result.cells["b2t_licensing_decisions"] == 39
    assert result.cells["b2t_other_services_prev_items"] == 931
    assert result.cells["b2t_other_services_change"] is None
    assert result.cells["b2t_other_services_decisions"] == 416
    assert "text_row_too_many" not in rules(result)


def test_blanks_a_line_each_before_headings_are_the_headings() -> None:
    """Table 四 a cell a line with its merged headings split: the empty
    cells between "复议后起诉" and the headings below are the heading's, so
    the numbers after the headings are the three groups' cells in order."""
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    numbers = ["1", "2", "\u00a0", "4", "5", "6", "7", "8", "9", "10", "11"]
    numbers += ["12", "13", "14", "\u00a0"]
    lines = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议", *["\u00a0"] * 4, "行政诉讼", *["\u00a0"] * 9, *heads,
        "未经复议直接起诉", *["\u00a0"] * 4, "复议后起诉", *["\u00a0"] * 9,
        *heads, *heads, *numbers,
    ]  # fmt: skip
    result = read(*lines)
    assert result.cells["b4_review_upheld"] == 1
    assert result.cells["b4_review_other"] is None
    assert result.cells["b4_review_pending"] == 4
    assert result.cells["b4_suit_direct_upheld"] == 6
    assert result.cells["b4_suit_after_review_pending"] == 14
    assert result.cells["b4_suit_after_review_total"] is None
    assert result.unplaced_lines == []


TABLE_3_HEAD = (
    "三、收到和处理政府信息公开申请情况",
    "| 申请人情况 |  |  | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 "
    "| 其他 | 总计 |",
    "| 一、本年新收政府信息公开申请数量 |  |  | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    "| 三、本年度办理结果 | (一)予以公开 |  | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
)


@pytest.mark.parametrize(
    "label_lines",
    [
        ["|  | (二)部分公开(区分处理的,只计 |  |  |  |  |  |  |  |  |",
         "|  | 这一情形,不计其他情形) |  | 2 | 6 | 7 | 2 | 5 |  | 22 |"],
        ["|  | (二)部分公开 |  |  |  |  |  |  |  |  |",
         "|  | (区分处理的,只计这一情形, |  |  |  |  |  |  |  |  |",
         "|  | 不计其他情形) |  | 2 | 6 | 7 | 2 | 5 |  | 22 |"],
    ],
)  # fmt: skip
def test_a_label_s_note_over_lines_with_the_cells_on_its_last(
    label_lines: list[str],
) -> None:
    """A cell printed over several lines (pipes): the label's line holds only
    the padding of the cells, the numbers stand on the note's last line."""
    result = read(*TABLE_3_HEAD, *label_lines, "|  | (三)不予公开 | 1.属于国家秘密 "
                  "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |")  # fmt: skip
    assert [
        result.cells[f"b3_partial__{c}"] for c in ("np", "biz", "oth", "total")
    ] == [
        2,
        6,
        None,
        22,
    ]
    assert result.unplaced_lines == []


def test_a_numbered_piece_alone_among_empty_cells_starts_its_label() -> None:
    """ "2.其他" is not the row "3.其他": with its cells empty, it is the first
    piece of "2.其他法律行政法规禁止公开"."""
    result = read(
        *TABLE_3_HEAD,
        "|  | (三)不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "|  |  | 2.其他 |  |  |  |  |  |  |  |",
        "|  |  | 法律行政法规禁止公开 | 39 | 56 |  | 6 | 601 |  | 702 |",
    )
    assert result.cells["b3_deny_law__np"] == 39
    assert result.cells["b3_deny_law__sci"] is None
    assert result.cells["b3_deny_law__total"] == 702
    assert result.unplaced_lines == []


def test_a_piece_that_reads_as_a_written_value_joins_a_label() -> None:
    """ "大量" alone reads as a value written in words; between "4.无正当理由"
    and "反复申请" it is a piece of the label, not the row above's value."""
    result = read(
        *TABLE_3_HEAD,
        "|  | (五)不予处理 | 3.要求提供公开出版物 |  | 8967 | 6 | 6 | 32037 |  | 89 |",
        "|  |  | 4.无正当理由 | 52463 | 93 | 541 | 3900 | 9443 | 5195 | 99 |",
        "大量",
        "反复申请",
    )
    assert result.cells["b3_reject_publication__total"] == 89
    assert result.cells["b3_reject_mass__np"] == 52463
    assert "text_bad_number" not in rules(result)
    assert result.unplaced_lines == []


def test_a_row_with_nothing_after_it_before_a_heading_is_blank() -> None:
    """Text aligned with spaces prints nothing for blank cells: "行政事业性
    收费" with both cells blank, then the next part's heading, then "政府集中
    采购 76 0"."""
    result = parse_report_text(
        "某局2020年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n"
        "信息内容            本年新制作数量   本年新公开数量   对外公开总数量\n"
        "规章                1                2                3\n"
        "规范性文件          4                5                6\n"
        "第二十条第(八)项\n"
        "信息内容            上一年项目数量   本年增/减\n"
        "行政事业性收费\n"
        "第二十条第(九)项\n"
        "信息内容            采购项目数量     采购总金额\n"
        "政府集中采购        76               0\n"
    )
    assert result.cells["b2t_fees_prev_items"] is None
    assert result.cells["b2t_fees_change"] is None
    assert result.cells["b2t_procurement_items"] == 76
    assert result.cells["b2t_procurement_amount"] == 0
    assert "text_row_incomplete" not in rules(result)


def test_pieces_that_make_no_label_are_reported_not_guessed() -> None:
    result = read(*TABLE_2_HEAD, "规章\t1\t0\t5", "行政规范", "性条例\t2\t1\t7")
    assert "b2_norm_issued" not in filled(result)
    assert [n for n, _t in result.unplaced_lines] == [7]  # the numbers


def test_a_group_label_printed_on_every_row_is_one_table() -> None:
    group = "三、本年度办理结果"
    result = read(
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t5\t1\t0\t0\t0\t0\t6",
        f"{group}\t{GRANTED}",
        f"{group}\t{PARTIAL}",
        f"{group}\t（三）不予公开\t1．属于国家秘密\t0\t0\t0\t0\t0\t0\t0",
        f"{group}\t（三）不予公开\t2．其他法律行政法规禁止公开\t2\t0\t0\t0\t0\t0\t2",
        CARRIED_OUT,
    )
    assert "text_two_tables" not in rules(result)
    assert len(result.tables) == 1
    assert result.cells["b3_deny_law__np"] == 2
    assert result.cells["b3_carried_out__total"] == 0


def test_a_table_pasted_twice_is_still_two_tables() -> None:
    rows = (
        GRANTED,
        CARRIED_OUT,
    )
    once = ("三、本年度办理结果", *rows)
    result = read("三、收到和处理政府信息公开申请情况", *once, *once)
    assert "text_two_tables" in rules(result)


def test_a_table_goes_on_after_lines_that_cannot_be_read() -> None:
    result = read(
        *TABLE_2_HEAD,
        "规章\t1\t0\t5",
        "打印本页",
        "关闭窗口",
        "返回顶部",
        "合计 12 件",
        "第二十条第（五）项",
        "信息内容\t本年处理决定数量",
        "行政许可\t30",
    )
    assert result.cells["b2_licensing"] == 30
    assert result.cells["b2_rule_in_force"] == 5
    # The number between the two stretches of the table is not left unsaid.
    assert 9 in [n for n, _t in result.unplaced_lines]


def test_a_number_after_an_unreadable_line_is_not_the_full_row_s() -> None:
    result = read(*TABLE_2_HEAD, "规章\t1\t0\t5", "返回顶部", "15", "行政许可\t30")
    assert result.cells["b2_rule_in_force"] == 5
    assert "text_row_too_many" not in rules(result)
    assert 7 in [n for n, _t in result.unplaced_lines]


def test_a_table_a_cell_per_line_starts_however_long_its_rows() -> None:
    # Each row of table 三 takes 16 lines: the labels are far apart in lines.
    lines = ["三、收到和处理政府信息公开申请情况", "注：本表按申请人类型统计。"]
    rows = [
        ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 0, 6]),
        ("二、上年结转政府信息公开申请数量", [0, 0, 0, 0, 0, 0, 0]),
        ("（一）予以公开", [3, 1, 0, 0, 0, 0, 4]),
    ]
    for label, values in rows:
        lines.append(label)
        for value in values:
            lines += ["\t", str(value)]
    result = read(*lines)
    assert result.table_found
    assert result.cells["b3_new__np"] == 5
    assert result.cells["b3_granted__total"] == 4


def test_a_paste_of_many_copies_lists_the_first_tables_and_says_more() -> None:
    copy = (
        GRANTED,
        PARTIAL,
        CARRIED_OUT,
        "一是公开质量有待提高。",
    )
    result = read("三、收到和处理政府信息公开申请情况", *copy * (MAX_TABLES + 5))
    assert MAX_TABLES <= len(result.tables) <= MAX_TABLES + 1
    (finding,) = [f for f in result.findings if f.rule == "text_two_tables"]
    assert f"至少 {len(result.tables)} 张统计表" in finding.message
    few = read("三、收到和处理政府信息公开申请情况", *copy * 3)
    assert len(few.tables) == 3
    assert "文中有 3 张统计表" in next(
        f.message for f in few.findings if f.rule == "text_two_tables"
    )
