"""The validator: seeds 002 and 003, and every rule of every format."""

from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest

from reports.services import clean_values
from reports.tables import FORMATS, NA, Severity, TableFormat, get_format
from reports.tables.base import Aggregate, Compare, Op, PreviousYear, Rule, TableYear
from reports.validation import count_findings, validate_report
from tests.reports import seed_tables

A = get_format("A")


def typed(table_format: TableFormat, raw: dict[str, str]) -> dict:
    values, errors = clean_values(table_format, raw)
    assert errors == {}
    return values


def test_seed_003_gives_exactly_the_findings_of_the_spec() -> None:
    findings = validate_report(
        table_format=A,
        values=typed(A, seed_tables.typed(seed_tables.SEED_003)),
        year=2017,
        table_year=seed_tables.SEED_003_TABLE_YEAR,
    )
    by_severity = {
        s: sorted(f.rule for f in findings if f.severity == s) for s in Severity
    }
    assert by_severity[Severity.ERROR] == ["a_reviews_sum"]
    assert by_severity[Severity.WARNING] == ["a_channels_sum"]
    missing = [f.cells[0] for f in findings if f.severity == Severity.MISSING]
    assert sorted(missing) == sorted(seed_tables.blanks(seed_tables.SEED_003))
    reviews = next(f for f in findings if f.rule == "a_reviews_sum")
    assert reviews.message == (
        "行政复议数量 101 ≠ 行政复议维持具体行政行为数 56"
        " + 行政复议被依法纠错数 24 + 行政复议其他情形数 1 = 81"
    )
    assert reviews.cells == (
        "a4_reviews",
        "a4_rev_upheld",
        "a4_rev_corrected",
        "a4_rev_other",
    )
    channels = next(f for f in findings if f.rule == "a_channels_sum")
    assert "248071" in channels.message and "230389" in channels.message


def test_seed_002_gives_its_year_warning_and_its_blanks() -> None:
    findings = validate_report(
        table_format=A,
        values=typed(A, seed_tables.typed(seed_tables.SEED_002)),
        year=2017,
        table_year=seed_tables.SEED_002_TABLE_YEAR,
    )
    assert [f.rule for f in findings if f.severity != Severity.MISSING] == [
        "a_table_year"
    ]
    assert "2016" in findings[-1].message or any("2016" in f.message for f in findings)
    assert count_findings(findings) == {
        "missing": len(seed_tables.blanks(seed_tables.SEED_002)),
        "error": 0,
        "warning": 1,
    }


def test_message_shows_the_arithmetic_with_labels() -> None:
    values = typed(
        A,
        {
            "a3_received": "15",
            "a3_recv_in_person": "1",
            "a3_recv_fax": "0",
            "a3_recv_online": "12",
            "a3_recv_letter": "1",
        },
    )
    finding = next(
        f
        for f in validate_report(table_format=A, values=values)
        if f.rule == "a_received_sum"
    )
    assert finding.message == (
        "收到申请数 15 ≠ 当面申请数 1 + 传真申请数 0 + 网络申请数 12"
        " + 信函申请数 1 = 14"
    )
    assert finding.severity == Severity.ERROR


def test_a_rule_with_a_blank_operand_is_not_evaluated() -> None:
    values = typed(A, {"a3_received": "15", "a3_recv_in_person": "1"})
    findings = validate_report(table_format=A, values=values)
    assert "a_received_sum" not in {f.rule for f in findings}
    missing = {f.cells[0] for f in findings if f.severity == Severity.MISSING}
    assert {"a3_recv_fax", "a3_recv_online", "a3_recv_letter"} <= missing


def test_zero_is_an_answer_and_not_applicable_is_a_third_state() -> None:
    b = get_format("B")
    values = {code: Decimal(0) for code in b.cells}
    values["b2_rule_issued"] = NA
    values["b2_rule_repealed"] = NA
    findings = validate_report(table_format=b, values=values, year=2022)
    assert findings == []
    del values["b2_norm_issued"]
    assert [f.rule for f in validate_report(table_format=b, values=values)] == [
        "missing_cell"
    ]


def test_not_applicable_in_a_cell_that_does_not_allow_it_is_an_error() -> None:
    values = {code: Decimal(0) for code in A.cells}
    values["a3_received"] = NA
    findings = validate_report(table_format=A, values=values)
    assert [(f.rule, f.cells) for f in findings] == [
        ("invalid_value", ("a3_received",))
    ]


def test_missing_covers_required_sections_and_signatories() -> None:
    values = {code: Decimal(0) for code in A.cells}
    findings = validate_report(
        table_format=A,
        values=values,
        sections={"overview": "概述文字", "problems": "  "},
        signatories={"signed_head": "包太洋", "contact_phone": ""},
    )
    rules = Counter(f.rule for f in findings)
    required = [s.key for s in A.sections if s.required]
    assert rules["missing_section"] == len(required) - 1
    assert rules["missing_signatory"] == 4
    assert all(f.severity == Severity.MISSING for f in findings)


# Every rule of every format: one case that breaks it, one that keeps it.


def _zeros(table_format: TableFormat) -> dict:
    return {code: Decimal(0) for code in table_format.cells}


def _rule_cases() -> list[tuple[str, int, Rule]]:
    cases = []
    for code, table_format in FORMATS.items():
        for index, rule in enumerate(table_format.rules):
            cases.append((code, index, rule))
    return cases


def _case_id(case: tuple[str, int, Rule]) -> str:
    code, index, rule = case
    return f"{code}-{rule.code}-{index}"


def _bump(values: dict, code: str, by: int = 1) -> None:
    values[code] = values[code] + by


def _break(rule: Rule, values: dict, previous: dict) -> dict:
    """Change values so that ``rule`` fails; returns extra validate kwargs."""
    if isinstance(rule, Compare):
        if rule.op is Op.GE:
            _bump(values, rule.right[0])
        else:
            _bump(values, rule.left[0])
        return {}
    if isinstance(rule, PreviousYear):
        if rule.op is Op.LE:
            _bump(previous, rule.last)
        else:
            _bump(values, rule.this)
        return {}
    if isinstance(rule, TableYear):
        return {"table_year": 2000}
    raise AssertionError(f"no breaking case for {rule!r}")


def _keep(rule: Rule, values: dict, previous: dict) -> dict:
    """Non-zero values for which ``rule`` holds."""
    if isinstance(rule, Compare):
        _bump(values, rule.left[0], 3)
        target = rule.right[0]
        if rule.right_aggregate is Aggregate.MAX or rule.op is not Op.LE:
            _bump(values, target, 3)
        else:
            _bump(values, target, 5)
        return {}
    if isinstance(rule, PreviousYear):
        _bump(values, rule.this, 4)
        _bump(previous, rule.last, 4)
        return {}
    if isinstance(rule, TableYear):
        return {"table_year": 2017}
    raise AssertionError(f"no keeping case for {rule!r}")


def _findings_of(
    case: tuple[str, int, Rule], change: Callable[[Rule, dict, dict], dict]
) -> list:
    code, _index, rule = case
    table_format = FORMATS[code]
    values, previous = _zeros(table_format), _zeros(table_format)
    extra = change(rule, values, previous)
    return [
        f
        for f in validate_report(
            table_format=table_format,
            values=values,
            year=2017,
            previous=previous,
            **extra,
        )
        if f.rule == rule.code
    ]


@pytest.mark.parametrize("case", _rule_cases(), ids=_case_id)
def test_every_rule_breaks(case: tuple[str, int, Rule]) -> None:
    rule = case[2]
    findings = _findings_of(case, _break)
    assert findings, f"{rule.code} did not fire"
    expected = getattr(rule, "severity", Severity.ERROR)
    assert {f.severity for f in findings} == {expected}
    assert all(f.message for f in findings)


@pytest.mark.parametrize("case", _rule_cases(), ids=_case_id)
def test_every_rule_keeps(case: tuple[str, int, Rule]) -> None:
    assert _findings_of(case, _keep) == []


def test_rules_of_the_spec_are_all_declared() -> None:
    assert set(A.rule_codes()) == {
        "a_received_sum",
        "a_closed_sum",
        "a_answered_sum",
        "a_refused_sum",
        "a_reviews_sum",
        "a_suits_sum",
        "a_staff_sum",
        "a_normative_part",
        "a_normative_issued",
        "a_press_head_part",
        "a_interview_head_part",
        "a_channels_max",
        "a_channels_sum",
        "a_closed_vs_received",
        "a_answered_vs_closed",
        "a_trainees",
        "a_table_year",
    }
    b_rules = {
        "b_row_total",
        "b_result_total",
        "b_balance",
        "b_review_total",
        "b_carry_over",
        "b_pending_carry",
    }
    assert set(get_format("B").rule_codes()) == b_rules | {"b_in_force"}
    assert set(get_format("B2019").rule_codes()) >= b_rules


def test_format_b_totals_and_balance_cover_every_row_and_column() -> None:
    b = get_format("B")
    rules = Counter(rule.code for rule in b.rules)
    # The spec says "27 rows × 7 columns = 189"; its own list has 25 value
    # rows (175 cells): we follow the list.
    assert rules["b_row_total"] == 25
    assert rules["b_result_total"] == 7
    assert rules["b_balance"] == 7
    assert rules["b_review_total"] == 3
    assert rules["b_carry_over"] == 7
    assert rules["b_pending_carry"] == 3


def test_balance_of_a_column_names_its_four_rows() -> None:
    b = get_format("B")
    values = _zeros(b)
    values["b3_new__np"] = Decimal(5)
    values["b3_granted__np"] = Decimal(3)
    values["b3_total__np"] = Decimal(3)
    values["b3_new__total"] = Decimal(5)
    values["b3_granted__total"] = Decimal(3)
    values["b3_total__total"] = Decimal(3)
    values["b3_carried_out__np"] = Decimal(1)
    values["b3_carried_out__total"] = Decimal(1)
    findings = validate_report(table_format=b, values=values)
    balance = [f for f in findings if f.rule == "b_balance"]
    assert {f.cells[0] for f in balance} == {"b3_new__np", "b3_new__total"}
    assert "≠" in balance[0].message and "= 5" in balance[0].message
    assert {f.rule for f in findings} == {"b_balance"}


def test_carry_over_reads_last_years_report() -> None:
    b = get_format("B")
    values, previous = _zeros(b), _zeros(b)
    previous["b3_carried_out__np"] = Decimal(2)
    findings = validate_report(table_format=b, values=values, previous=previous)
    assert [(f.rule, f.cells) for f in findings] == [
        ("b_carry_over", ("b3_carried_in__np",))
    ]
    assert findings[0].severity == Severity.WARNING
    # Without last year's report the rule is not evaluated.
    assert validate_report(table_format=b, values=values, previous=None) == []


def test_format_b_parts_two_to_four_are_present_when_their_table_has_values() -> None:
    table_format = get_format("B")
    sections = {"overview": "概述", "problems": "问题", "other": "无"}

    def missing(values: dict) -> set[str]:
        findings = validate_report(
            table_format=table_format, values=values, sections=sections, year=2022
        )
        return {f.cells[0] for f in findings if f.rule == "missing_section"}

    assert missing({}) == {
        "section:active",
        "section:applications",
        "section:reviews",
    }
    table_two = next(t for t in table_format.tables if t.key == "b2")
    first = next(table_two.cells()).code
    assert missing({first: Decimal(3)}) == {"section:applications", "section:reviews"}
    # Format A's parts are text: a filled table does not stand in for them.
    a_findings = validate_report(
        table_format=get_format("A"), values={"a1_total": Decimal(1)}, sections={}
    )
    assert "section:active" in {f.cells[0] for f in a_findings if f.cells}
