"""Values that are no number ("十二", "若干", "约5") are refused, never a blank.

Tables are generated here, not copied from the seeds: every row of format A
laid out one of many ways a published report prints it (label and value on
one line with spaces, tabs, full-width spaces, "|" or "：" between them, a
unit or not, on consecutive lines, seed 002's "label |" lines, indented with
non-breaking spaces, full-width or half-width punctuation in the labels, page
numbers in between), each value a number, a blank or something written
without a number. Whatever the layout, every number is read, every blank is
a blank and nothing more, and every non-number is refused in its cell's name
with its line.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from reports.importers.text import TextImport, parse_report_text
from reports.importers.text.values import is_page_number, looks_like_value
from reports.tables import Header, get_format

FORMAT_A = get_format("A")
WRITTEN = ["十二", "若干", "约5", "三十余", "5左右", "壹拾贰", "一百多", "不详", "无"]
WRITTEN += ["十二条", "约 5", "近百", "3-5", "未统计", "两千"]
SEPARATORS = [" ", "   ", "\t", "\u3000", "\u3000\u3000", " | ", "|", "｜", "：", ":"]
INDENTS = ["", "  ", "\xa0\xa0\xa0\xa0 ", "\u3000\u3000"]
PAGES = ["- 3 -", "— 12 —", "第 3 页", "第3页 共12页", "－5－", "3/12", "3 / 12"]


def bad(result: TextImport) -> dict[tuple[str, ...], str]:
    return {f.cells: f.message for f in result.findings if f.rule == "text_bad_number"}


def rules(result: TextImport) -> list[str]:
    return [f.rule for f in result.findings]


@dataclass
class Document:
    """A generated report, and what reading it must give."""

    lines: list[str] = field(default_factory=list)
    numbers: dict[str, Decimal] = field(default_factory=dict)
    blanks: set[str] = field(default_factory=set)
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)  # line, text

    def add(self, line: str) -> int:
        self.lines.append(line)
        return len(self.lines)  # 1-based

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def respell(label: str, rng: random.Random) -> str:
    """The label with full-width or half-width punctuation and numbering."""
    if rng.random() < 0.5:
        label = label.replace("(", "（").replace(")", "）")
    if rng.random() < 0.5:
        label = label.replace(":", "：")
    if rng.random() < 0.3:
        label = label.replace(".", "、", 1)
    return label


def a_number(code: str, rng: random.Random) -> tuple[str, Decimal]:
    if FORMAT_A.cells[code].unit == "万元":
        cents = rng.randrange(0, 100000)
        return f"{cents / 100:.2f}", Decimal(cents) / 100
    n = rng.choice([0, 1, 7, 12, 253, 1234, 248071])
    spelled = rng.choice(
        [
            str(n),
            f"{n:,}",
            str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        ]
    )
    return spelled, Decimal(n)


def generate(seed: int) -> Document:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    doc = Document()
    for line in [
        "某县统计局2017年政府信息公开工作年度报告",
        "一、概述",
        "本年度工作情况良好。",
    ]:
        doc.add(line)
    doc.add("政府信息公开情况统计表")
    doc.add(rng.choice(["(2017年度)", "（2017年度）"]))
    doc.add("填报单位（盖章）：某县统计局")
    doc.add(
        rng.choice(["统计指标 | 单位 | 统计数", "统计指标\t单位\t统计数", "统计指标"])
    )
    for row in FORMAT_A.tables[0].rows:
        if rng.random() < 0.08:
            doc.add(rng.choice(PAGES))
        indent = rng.choice(INDENTS)
        label = indent + respell(row.label, rng)
        if isinstance(row, Header):
            doc.add(label + rng.choice(["", " | — |", "\t—", " —"]))
            continue
        kind = rng.choices(["number", "blank", "written"], [5, 2, 2])[0]
        if kind == "number":
            printed, value = a_number(row.code, rng)
            doc.numbers[row.code] = value
        elif kind == "written":
            printed = rng.choice(WRITTEN)
        else:
            printed = ""
            doc.blanks.add(row.code)
        unit = row.unit if rng.random() < 0.5 else ""
        if rng.random() < 0.5:  # label and value on one line
            sep = rng.choice(SEPARATORS)
            if sep.strip() in ":：":
                line = label + sep + printed
            elif sep.strip() in "|｜":
                line = label + sep + (unit + sep if unit else "") + printed + sep
            else:
                line = label + (sep + unit if unit else "") + sep + printed
            number = doc.add(line.rstrip() if not printed else line)
        else:  # label, unit and value on lines of their own
            pipe = " |" if rng.random() < 0.3 else ""
            doc.add(label + pipe)
            if unit:
                doc.add(indent + unit + pipe)
            if rng.random() < 0.1:
                doc.add(rng.choice(PAGES))  # a page break between label and value
            if printed:
                number = doc.add(indent + printed + pipe)
            elif rng.random() < 0.5:
                doc.add(rng.choice(["\xa0", " ", "|"]))
        if kind == "written":
            doc.refused[row.code] = (number, printed)
    doc.add("单位负责人：张三    审核人：李四    填报人：王五")
    doc.add("联系电话：0431-1234567    填报日期：2018-02-28")
    return doc


@pytest.mark.parametrize("seed", range(40))
def test_generated_tables_refuse_every_non_number_and_nothing_else(seed: int) -> None:
    doc = generate(seed)
    result = parse_report_text(doc.text)
    assert result.table_found
    assert result.unplaced_lines == []
    assert "text_row_incomplete" not in rules(result)
    for code, value in doc.numbers.items():
        assert result.cells[code] == value, (code, doc.text)
    for code in doc.blanks | set(doc.refused):
        assert result.cells[code] is None, code
    refused = bad(result)
    assert set(refused) == {(code,) for code in doc.refused}, doc.text
    for code, (line, printed) in doc.refused.items():
        name = FORMAT_A.cells[code].display_name
        assert refused[(code,)] == f"第{line}行：「{name}」的值“{printed}”不是数字。"


def test_the_generator_makes_every_kind_of_line() -> None:
    """The documents above hold what they claim to test."""
    docs = [generate(seed) for seed in range(40)]
    text = "\n".join(doc.text for doc in docs)
    for sep in ["\t", "\u3000", " | ", "：", ":"]:
        assert any(sep + printed in text for printed in WRITTEN), sep
    assert sum(len(doc.refused) for doc in docs) > 100
    assert sum(len(doc.blanks) for doc in docs) > 100
    assert any(page in text for page in PAGES)
    assert "（一）" in text and "(一)" in text


# One layout at a time ---------------------------------------------------------

HEAD = """某县统计局2017年政府信息公开工作年度报告
政府信息公开情况统计表
（2017年度）
统计指标 | 单位 | 统计数
一、主动公开情况 | — |
（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条） | 条 | 7
"""
TAIL = (
    "制发规范性文件总数 | 件 | 3\n1.政府公报公开政府信息数 | 条 | 2\n单位负责人：张三\n"
)
LABEL = "其中：主动公开规范性文件数"


@pytest.mark.parametrize("sep", SEPARATORS + [" 条 ", "\t条\t", " | 条 | "])
@pytest.mark.parametrize("printed", ["12", "十二", "若干", "约5", "约 5"])
def test_label_and_value_on_one_line(sep: str, printed: str) -> None:
    result = parse_report_text(HEAD + LABEL + sep + printed + "\n" + TAIL)
    assert result.unplaced_lines == []
    assert result.cells["a1_normative_issued"] == Decimal(3)  # the next row's
    if printed == "12":
        assert result.cells["a1_normative"] == Decimal(12)
        assert bad(result) == {}
    else:
        assert result.cells["a1_normative"] is None
        assert bad(result) == {
            (
                "a1_normative",
            ): f"第7行：「主动公开规范性文件数」的值“{printed}”不是数字。"
        }


@pytest.mark.parametrize(
    "between", ["\n", "\n\n", "\n条\n", "\n条\n\n", "\n\xa0\n", "\n- 2 -\n"]
)
@pytest.mark.parametrize("printed", ["12", "十二", "若干", "约5"])
def test_label_and_value_on_consecutive_lines(between: str, printed: str) -> None:
    text = HEAD + LABEL + between + printed + "\n" + TAIL
    result = parse_report_text(text)
    assert result.unplaced_lines == []
    line = text.split("\n").index(printed) + 1
    if printed == "12":
        assert result.cells["a1_normative"] == Decimal(12)
        assert bad(result) == {}
    else:
        assert [f.cells for f in result.findings if f.rule == "text_bad_number"] == [
            ("a1_normative",)
        ]
        assert bad(result)[("a1_normative",)].startswith(f"第{line}行：")


@pytest.mark.parametrize(
    "blank",
    ["", " |", " | 条 |", " | 条 |  |", "\t条\t", "：", "\n\xa0", "\n|", "\n条\n"],
)
def test_a_blank_cell_is_a_blank_not_a_refusal(blank: str) -> None:
    result = parse_report_text(HEAD + LABEL + blank + "\n" + TAIL)
    assert result.cells["a1_normative"] is None
    assert bad(result) == {}
    assert result.unplaced_lines == []
    assert result.sources["a1_normative"][0] == 7


def test_headings_without_values_are_not_refused() -> None:
    text = HEAD.replace(
        "（一）主动公开政府信息数",
        "（二）通过不同渠道和方式公开政府信息的情况\n\xa0\n（一）主动公开政府信息数",
    )
    result = parse_report_text(text + LABEL + " 十二\n" + TAIL)
    assert list(bad(result)) == [("a1_normative",)]
    assert result.unplaced_lines == []


@pytest.mark.parametrize(
    ("stray", "where"),
    [
        ("若干", "under a heading"),
        ("十二", "after the row's value"),
        ("约5", "before the table's first row"),
    ],
)
def test_a_stray_line_elsewhere_is_unplaced_not_a_value(stray: str, where: str) -> None:
    lines = (HEAD + LABEL + " 12\n" + TAIL).split("\n")
    at = {
        "under a heading": lines.index("一、主动公开情况 | — |") + 1,
        "after the row's value": lines.index(LABEL + " 12") + 1,
        "before the table's first row": lines.index("统计指标 | 单位 | 统计数") + 1,
    }[where]
    lines.insert(at, stray)
    result = parse_report_text("\n".join(lines))
    assert bad(result) == {}
    assert result.cells["a1_normative"] == Decimal(12)
    assert result.cells["a1_total"] == Decimal(7)
    assert result.unplaced_lines == [(at + 1, stray)]


@pytest.mark.parametrize("page", PAGES + ["第 12 页 / 共 30 页", "Page 3 of 9"])
def test_page_numbers_are_neither_values_nor_unplaced(page: str) -> None:
    for text in (
        HEAD + LABEL + "\n" + page + "\n12\n" + TAIL,  # between label and value
        HEAD + LABEL + "\n" + page + "\n" + TAIL,  # under a blank row
        HEAD + page + "\n" + LABEL + " 12\n" + TAIL,  # between rows
    ):
        result = parse_report_text(text)
        assert bad(result) == {}
        assert result.unplaced_lines == []
        assert result.cells["a1_total"] == Decimal(7)
        assert result.cells["a1_normative_issued"] == Decimal(3)


# Format B: several cells on a row, and table 四 -------------------------------

THREE = """某区人民政府2022年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
申请人情况 自然人 法人或其他组织 总计
商业企业 科研机构 社会公益组织 法律服务机构 其他
{new}
二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0
"""


@pytest.mark.parametrize("sep", [" ", "\t", " | ", "\u3000"])
def test_a_non_number_in_a_row_of_several_cells_is_refused_in_its_cell(
    sep: str,
) -> None:
    numbers = ["10", "二", "0", "0", "1", "0", "13"]
    new = sep.join(["一、本年新收政府信息公开申请数量", *numbers])
    result = parse_report_text(THREE.format(new=new))
    cells = [
        result.cells[f"b3_new__{c}"]
        for c in ("np", "biz", "sci", "ngo", "law", "oth", "total")
    ]
    assert cells == [10, None, 0, 0, 1, 0, 13]
    assert list(bad(result)) == [("b3_new__biz",)]
    assert result.unplaced_lines == []


FOUR = """某区人民政府2022年政府信息公开工作年度报告
四、政府信息公开行政复议、行政诉讼情况
行政复议
行政诉讼
结果维持
结果纠正
其他结果
尚未审结
总计
未经复议直接起诉
复议后起诉
{numbers}
五、存在的主要问题及改进情况
一是公开质量有待提高。
"""
FOUR_CODES = [
    f"b4_{row}_{column}"
    for row in ("review", "suit_direct", "suit_after_review")
    for column in ("upheld", "corrected", "other", "pending", "total")
]


@pytest.mark.parametrize("sep", [" ", "\t", " | ", "\n"])
@pytest.mark.parametrize("position", [0, 2, 7, 14])
@pytest.mark.parametrize("written", ["若干", "十二", "约3"])
def test_table_four_rows_sharing_one_line_refuse_the_non_number_in_its_place(
    sep: str, position: int, written: str
) -> None:
    printed = [str(n) for n in range(1, 16)]
    printed[position] = written
    result = parse_report_text(FOUR.format(numbers=sep.join(printed)))
    code = FOUR_CODES[position]
    assert list(bad(result)) == [(code,)]
    for n, other in enumerate(FOUR_CODES):
        if other != code:
            assert result.cells[other] == Decimal(n + 1), other
    assert result.unplaced_lines == []


# What is written as a value -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "十二",
        "十二条",
        "三十余",
        "一百多",
        "壹拾贰",
        "两千",
        "约5",
        "5左右",
        "3-5",
        "若干",
        "无",
        "不详",
        "未统计",
        "近百",
        "５个",
    ],
)
def test_written_values(text: str) -> None:
    assert looks_like_value(text)


@pytest.mark.parametrize(
    "text",
    [
        "一、主动公开情况",
        "(一)",
        "1.",
        "十八大",
        "其他来源申请数",
        "2018年3月15日",
        "- 3 -",
        "第3页",
        "条",
        "约",
        "多",
        "据统计全州共十二次会议",
        "附表",
    ],
)
def test_not_written_values(text: str) -> None:
    assert not looks_like_value(text)


@pytest.mark.parametrize(
    "text",
    [
        "- 3 -",
        "— 12 —",
        "－5－",
        "第 3 页",
        "第3页 共12页",
        "共 12 页 第 3 页",
        "Page 3 of 9",
        "3/12",
        "３ / １２",
    ],
)
def test_page_numbers(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize(
    "text", ["3", "-3", "第三页面", "3页", "2018-3-15", "12/3", "0/5"]
)
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)
