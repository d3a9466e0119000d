"""The official-layout sheet of one report, read through the text importer.

Every workbook is built here with XlsxWriter, then read with ``read_sheets``
as an upload would be: what the clerk typed is what comes out, or the row is
reported with its sheet and row number, never dropped or shifted.
"""

import io
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

import opencc
import pytest
import xlsxwriter

from reports.importers.official import parse_official_sheet
from reports.importers.sheets import read_sheets
from reports.importers.text import TextImport
from reports.tables import NA, Header, get_format
from tests.reports.seed_tables import decimals

Rows = list[list[object]]
N = None  # an empty cell

FORMAT_A = get_format("A")
FORMAT_B = get_format("B")


def xlsx(sheets: dict[str, Rows]) -> bytes:
    """A workbook with one sheet per entry; None leaves a cell empty."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(
                        r, c, value, workbook.add_format({"num_format": "yyyy-mm-dd"})
                    )
                elif value is not None:
                    sheet.write(r, c, value)
    workbook.close()
    return out.getvalue()


def parse(
    sheets: dict[str, Rows], *, table_format: str = "A", year: int = 2017
) -> TextImport:
    return parse_official_sheet(
        read_sheets(xlsx(sheets)), table_format=get_format(table_format), year=year
    )


def rules(result: TextImport) -> list[str]:
    return [f.rule for f in result.findings]


# Format A ---------------------------------------------------------------------

# Every cell as the clerk typed it: numbers, zeros (an answer) and blanks
# (missing), fees to the fen.
TYPED: dict[str, object] = {
    code: None if n % 5 == 3 else (0 if n % 7 == 6 else 10 * n + 1)
    for n, code in enumerate(FORMAT_A.cells)
}
TYPED |= {"a7_fees": "0.35", "a8_budget": "5949.088667", "a4_reviews": 101}

HEAD: Rows = [
    ["政府信息公开情况统计表"],
    ["(2017年度)"],
    ["填报单位：吉林市统计局龙潭分局"],
    ["统计指标", "单位", "统计数"],
]
SIGNED: Rows = [
    ["单位负责人：包太洋  审核人：向小燕  填报人：彭莹"],
    ["联系电话：0743-8233025", N, "填报日期：2018年2月28日"],
]
SIGNATORIES = {
    "signed_head": "包太洋",
    "signed_reviewer": "向小燕",
    "signed_preparer": "彭莹",
    "contact_phone": "0743-8233025",
    "filled_on": date(2018, 2, 28),
}


def typed(value: object) -> object:
    """A value as a cell holds it: numbers as numbers, blanks empty."""
    return None if value is None else Decimal(str(value))


def table_rows(
    values: dict[str, object] = TYPED,
    label: Callable[[str], str] = lambda text: text,
    labels: dict[str, str] | None = None,
) -> Rows:
    """Format A's rows as the official form prints them: label | unit | value.

    ``label`` rewrites every label; ``labels`` replaces some (by code, or by
    the official label for a header row).
    """
    labels = labels or {}
    rows: Rows = []
    for row in FORMAT_A.tables[0].rows:
        if isinstance(row, Header):
            rows.append([label(labels.get(row.label, row.label)), "—", N])
        else:
            text = labels.get(row.code, row.label)
            rows.append([label(text), row.unit, typed(values.get(row.code))])
    return rows


def official(rows: Rows | None = None) -> dict[str, Rows]:
    return {"统计表": HEAD + (table_rows() if rows is None else rows) + SIGNED}


def row_of(rows: Rows, code: str) -> int:
    """The sheet row (1-based, after HEAD) of a format A cell."""
    cells = list(FORMAT_A.tables[0].rows)
    index = next(
        i for i, r in enumerate(cells) if not isinstance(r, Header) and r.code == code
    )
    return len(HEAD) + index + 1


def test_official_layout_gives_exactly_the_values_typed() -> None:
    result = parse(official())
    assert result.format == "A"
    assert result.is_report
    assert result.cells == decimals(TYPED)
    assert result.cells["a8_budget"] == Decimal("5949.088667")
    assert result.table_year == 2017
    assert result.year == 2017
    assert result.agency_name == "吉林市统计局龙潭分局"
    assert result.signatories == SIGNATORIES
    assert result.unplaced_lines == []
    assert "text_unplaced_lines" not in rules(result)
    assert "a_table_year" not in rules(result)
    # A sheet holds no narrative: no finding about sections it cannot have.
    assert "missing_section" not in rules(result)
    assert result.sections == {}
    # Every cell, blank ones too, names the sheet and row it came from.
    assert set(result.sources) == set(FORMAT_A.cells)
    line, text = result.sources["a1_total"]
    assert text == (
        "工作表“统计表”第 6 行："
        "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条) | 条 | 1 |"
    )
    assert result.sources["a4_reviews"][1].startswith(
        f"工作表“统计表”第 {row_of(table_rows(), 'a4_reviews')} 行：四、行政复议数量"
    )


def test_blank_cells_are_missing_and_zero_is_an_answer() -> None:
    result = parse(official())
    blank = [code for code, value in TYPED.items() if value is None]
    zero = [code for code, value in TYPED.items() if value == 0]
    assert blank and zero
    assert all(result.cells[code] is None for code in blank)
    assert all(result.cells[code] == 0 for code in zero)
    missing = {f.cells[0] for f in result.findings if f.rule == "missing_cell"}
    assert missing == set(blank)
    assert result.values() == {
        c: v for c, v in decimals(TYPED).items() if v is not None
    }


def test_the_year_printed_over_the_table_is_read() -> None:
    head = [HEAD[0], ["（2016 年度）"], *HEAD[2:]]
    result = parse({"统计表": head + table_rows() + SIGNED})
    assert result.table_year == 2016
    assert "a_table_year" in rules(result)
    assert result.cells == decimals(TYPED)


def _full_width(text: str) -> str:
    return text.replace("(", "（").replace(")", "）").replace(":", "：")


def _comma_numbering(text: str) -> str:
    return text.replace(".", "、", 1) if text[:1].isdigit() else text


def _spaced(text: str) -> str:
    """Indented, a space after the numbering and between Chinese characters."""
    spaced = re.sub(
        r"^(\d+[.、]|\([一二三四五六七八九]\)|[一二三四五六七八九]、)", r"\1 ", text
    )
    spaced = re.sub(r"(?<=[\u4e00-\u9fff]) ?(?=[\u4e00-\u9fff])", " ", spaced)
    return "\u3000\u3000 " + spaced + "  "


TRADITIONAL = opencc.OpenCC("s2t").convert


@pytest.mark.parametrize(
    "label",
    [_full_width, _comma_numbering, _spaced, TRADITIONAL],
    ids=["full-width-brackets", "1、-numbering", "extra-spaces", "traditional"],
)
def test_labels_in_every_spelling_match(label: Callable[[str], str]) -> None:
    head = [[label(HEAD[0][0])], *HEAD[1:]]
    result = parse({"统计表": head + table_rows(label=label) + SIGNED})
    assert result.cells == decimals(TYPED)
    assert result.unplaced_lines == []
    assert result.table_year == 2017


def test_traditional_title_and_labels() -> None:
    rows = table_rows(label=TRADITIONAL)
    assert rows[1][0] == "(一)主動公開政府信息數(不同渠道和方式公開相同信息計1條)"
    head = [
        ["政府信息公開情況統計表"],
        ["(2017年度)"],
        ["填報單位：龍潭分局"],
        ["統計指標", "單位", "統計數"],
    ]
    result = parse({"統計表": head + rows + SIGNED})
    assert result.cells == decimals(TYPED)
    assert result.agency_name == "龙潭分局"
    assert result.sources["a1_total"][1].startswith(
        "工作表“統計表”第 6 行：(一)主動公開政府信息數"
    )


def test_numbering_written_either_way() -> None:
    """(一) and （一）, 1. and 1、, in one sheet."""
    labels = {
        "a1_total": "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）",
        "a1_gazette": "1、政府公报公开政府信息数",
        "a1_website": "2.政府网站公开政府信息数",
        "a3_received": "(一)收到申请数",
        "a3_closed": "（二）申请办结数",
        "a3_recv_in_person": "1．当面申请数",
        "a8_staff_fulltime": "1、专职人员数（不包括政府公报及政府网站工作人员数）",
    }
    result = parse(official(table_rows(labels=labels)))
    assert result.cells == decimals(TYPED)
    assert result.unplaced_lines == []


def test_line_breaks_inside_label_cells() -> None:
    labels = {
        "a1_total": "(一)主动公开政府信息数\n(不同渠道和方式公开相同信息计1条)",
        "a2_responses": "(一)回应公众关注热点或重大舆情数\r\n"
        "(不同方式回应同一热点或舆情计1次)",
        "a8_budget": "(四)政府信息公开专项经费\n(不包括用于政府公报编辑管理及"
        "政府网站建设维护等方面的经费)",
        "a3_ref_security": "危及国家安全、公共安全、\n经济安全和社会稳定",
    }
    result = parse(official(table_rows(labels=labels)))
    assert result.cells == decimals(TYPED)
    assert result.unplaced_lines == []


def test_label_variants_of_real_reports() -> None:
    labels = {
        "a1_total": "(一)主动公开政府信息数(不同渠道和方式公开相同的信息列为1条)",
        "a8_staff": "(三)从事政府信息公开工作人数员",
        "a5_suit_corrected": "(二)依法纠错数",  # under 五、行政诉讼数量
        "a4_rev_corrected": "(二)依法纠错数",  # and under 四
    }
    head = [["政府信政息公开情况统计表"], *HEAD[1:]]
    result = parse({"统计表": head + table_rows(labels=labels) + SIGNED})
    assert result.cells == decimals(TYPED)
    assert result.unplaced_lines == []
    assert result.table_year == 2017


def test_note_on_its_own_row() -> None:
    rows = table_rows(labels={"a1_total": "(一)主动公开政府信息数"})
    rows.insert(2, ["(不同渠道和方式公开相同信息计1条)", N, N])
    result = parse(official(rows))
    assert result.cells == decimals(TYPED)
    assert result.unplaced_lines == []


def test_signatories_in_cells_of_their_own() -> None:
    signed: Rows = [
        ["单位负责人：", "包太洋", "审核人：", "向小燕", "填报人：", "彭莹"],
        ["联系电话：", "0743-8233025", "填报日期：", date(2018, 2, 28)],
    ]
    result = parse({"统计表": HEAD + table_rows() + signed})
    assert result.signatories == SIGNATORIES
    assert result.cells == decimals(TYPED)
    assert result.unplaced_lines == []


EXTRA = ["八、其他补充指标", "个", 3]


@pytest.mark.parametrize(
    ("where", "signed"),
    [
        ("middle", True),
        ("after-last-row", True),
        ("after-last-row", False),
        ("after-signatures", True),
    ],
)
def test_an_unmatched_row_is_reported_never_dropped(where: str, signed: bool) -> None:
    rows = table_rows()
    sheet = HEAD + rows + (SIGNED if signed else [])
    at = {
        "middle": len(HEAD) + 10,
        "after-last-row": len(HEAD) + len(rows),
        "after-signatures": len(sheet),
    }[where]
    sheet.insert(at, EXTRA)
    result = parse({"统计表": sheet})
    assert result.cells == decimals(TYPED)
    row = at + 1
    assert result.unplaced_lines == [
        (row, f"工作表“统计表”第 {row} 行：八、其他补充指标 | 个 | 3 |")
    ]
    (finding,) = [f for f in result.findings if f.rule == "text_unplaced_lines"]
    assert f"工作表“统计表”第 {row} 行" in finding.message


def test_several_unmatched_rows_in_a_row_are_all_reported() -> None:
    """Three unreadable lines end a table for the text importer; not here."""
    rows = table_rows()
    extra = [
        ["其他补充指标一", "个", 1],
        ["其他补充指标二", "个", 2],
        ["说明：无", N, N],
    ]
    sheet = HEAD + rows[:10] + extra + rows[10:] + SIGNED
    result = parse({"统计表": sheet})
    assert result.cells == decimals(TYPED)
    first = len(HEAD) + 11
    assert [line for line, _text in result.unplaced_lines] == [
        first,
        first + 1,
        first + 2,
    ]
    assert result.unplaced_lines[0][1] == (
        f"工作表“统计表”第 {first} 行：其他补充指标一 | 个 | 1 |"
    )


def test_a_number_outside_the_value_column_is_reported_not_taken() -> None:
    rows = table_rows()
    website = row_of(rows, "a1_website")
    gazette = row_of(rows, "a1_gazette")
    assert TYPED["a1_website"] == 41 and TYPED["a1_gazette"] is None
    rows[website - len(HEAD) - 1].append(99)
    rows[gazette - len(HEAD) - 1].append(98)  # 统计数 itself left blank
    result = parse(official(rows))
    assert result.cells == decimals(TYPED)  # 98 is not 政府公报's: blank stays
    assert result.unplaced_lines == [
        (
            gazette,
            f"工作表“统计表”第 {gazette} 行：1.政府公报公开政府信息数 | 条 |  | 98 |",
        ),
        (
            website,
            f"工作表“统计表”第 {website} 行：2.政府网站公开政府信息数 | 条 | 41 | 99 |",
        ),
    ]
    assert "text_unplaced_lines" in rules(result)
    # 政府公报's cell stays blank though a number is on its row: named, so that
    # the clerk cannot import without knowing; 政府网站's 41 was read.
    (outside,) = [f for f in result.findings if f.rule == "text_row_incomplete"]
    assert outside.cells == ("a1_gazette",)
    assert outside.message == (
        f"工作表“统计表”第 {gazette} 行“1.政府公报公开政府信息数”的数字不在它的列中，"
        "未读取，请把数字填在对应的列。"
    )


def test_without_column_headings_rows_go_as_printed() -> None:
    head = [HEAD[0], HEAD[1], HEAD[2]]  # no 统计指标 | 单位 | 统计数
    result = parse({"统计表": head + table_rows() + SIGNED})
    assert result.cells == decimals(TYPED)
    assert result.unplaced_lines == []


def test_an_unreadable_value_names_its_sheet_and_row() -> None:
    rows = table_rows()
    index = row_of(rows, "a3_received") - len(HEAD) - 1
    rows[index][2] = 12.5  # a count
    sheets = {"说明": [["本表按官方样式填写"]], **official(rows)}
    result = parse(sheets)
    assert result.cells["a3_received"] is None
    assert result.cells | {"a3_received": typed(TYPED["a3_received"])} == decimals(
        TYPED
    )
    (finding,) = [f for f in result.findings if f.rule == "text_bad_number"]
    row = row_of(rows, "a3_received")
    assert finding.message.startswith(f"工作表“统计表”第 {row} 行：")
    assert result.sources["a3_received"][1].startswith(f"工作表“统计表”第 {row} 行")


@pytest.mark.parametrize("text", ["1,5", "5,0", ",5", "1,,2", "١٢", "1.2.3"])
def test_a_misspelled_number_names_its_cell_sheet_and_row(text: str) -> None:
    rows = table_rows()
    index = row_of(rows, "a3_received") - len(HEAD) - 1
    rows[index][2] = text  # typed as text, as a clerk's sheet holds it
    result = parse(official(rows))
    assert result.cells["a3_received"] is None
    (finding,) = [f for f in result.findings if f.rule == "text_bad_number"]
    assert finding.cells == ("a3_received",)
    row = row_of(rows, "a3_received")
    assert finding.message.startswith(
        f"工作表“统计表”第 {row} 行：「收到申请数」的值“{text}”不是数字"
    )


@pytest.mark.parametrize("text", ["十二", "若干", "约5", "三十余", "无"])
@pytest.mark.parametrize("unit", ["件", None])
def test_a_value_written_without_a_number_is_refused_in_its_cell(
    text: str, unit: str | None
) -> None:
    rows = table_rows()
    index = row_of(rows, "a3_received") - len(HEAD) - 1
    rows[index][1:] = [unit, text]  # the unit column left empty or not
    result = parse(official(rows))
    assert result.cells["a3_received"] is None
    assert result.cells | {"a3_received": typed(TYPED["a3_received"])} == decimals(
        TYPED
    )
    (finding,) = [f for f in result.findings if f.rule == "text_bad_number"]
    assert finding.cells == ("a3_received",)
    row = row_of(rows, "a3_received")
    assert finding.message == (
        f"工作表“统计表”第 {row} 行：「收到申请数」的值“{text}”不是数字。"
    )
    assert result.unplaced_lines == []


def test_a_written_value_outside_the_value_column_is_reported() -> None:
    rows = table_rows()
    index = row_of(rows, "a1_gazette") - len(HEAD) - 1
    rows[index].append("若干")  # 统计数 itself left blank
    result = parse(official(rows))
    assert result.cells == decimals(TYPED)
    row = row_of(rows, "a1_gazette")
    assert [line for line, _text in result.unplaced_lines] == [row]
    (outside,) = [f for f in result.findings if f.rule == "text_row_incomplete"]
    assert outside.cells == ("a1_gazette",)


def test_a_sheet_names_its_title_year_and_lists_its_table_by_sheet_and_row() -> None:
    sheets = {
        "封面": [["吉林市统计局龙潭分局"], ["2016年政府信息公开工作年度报告附表"]],
        **official(),
    }
    result = parse(sheets)
    assert result.found_year == 2016
    assert result.table_year == 2017
    (table,) = result.tables
    last = len(HEAD) + len(table_rows()) + len(SIGNED)
    assert table.location == f"工作表“统计表”第 1 行至第 {last} 行"
    assert table.description == "2016年政府信息公开工作年度报告附表"


@pytest.mark.parametrize("text", ["1,234", "１，２３４", "1234"])
def test_grouped_and_full_width_numbers_typed_as_text(text: str) -> None:
    rows = table_rows()
    rows[row_of(rows, "a3_received") - len(HEAD) - 1][2] = text
    result = parse(official(rows))
    assert result.cells["a3_received"] == Decimal(1234)
    assert "text_bad_number" not in rules(result)


def test_the_table_on_a_later_sheet_keeps_its_own_row_numbers() -> None:
    sheets = {
        "封面": [["吉林市统计局龙潭分局"], ["2017年政府信息公开工作年度报告附表"]],
        **official(),
    }
    result = parse(sheets)
    assert result.cells == decimals(TYPED)
    assert result.sources["a1_total"][1].startswith("工作表“统计表”第 6 行：")
    assert result.unplaced_lines == []


def test_csv_in_the_official_layout() -> None:
    lines = [
        ",".join("" if v is None else str(v) for v in row)
        for row in HEAD + table_rows() + SIGNED
    ]
    data = "\n".join(lines).encode("gbk")
    result = parse_official_sheet(
        read_sheets(data, filename="统计表.csv"), table_format=FORMAT_A, year=2017
    )
    assert result.cells == decimals(TYPED)
    assert result.signatories["signed_head"] == "包太洋"
    assert result.sources["a1_total"][1].startswith("工作表“CSV”第 6 行：")


# Format B ---------------------------------------------------------------------

COLUMNS = ("np", "biz", "sci", "ngo", "law", "oth", "total")
THREE_HEAD: Rows = [
    ["三、收到和处理政府信息公开申请情况"],
    ["申请人情况", "自然人", "法人或其他组织", N, N, N, N, "总计"],
    [N, N, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", N],
]
FOUR_HEAD: Rows = [
    ["四、政府信息公开行政复议、行政诉讼情况"],
    ["行政复议", N, N, N, N, "行政诉讼"],
    [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        N,
        N,
        N,
        N,
        "复议后起诉",
    ],
    [N] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]
FOUR_GROUPS = ("review", "suit_direct", "suit_after_review")
FOUR_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def grid(result: TextImport, row: str) -> list[object]:
    return [result.cells[f"b3_{row}__{c}"] for c in COLUMNS]


def four(result: TextImport) -> list[object]:
    return [result.cells[f"b4_{g}_{c}"] for g in FOUR_GROUPS for c in FOUR_COLUMNS]


def numbers(values: Iterable[int | None]) -> list[object]:
    return [None if v is None else Decimal(v) for v in values]


def test_table_three_blank_cells_stay_in_their_columns() -> None:
    rows = THREE_HEAD + [
        ["一、本年新收政府信息公开申请数量", 3, N, 1, 0, 0, 0, 4],
        ["二、上年结转政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0],
        ["三、本年度办理结果"],
        ["(一)予以公开", 2, 0, 1, 0, 0, 0, N],  # the last one blank
        ["(二)部分公开(区分处理的,只计这一情形,不计其他情形)", N, N, N, N, N, N, 1],
        ["(三)不予公开"],
        ["1.属于国家秘密", N, N, N, N, N, N, N],  # nothing typed
        ["(七)总计", 2, 0, 1, 0, 0, 0, 3],
    ]
    result = parse({"表三": rows}, table_format="B", year=2022)
    assert grid(result, "new") == numbers([3, None, 1, 0, 0, 0, 4])
    assert grid(result, "carried_in") == numbers([0] * 7)
    assert grid(result, "granted") == numbers([2, 0, 1, 0, 0, 0, None])
    assert grid(result, "partial") == numbers([None] * 6 + [1])
    assert grid(result, "deny_secret") == [None] * 7
    assert grid(result, "total") == numbers([2, 0, 1, 0, 0, 0, 3])
    assert result.unplaced_lines == []
    assert "text_row_incomplete" not in rules(result)
    assert result.sources["b3_new__biz"][1] == (
        "工作表“表三”第 4 行："
        "一、本年新收政府信息公开申请数量 | 3 |  | 1 | 0 | 0 | 0 | 4 |"
    )


def test_table_three_number_beyond_its_columns_is_reported() -> None:
    rows = THREE_HEAD + [
        ["一、本年新收政府信息公开申请数量", 3, N, 1, 0, 0, 0, 4, N, 9],
        ["二、上年结转政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0],
    ]
    result = parse({"表": rows}, table_format="B", year=2022)
    assert grid(result, "new") == numbers([3, None, 1, 0, 0, 0, 4])
    assert result.unplaced_lines == [
        (
            4,
            "工作表“表”第 4 行：一、本年新收政府信息公开申请数量"
            " | 3 |  | 1 | 0 | 0 | 0 | 4 |  | 9 |",
        )
    ]


@pytest.mark.parametrize("word", ["无", "若干", "十二", "约5"])
def test_table_three_word_in_a_cell_is_refused_in_its_cell(word: str) -> None:
    rows = THREE_HEAD + [
        ["一、本年新收政府信息公开申请数量", 3, word, 1, 0, 0, 0, 4],
        ["二、上年结转政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0],
    ]
    result = parse({"表": rows}, table_format="B", year=2022)
    assert grid(result, "new") == numbers([3, None, 1, 0, 0, 0, 4])
    assert grid(result, "carried_in") == numbers([0] * 7)
    (refused,) = [f for f in result.findings if f.rule == "text_bad_number"]
    assert refused.cells == ("b3_new__biz",)
    assert refused.message.startswith("工作表“表”第 4 行：「")
    assert f"的值“{word}”不是数字" in refused.message
    assert result.unplaced_lines == []


def test_table_three_label_columns_of_the_official_form() -> None:
    """Labels over three columns, as the form prints them once unmerged."""
    rows: Rows = [
        ["申请人情况", N, N, "自然人", "法人或其他组织", N, N, N, N, "总计"],
        [N, N, N, N, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", N],
        ["一、本年新收政府信息公开申请数量", N, N, 3, N, 1, 0, 0, N, N],
        ["三、本年度办理结果", "(一)予以公开", N, 2, 0, 1, 0, 0, 0, N],
        [N, "(三)不予公开", "1.属于国家秘密", 0, N, 0, 0, 0, 0, 0],
        [N, N, "2.其他法律行政法规禁止公开", N, N, N, N, N, N, 0],
    ]
    result = parse({"表": rows}, table_format="B", year=2022)
    assert grid(result, "new") == numbers([3, None, 1, 0, 0, None, None])
    assert grid(result, "granted") == numbers([2, 0, 1, 0, 0, 0, None])
    assert grid(result, "deny_secret") == numbers([0, None, 0, 0, 0, 0, 0])
    assert grid(result, "deny_law") == numbers([None] * 6 + [0])
    assert result.unplaced_lines == []


def test_table_three_without_headings_is_read_or_reported_never_shifted() -> None:
    rows: Rows = [
        ["一、本年新收政府信息公开申请数量", 3, N, 1, 0, 0, 0, 4],
        ["二、上年结转政府信息公开申请数量", 5, 0, 0, 0, 0, 0, N],
        ["三、本年度办理结果"],
        ["(一)予以公开", 2, 0, 1, 0, 0, 0, 3],
        ["(二)部分公开(区分处理的,只计这一情形,不计其他情形)", 1, 1, 1],
    ]
    result = parse({"表": rows}, table_format="B", year=2022)
    # A blank between numbers is a blank in its place.
    assert grid(result, "new") == numbers([3, None, 1, 0, 0, 0, 4])
    assert grid(result, "granted") == numbers([2, 0, 1, 0, 0, 0, 3])
    # Without headings a short row cannot be placed: reported, nothing read.
    assert grid(result, "carried_in") == [None] * 7
    assert grid(result, "partial") == [None] * 7
    assert [line for line, _text in result.unplaced_lines] == [2, 5]
    incomplete = [f for f in result.findings if f.rule == "text_row_incomplete"]
    assert [f.message.split("「")[0] for f in incomplete] == [
        "工作表“表”第 2 行",
        "工作表“表”第 5 行",
    ]


def test_table_four_fifteen_numbers_in_one_row_under_its_headings() -> None:
    rows = FOUR_HEAD + [list(range(1, 16))]
    result = parse({"表四": rows}, table_format="B", year=2022)
    assert four(result) == numbers(range(1, 16))
    assert result.unplaced_lines == []
    assert result.sources["b4_review_upheld"][1] == (
        "工作表“表四”第 5 行：行政复议 | 1 | 2 | 3 | 4 | 5 |"
    )
    assert result.sources["b4_suit_after_review_total"][1] == (
        "工作表“表四”第 5 行：复议后起诉 | 11 | 12 | 13 | 14 | 15 |"
    )


def test_table_four_blank_cells_stay_in_their_columns() -> None:
    typed_row = [1, 2, N, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, N]
    result = parse({"表四": FOUR_HEAD + [typed_row]}, table_format="B", year=2022)
    assert four(result) == numbers(typed_row)
    assert result.unplaced_lines == []


def test_table_four_row_that_fits_no_heading_gives_nothing() -> None:
    """16 numbers under 15 columns: which is which cannot be told."""
    rows = FOUR_HEAD + [list(range(1, 17))]
    result = parse({"表四": rows}, table_format="B", year=2022)
    assert four(result) == [None] * 15
    assert [line for line, _text in result.unplaced_lines] == [5]
    assert "text_unplaced_lines" in rules(result)


def test_tables_two_three_and_four_on_one_sheet() -> None:
    two: Rows = [
        ["二、主动公开政府信息情况"],
        ["第二十条第(一)项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "/", "/", "/"],
        ["行政规范性文件", 3, N, 12],
        ["第二十条第(五)项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", 14000],
        ["第二十条第(八)项"],
        ["信息内容", "本年收费金额(单位:万元)"],
        ["行政事业性收费", 0.35],
    ]
    three = THREE_HEAD + [
        ["一、本年新收政府信息公开申请数量", 3, N, 1, 0, 0, 0, 4],
        ["(七)总计", 1, 0, 0, 0, 0, 0, N],
        ["四、结转下年度继续办理", N, N, N, N, N, N, N],  # right over table 四
    ]
    typed_row = [0, 0, 0, 0, 0, 1, N, 0, 0, 1, 0, 0, 0, 0, 0]
    sheet = two + three + FOUR_HEAD + [typed_row]
    result = parse({"年报表格": sheet}, table_format="B", year=2022)
    assert [result.cells[f"b2_rule_{c}"] for c in ("issued", "repealed")] == [NA, NA]
    assert result.cells["b2_norm_issued"] == 3
    assert result.cells["b2_norm_repealed"] is None
    assert result.cells["b2_norm_in_force"] == 12
    assert result.cells["b2_licensing"] == 14000
    assert result.cells["b2_fees"] == Decimal("0.35")
    assert grid(result, "new") == numbers([3, None, 1, 0, 0, 0, 4])
    assert grid(result, "total") == numbers([1, 0, 0, 0, 0, 0, None])
    assert grid(result, "carried_out") == [None] * 7
    assert four(result) == numbers(typed_row)
    assert result.unplaced_lines == []
