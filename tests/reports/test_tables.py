"""The declared formats against spec/table-formats.md, and the one rule that
reads a number, on its own and through the change form."""

import html
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from reports.forms import ReportForm
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.tables import (
    FORMATS,
    NA,
    Cell,
    CellValueError,
    GridTable,
    Header,
    ListTable,
    NumberError,
    Severity,
    format_for_year,
    get_format,
    parse_number,
)
from reports.tables.base import (
    HEADLINES,
    Context,
    Rule,
    Values,
    ValueType,
    short_label,
)
from reports.views.editor import rules_payload
from tests.conftest import World
from tests.factories import client_for, make_report
from tests.reports.seed_tables import SEEDS

# Copied from the spec's format A table, in its order.
A_CODES = [
    "a1_total",
    "a1_normative",
    "a1_normative_issued",
    "a1_gazette",
    "a1_website",
    "a1_weibo",
    "a1_wechat",
    "a1_other",
    "a2_responses",
    "a2_press",
    "a2_press_head",
    "a2_interview",
    "a2_interview_head",
    "a2_interpretation",
    "a2_weibo_wechat",
    "a2_other",
    "a3_received",
    "a3_recv_in_person",
    "a3_recv_fax",
    "a3_recv_online",
    "a3_recv_letter",
    "a3_closed",
    "a3_closed_on_time",
    "a3_closed_extended",
    "a3_answered",
    "a3_ans_already_public",
    "a3_ans_granted",
    "a3_ans_partial",
    "a3_ans_refused",
    "a3_ref_state_secret",
    "a3_ref_trade_secret",
    "a3_ref_privacy",
    "a3_ref_security",
    "a3_ref_not_gov_info",
    "a3_ref_other_law",
    "a3_ans_not_this_agency",
    "a3_ans_not_exist",
    "a3_ans_amend",
    "a3_ans_other_channel",
    "a4_reviews",
    "a4_rev_upheld",
    "a4_rev_corrected",
    "a4_rev_other",
    "a5_suits",
    "a5_suit_upheld",
    "a5_suit_corrected",
    "a5_suit_other",
    "a6_complaints",
    "a7_fees",
    "a8_offices",
    "a8_reading_points",
    "a8_staff",
    "a8_staff_fulltime",
    "a8_staff_parttime",
    "a8_budget",
    "a9_meetings",
    "a9_trainings",
    "a9_trainees",
]

A_RULES = {
    "a_received_sum": Severity.ERROR,
    "a_closed_sum": Severity.ERROR,
    "a_answered_sum": Severity.ERROR,
    "a_refused_sum": Severity.ERROR,
    "a_reviews_sum": Severity.ERROR,
    "a_suits_sum": Severity.ERROR,
    "a_staff_sum": Severity.ERROR,
    "a_normative_part": Severity.ERROR,
    "a_normative_issued": Severity.WARNING,
    "a_press_head_part": Severity.ERROR,
    "a_interview_head_part": Severity.ERROR,
    "a_channels_max": Severity.WARNING,
    "a_channels_sum": Severity.WARNING,
    "a_closed_vs_received": Severity.WARNING,
    "a_answered_vs_closed": Severity.WARNING,
    "a_trainees": Severity.WARNING,
    "a_table_year": Severity.WARNING,
}
B_RULES = {
    "b_row_total": Severity.ERROR,
    "b_result_total": Severity.ERROR,
    "b_balance": Severity.ERROR,
    "b_review_total": Severity.ERROR,
    "b_in_force": Severity.WARNING,
    "b_carry_over": Severity.WARNING,
    "b_pending_carry": Severity.WARNING,
}
B2019_RULES = {k: v for k, v in B_RULES.items() if k != "b_in_force"}

B3_ROWS_2021 = [
    "new",
    "carried_in",
    "granted",
    "partial",
    "deny_secret",
    "deny_law",
    "deny_safety",
    "deny_third_party",
    "deny_internal",
    "deny_process",
    "deny_enforcement",
    "deny_inquiry",
    "unable_not_held",
    "unable_must_create",
    "unable_unclear",
    "reject_petition",
    "reject_repeat",
    "reject_publication",
    "reject_mass",
    "reject_confirm",
    "other_no_amend",
    "other_no_fee",
    "other_other",
    "total",
    "carried_out",
]
B3_COLUMNS = ["np", "biz", "sci", "ngo", "law", "oth", "total"]
B4_CODES = [
    f"b4_{group}_{column}"
    for group in ("review", "suit_direct", "suit_after_review")
    for column in ("upheld", "corrected", "other", "pending", "total")
]
B2_CODES = [
    "b2_rule_issued",
    "b2_rule_repealed",
    "b2_rule_in_force",
    "b2_norm_issued",
    "b2_norm_repealed",
    "b2_norm_in_force",
    "b2_licensing",
    "b2_penalty",
    "b2_coercion",
    "b2_fees",
]


def _table(code: str, key: str) -> ListTable | GridTable:
    return next(t for t in get_format(code).tables if t.key == key)


def _findings(code: str, values: Values, **context: object) -> dict[str, Severity]:
    table_format = get_format(code)
    ctx = Context(cells=table_format.cells, **context)  # type: ignore[arg-type]
    return {
        finding.rule: finding.severity
        for rule in table_format.rules
        for finding in rule.evaluate(values, ctx)
    }


def _rule(code: str, rule_code: str) -> list[Rule]:
    return [r for r in get_format(code).rules if r.code == rule_code]


# --- the formats and the years ---------------------------------------------


def test_three_formats_in_year_order() -> None:
    assert list(FORMATS) == ["A", "B2019", "B"]


@pytest.mark.parametrize(
    ("year", "code"),
    [(2008, "A"), (2017, "A"), (2018, "A"), (2019, "B2019"), (2020, "B2019")]
    + [(2021, "B"), (2025, "B")],
)
def test_format_for_year(year: int, code: str) -> None:
    assert format_for_year(year).code == code


def test_no_format_before_2008() -> None:
    with pytest.raises(KeyError):
        format_for_year(2007)


@pytest.mark.parametrize("code", ["A", "B2019", "B"])
def test_cell_codes_are_ascii_names(code: str) -> None:
    for cell_code in get_format(code).cells:
        assert re.fullmatch(r"[a-z0-9_]+", cell_code), cell_code


@pytest.mark.parametrize(
    ("code", "expected"),
    [("A", A_RULES), ("B2019", B2019_RULES), ("B", B_RULES)],
)
def test_rule_codes_and_severities(code: str, expected: dict[str, Severity]) -> None:
    table_format = get_format(code)
    assert table_format.rule_codes() == sorted(expected)
    for rule in table_format.rules:
        assert rule.severity == expected[rule.code], rule.code  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", ["A", "B2019", "B"])
def test_messages_name_each_cell_unambiguously(code: str) -> None:
    names = [cell.display_name for cell in get_format(code).cells.values()]
    assert len(set(names)) == len(names)


# --- format A ----------------------------------------------------------------


def test_format_a_has_the_58_cells_in_the_spec_order() -> None:
    assert list(get_format("A").cells) == A_CODES


def test_format_a_headers() -> None:
    headers = [
        (row.label, row.indent)
        for row in _table("A", "a").rows
        if isinstance(row, Header)
    ]
    assert headers == [
        ("一、主动公开情况", 0),
        ("(二)通过不同渠道和方式公开政府信息的情况", 1),
        ("二、回应解读情况", 0),
        ("(二)通过不同渠道和方式回应解读的情况", 1),
        ("三、依申请公开情况", 0),
        ("八、机构建设和保障经费情况", 0),
        ("九、政府信息公开会议和培训情况", 0),
    ]


@pytest.mark.parametrize(
    ("code", "unit", "value_type"),
    [
        ("a7_fees", "万元", ValueType.AMOUNT),
        ("a8_budget", "万元", ValueType.AMOUNT),
        ("a9_trainees", "人次", ValueType.COUNT),
        ("a1_normative_issued", "件", ValueType.COUNT),
        ("a1_total", "条", ValueType.COUNT),
        ("a2_interpretation", "篇", ValueType.COUNT),
        ("a8_offices", "个", ValueType.COUNT),
        ("a8_staff", "人", ValueType.COUNT),
        ("a2_press", "次", ValueType.COUNT),
    ],
)
def test_format_a_units(code: str, unit: str, value_type: ValueType) -> None:
    cell = get_format("A").cells[code]
    assert (cell.unit, cell.type) == (unit, value_type)


@pytest.mark.parametrize(
    ("code", "indent"),
    [
        ("a1_total", 1),
        ("a1_normative", 2),
        ("a1_normative_issued", 2),
        ("a1_gazette", 2),
        ("a2_press_head", 3),
        ("a3_ref_state_secret", 3),
        ("a3_ref_other_law", 3),
        ("a4_reviews", 0),
        ("a7_fees", 0),
        ("a8_staff_fulltime", 2),
        ("a9_trainees", 1),
    ],
)
def test_format_a_indents(code: str, indent: int) -> None:
    assert get_format("A").cells[code].indent == indent


def test_format_a_labels_and_variants() -> None:
    cells = get_format("A").cells
    assert cells["a1_total"].label == (
        "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)"
    )
    assert cells["a1_total"].display_name == "主动公开政府信息数"
    assert short_label(cells["a1_total"].label) == "主动公开政府信息数"
    assert "(二)依法纠错数" in cells["a4_rev_corrected"].variants
    assert "(二)依法纠错数" in cells["a5_suit_corrected"].variants
    assert "(三)从事政府信息公开工作人数员" in cells["a8_staff"].variants
    assert (
        "(一)主动公开政府信息数(不同渠道和方式公开相同的信息列为1条)"
        in cells["a1_total"].variants
    )
    assert "(一)主动公开政府信息数" in cells["a1_total"].variants


def test_format_a_title_variants() -> None:
    table_format = get_format("A")
    assert table_format.title == "政府信息公开情况统计表"
    assert "政府信政息公开情况统计表" in table_format.title_variants
    assert "政府信息公開情況統計表" in table_format.title_variants


def test_format_a_sections() -> None:
    sections = {s.key: s for s in get_format("A").sections}
    assert list(sections) == [
        "overview",
        "active",
        "response",
        "application",
        "review",
        "institution",
        "problems",
        "other",
    ]
    required = {key for key, s in sections.items() if s.required}
    assert required == {"overview", "active", "application", "problems"}
    assert "基本工作情况" in sections["overview"].variants
    assert "存在问题及工作打算" in sections["problems"].variants


def _normalise(text: str) -> str:
    """Just enough of an importer's normalisation to compare seed labels."""
    text = re.sub(r"\s+", "", text.strip(" |"))
    text = text.translate(str.maketrans("（）：", "():"))
    return re.sub(r"^(\d+)、", r"\1.", text)


@pytest.mark.parametrize("seed", ["002_*.txt", "003_*.txt"])
def test_format_a_covers_the_wording_of_the_seed_tables(seed: str) -> None:
    paths = sorted(SEEDS.glob(seed))
    if not paths:
        pytest.skip(f"seed {seed} not found under {SEEDS}")
    text = paths[0].read_text(encoding="utf-8")
    table = text[text.rindex("统计表") : text.rindex("单位负责人")]
    table = table[table.index("统计数") :]
    known = set()
    for row in _table("A", "a").rows:
        known.add(_normalise(row.label))
        known.update(_normalise(v) for v in row.variants)
    units = {"条", "件", "次", "篇", "个", "人", "人次", "万元", "—"}
    labels = [
        _normalise(line)
        for line in table.splitlines()[1:]
        if re.search(r"[\u4e00-\u9fff]", line) and _normalise(line) not in units
    ]
    # A note printed on its own line belongs to the label above it.
    labels = [label for label in labels if not re.fullmatch(r"\([^()]*\)", label)]
    assert len(labels) == 65  # 58 cells and 7 headers
    assert [label for label in labels if label not in known] == []


def test_a_channels_max_and_sum() -> None:
    channels = {"a1_gazette": 0, "a1_website": 120, "a1_weibo": 30}
    values = {code: Decimal(v) for code, v in channels.items()}
    values |= {"a1_wechat": Decimal(0), "a1_other": Decimal(0)}
    assert _findings("A", values | {"a1_total": Decimal(100)}) == {
        "a_channels_max": Severity.WARNING
    }
    assert _findings("A", values | {"a1_total": Decimal(200)}) == {
        "a_channels_sum": Severity.WARNING
    }
    assert _findings("A", values | {"a1_total": Decimal(130)}) == {}


# --- format B ----------------------------------------------------------------


def test_format_b_cells() -> None:
    table_format = get_format("B")
    three = _table("B", "b3")
    assert isinstance(three, GridTable)
    b3 = [c for c in table_format.cells if c.startswith("b3_")]
    assert len(b3) == len(B3_ROWS_2021) * len(B3_COLUMNS) == 175
    assert b3 == [f"b3_{r}__{c}" for r in B3_ROWS_2021 for c in B3_COLUMNS]
    row_keys = {row.key for row in three.value_rows()}
    for code in b3:
        match = re.fullmatch(r"b3_([a-z_]+?)__([a-z]+)", code)
        assert match, code
        assert match[1] in row_keys
        assert match[2] in B3_COLUMNS
    assert list(table_format.cells) == B2_CODES + b3 + B4_CODES


def test_format_b_table_three_layout() -> None:
    three = _table("B", "b3")
    assert isinstance(three, GridTable)
    headers = [(row.key, row.label) for row in three.rows if row.header]
    assert [label for _key, label in headers] == [
        "三、本年度办理结果",
        "(三)不予公开",
        "(四)无法提供",
        "(五)不予处理",
        "(六)其他处理",
    ]
    indents = {row.key: row.indent for row in three.rows}
    assert indents["new"] == indents["carried_out"] == indents["h_results"] == 0
    assert indents["granted"] == indents["h_deny"] == indents["total"] == 1
    assert indents["deny_secret"] == indents["other_other"] == 2
    groups = {c.key: c.group for c in three.columns}
    assert groups["np"] == groups["total"] == ""
    assert {groups[k] for k in ("biz", "sci", "ngo", "law", "oth")} == {
        "法人或其他组织"
    }
    assert three.note == (
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
    )


def test_format_b_table_two() -> None:
    cells = get_format("B").cells
    for code in B2_CODES:
        assert cells[code].allows_na
    fees = cells["b2_fees"]
    assert (fees.unit, fees.type) == ("万元", ValueType.AMOUNT)
    rule = cells["b2_rule_issued"]
    assert (rule.label, rule.row, rule.column) == ("规章", "rule", "本年制发件数")
    assert rule.display_name == "规章本年制发件数"


def test_format_b_table_four_codes_follow_the_spec() -> None:
    cells = get_format("B").cells
    assert [c for c in cells if c.startswith("b4_")] == B4_CODES
    cell = cells["b4_suit_after_review_pending"]
    assert (cell.row, cell.column) == ("suit_after_review", "尚未审结")


@pytest.mark.parametrize("code", ["B2019", "B"])
def test_format_b_sections(code: str) -> None:
    sections = get_format(code).sections
    assert [(s.key, s.title) for s in sections] == [
        ("overview", "一、总体情况"),
        ("active", "二、主动公开政府信息情况"),
        ("applications", "三、收到和处理政府信息公开申请情况"),
        ("reviews", "四、政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other", "六、其他需要报告的事项"),
    ]
    assert all(s.required for s in sections)


@pytest.mark.parametrize(("code", "results"), [("B", 21), ("B2019", 19)])
def test_format_b_rule_operands(code: str, results: int) -> None:
    three = _table(code, "b3")
    assert isinstance(three, GridTable)
    assert len(_rule(code, "b_row_total")) == len(three.value_rows())
    result_total = _rule(code, "b_result_total")
    assert len(result_total) == 7
    assert all(len(r.operands) == 1 + results for r in result_total)
    assert len(_rule(code, "b_balance")) == 7
    assert len(_rule(code, "b_review_total")) == 3
    assert len(_rule(code, "b_carry_over")) == 7
    assert len(_rule(code, "b_pending_carry")) == 3


def _balanced_b3(rows: list[str], per_column: int = 1) -> dict[str, Decimal]:
    """Table 三 where each applicant had ``per_column`` new application, granted."""
    values = {}
    for row in rows:
        for column in B3_COLUMNS:
            count = per_column * (6 if column == "total" else 1)
            filled = row in {"new", "granted", "total"}
            values[f"b3_{row}__{column}"] = Decimal(count if filled else 0)
    return values


def test_format_b_consistent_table_three_passes() -> None:
    assert _findings("B", _balanced_b3(B3_ROWS_2021)) == {}


def test_format_b_broken_sums() -> None:
    values = _balanced_b3(B3_ROWS_2021)
    values["b3_new__np"] = Decimal(2)
    assert _findings("B", values) == {
        "b_row_total": Severity.ERROR,
        "b_balance": Severity.ERROR,
    }
    values = _balanced_b3(B3_ROWS_2021)
    values["b3_other_no_fee__sci"] = Decimal(1)
    values["b3_other_no_fee__total"] = Decimal(1)
    assert _findings("B", values) == {"b_result_total": Severity.ERROR}


def test_format_b_in_force() -> None:
    values = {"b2_rule_issued": Decimal(3), "b2_rule_in_force": Decimal(2)}
    assert _findings("B", values) == {"b_in_force": Severity.WARNING}
    values["b2_rule_in_force"] = Decimal(10)
    assert _findings("B", values) == {}


def test_format_b_not_applicable_is_not_evaluated() -> None:
    values = {"b2_rule_issued": NA, "b2_rule_in_force": Decimal(0)}
    assert _findings("B", values) == {}  # type: ignore[arg-type]


def test_carry_over_from_last_year() -> None:
    previous = {"b3_carried_out__np": Decimal(3)}
    now = {"b3_carried_in__np": Decimal(3)}
    assert _findings("B", now, year=2021, previous=previous) == {}
    now = {"b3_carried_in__np": Decimal(2)}
    assert _findings("B", now, year=2021, previous=previous) == {
        "b_carry_over": Severity.WARNING
    }
    assert _findings("B", now, year=2021) == {}


def test_pending_cases_carry_into_this_year() -> None:
    previous = {"b4_review_pending": Decimal(3)}
    assert _findings("B", {"b4_review_total": Decimal(3)}, previous=previous) == {}
    assert _findings("B", {"b4_review_total": Decimal(2)}, previous=previous) == {
        "b_pending_carry": Severity.WARNING
    }


# --- format B2019 ------------------------------------------------------------

B2T_CODES = [
    "b2t_rule_new_made",
    "b2t_rule_new_public",
    "b2t_rule_total_public",
    "b2t_norm_new_made",
    "b2t_norm_new_public",
    "b2t_norm_total_public",
    "b2t_licensing_prev_items",
    "b2t_licensing_change",
    "b2t_licensing_decisions",
    "b2t_other_services_prev_items",
    "b2t_other_services_change",
    "b2t_other_services_decisions",
    "b2t_penalty_prev_items",
    "b2t_penalty_change",
    "b2t_penalty_decisions",
    "b2t_coercion_prev_items",
    "b2t_coercion_change",
    "b2t_coercion_decisions",
    "b2t_fees_prev_items",
    "b2t_fees_change",
    "b2t_procurement_items",
    "b2t_procurement_amount",
]


def test_format_b2019_cells() -> None:
    cells = get_format("B2019").cells
    rows = [r for r in B3_ROWS_2021 if not r.startswith("other_")]
    rows.insert(rows.index("total"), "other")
    b3 = [f"b3_{r}__{c}" for r in rows for c in B3_COLUMNS]
    assert len(b3) == 161
    assert list(cells) == B2T_CODES + b3 + B4_CODES
    assert cells["b3_other__np"].label == "(六)其他处理"
    for code in B2T_CODES:
        assert cells[code].allows_na
    amount = cells["b2t_procurement_amount"]
    assert (amount.unit, amount.type) == ("万元", ValueType.AMOUNT)
    changes = [c for c in B2T_CODES if c.endswith("_change")]
    assert len(changes) == 5
    assert all(cells[c].type is ValueType.SIGNED_COUNT for c in changes)


def test_change_accepts_a_negative_value_and_a_count_refuses_it() -> None:
    cells = get_format("B2019").cells
    assert cells["b2t_licensing_change"].clean("-3") == Decimal(-3)
    assert cells["b2t_fees_change"].clean("－2") == Decimal(-2)
    with pytest.raises(CellValueError):
        cells["b2t_licensing_prev_items"].clean("-3")
    with pytest.raises(CellValueError):
        get_format("A").cells["a3_received"].clean("-3")


def test_table_two_accepts_not_applicable() -> None:
    assert get_format("B2019").cells["b2t_rule_new_made"].clean("/") is NA
    assert get_format("B").cells["b2_rule_issued"].clean("—") is NA
    with pytest.raises(CellValueError):
        get_format("B").cells["b3_new__np"].clean("/")


def test_amounts_keep_six_decimals() -> None:
    fees = get_format("A").cells["a7_fees"]
    assert fees.clean("5949.088667") == Decimal("5949.088667")
    with pytest.raises(CellValueError):
        fees.clean("0.0000001")


def test_format_b2019_consistent_table_three_passes() -> None:
    rows = [r for r in B3_ROWS_2021 if not r.startswith("other_")] + ["other"]
    assert _findings("B2019", _balanced_b3(rows)) == {}


def test_grid_cells_are_cells() -> None:
    for table_format in FORMATS.values():
        for table in table_format.tables:
            assert all(isinstance(c, Cell) for c in table.cells())


# Numbers: one rule for every way in (reports/tables/numbers.py) ----------------

ACCEPTED_NUMBERS = [
    ("1,234", "1234"),
    ("12,345,678", "12345678"),
    ("１，２３４", "1234"),
    ("1，234", "1234"),
    ("1,234.5", "1234.5"),
    ("0.35", "0.35"),
    ("１２", "12"),
    ("１２．５", "12.5"),
    ("－1,234", "-1234"),
    ("+5", "5"),
    (".5", "0.5"),
    ("5.", "5"),
    (" 15 ", "15"),
]
# (spelling, why it is refused): a misplaced comma, another script's digits.
REFUSED_NUMBERS = [
    ("1,5", "逗号"),
    ("0,35", "逗号"),
    ("1,,2", "逗号"),
    (",5", "逗号"),
    ("5,0", "逗号"),
    ("1,23", "逗号"),
    ("0,350", "逗号"),
    ("1,2345", "逗号"),
    ("1,234,56", "逗号"),
    ("1,234.5,6", "逗号"),
    ("١٢", "0–9"),  # Arabic-Indic
    ("१२", "0–9"),  # Devanagari
    ("1٢", "0–9"),
    ("1.2.3", ""),
    ("1_000", ""),
    ("1e3", ""),
    ("NaN", ""),
    ("Infinity", ""),
    ("1 234", ""),
    ("①", ""),
    ("十五", ""),
]


@pytest.mark.parametrize(("text", "value"), ACCEPTED_NUMBERS)
def test_parse_number_accepts_digits_and_proper_grouping(text: str, value: str) -> None:
    number = parse_number(text)
    assert number == Decimal(value)
    assert str(number) == value  # "0.35", never 0.350000 or 35


@pytest.mark.parametrize(("text", "hint"), REFUSED_NUMBERS)
def test_parse_number_refuses_other_spellings_and_says_why(
    text: str, hint: str
) -> None:
    with pytest.raises(NumberError) as refused:
        parse_number(text)
    assert refused.value.text == text
    if hint:
        assert hint in refused.value.hint
    else:
        assert refused.value.hint == ""


@pytest.mark.parametrize(("text", "hint"), REFUSED_NUMBERS[:12])
def test_a_cell_refuses_what_parse_number_refuses_naming_itself(
    text: str, hint: str
) -> None:
    budget = get_format("A").cells["a8_budget"]  # 万元: "0,35" is not 35
    with pytest.raises(CellValueError) as refused:
        budget.clean(text)
    message = refused.value.message
    assert message.startswith(f"「政府信息公开专项经费」的值“{text}”不是数字：")
    assert hint in message


@pytest.mark.parametrize(("text", "value"), ACCEPTED_NUMBERS[:8])
def test_a_cell_reads_what_parse_number_reads(text: str, value: str) -> None:
    assert get_format("A").cells["a7_fees"].clean(text) == Decimal(value)


def test_numbers_a_spreadsheet_held_are_taken_as_they_are() -> None:
    fees = get_format("A").cells["a7_fees"]
    assert fees.clean(0.35) == Decimal("0.35")
    assert fees.clean(Decimal("1E+2")) == Decimal(100)
    with pytest.raises(CellValueError, match="不是数字"):
        fees.clean(float("nan"))


def test_the_page_gives_its_script_the_rule_of_parse_number() -> None:
    """The script reads a cell with the payload's translation and pattern:
    with them, every spelling reads as parse_number reads it."""
    payload = rules_payload(get_format("A"), None)
    source = payload["number_pattern"]
    # [0-9] only: Python's \d takes every script's digits (JavaScript's does not).
    assert source.isascii() and "\\d" not in source
    pattern = re.compile(source)
    table = str.maketrans(payload["number"]["fullwidth"])
    for text, value in ACCEPTED_NUMBERS:
        spelled = text.strip().translate(table)
        assert pattern.search(spelled), text
        assert Decimal(spelled.replace(",", "")) == Decimal(value)
    for text, _hint in REFUSED_NUMBERS:
        assert not pattern.search(text.strip().translate(table)), text
    refusal = payload["number"]["refusal"].format(
        name="政府信息公开专项经费",
        raw="0,35",
        hint="：" + payload["number"]["hints"]["comma"],
    )
    with pytest.raises(CellValueError) as refused:
        get_format("A").cells["a8_budget"].clean("0,35")
    assert refusal == refused.value.message


# The change form is one way in: a refused number is marked and nothing stored.


def _form_data(report: AnnualReport, **values: str) -> dict[str, str]:
    initial = ReportForm.initial_for(report, report_values(report))
    data = {k: "" if v is None else str(v) for k, v in initial.items()}
    data.update(values, _save="保存草稿")
    return data


@pytest.mark.parametrize(("text", "hint"), REFUSED_NUMBERS[:12])
def test_change_form_refuses_a_misspelled_number_and_stores_nothing(
    world: World, text: str, hint: str
) -> None:
    report = make_report(agency=world.district, year=2017)
    url = f"/admin/reports/annualreport/{report.pk}/change/"
    response = client_for(world.clerk).post(
        url, _form_data(report, a1_total="5", a8_budget=text)
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"「政府信息公开专项经费」的值“{text}”不是数字" in page
    assert hint in page
    assert "草稿已保存" not in page
    report.refresh_from_db()
    assert report.version == 1 and report_values(report) == {}


def test_every_format_names_its_headline_cells() -> None:
    """The roll-up's charts draw the same headlines across formats: each
    format names its cells for them, and a wrong name is refused."""
    for table_format in FORMATS.values():
        assert set(table_format.headlines) >= set(HEADLINES[1:])
        for codes in table_format.headlines.values():
            assert all(code in table_format.cells for code in codes)
    a = FORMATS["A"]
    with pytest.raises(ValueError, match="headline"):
        replace(a, headlines={"收到申请数": ("b3_new__total",)}, _cells={})
    with pytest.raises(ValueError, match="headline"):
        replace(a, headlines={"申请数": ("a3_received",)}, _cells={})
