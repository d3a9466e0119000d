"""The reviewer's comparison with last year: copied tables and sections, and
each cell's change (reports/review_checks.py). Pure functions: no database."""

from decimal import Decimal

from reports.review_checks import (
    COPIED_SECTION,
    SAME_TABLE,
    compare_cell,
    compare_cells,
    copied_share,
    review_checks,
)
from reports.tables import FORMATS, NA, Severity

A = FORMATS["A"]
B = FORMATS["B"]

OVERVIEW_2016 = (
    "2016年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "强化领导，增强政务公开的规范性；精心组织，稳步推进政务公开工作，"
    "全年主动公开政府信息5条，未收到政府信息公开申请。"
)


def numbers(table_format: object, value: str = "0") -> dict[str, object]:
    return {code: Decimal(value) for code in table_format.cells}  # type: ignore[attr-defined]


def run(
    *,
    table_format: object = A,
    values: dict | None = None,
    previous: dict | None = None,
    previous_format: str | None = "A",
    sections: dict | None = None,
    previous_sections: dict | None = None,
) -> object:
    return review_checks(
        table_format,  # type: ignore[arg-type]
        values=values or {},
        sections=sections or {},
        previous=previous,
        previous_format=previous_format,
        previous_sections=previous_sections,
    )


def test_a_table_identical_to_last_year_is_a_warning() -> None:
    last = numbers(A) | {"a1_total": Decimal(5), "a1_website": Decimal(5)}
    checks = run(values=dict(last), previous=last)
    [finding] = checks.findings
    assert (finding.rule, finding.severity) == (SAME_TABLE, Severity.WARNING)
    assert "与上年报告完全相同" in finding.message
    assert "58 项" in finding.message  # every cell of format A


def test_one_different_cell_is_not_a_copy() -> None:
    last = numbers(A) | {"a1_total": Decimal(5), "a1_website": Decimal(5)}
    checks = run(values=last | {"a8_staff": Decimal(6)}, previous=last)
    assert checks.findings == []


def test_a_blank_where_last_year_had_a_value_is_not_the_same() -> None:
    last = numbers(A) | {"a1_total": Decimal(5)}
    values = dict(last)
    del values["a9_trainees"]
    assert run(values=values, previous=last).findings == []


def test_no_warning_without_last_years_values_or_for_nothing_but_zeros() -> None:
    assert run(values=numbers(A), previous=None).findings == []
    assert run(values={}, previous={}).findings == []
    # Two years of nothing (no requests, no 复议) are alike, not copied.
    assert run(values=numbers(A), previous=numbers(A)).findings == []


def test_not_applicable_cells_compare_equal() -> None:
    last = numbers(A) | {"a1_total": Decimal(3), "a7_fees": NA}
    assert [f.rule for f in run(values=dict(last), previous=last).findings] == [
        SAME_TABLE
    ]


def test_format_b_names_each_identical_table() -> None:
    last = numbers(B) | {"b2_rule_issued": Decimal(4)}
    values = dict(last) | {"b3_new__np": Decimal(1)}  # table 三 changed
    checks = run(table_format=B, values=values, previous=last, previous_format="B")
    titles = [f.message for f in checks.findings]
    assert len(titles) == 1 and titles[0].startswith("「" + B.tables[0].title)


def test_another_format_last_year_is_not_compared_as_a_table() -> None:
    last = numbers(B) | {"b2_rule_issued": Decimal(4)}
    checks = run(
        table_format=B, values=dict(last), previous=last, previous_format="B2019"
    )
    assert checks.findings == []


def test_a_copied_section_says_its_share() -> None:
    this_year = OVERVIEW_2016.replace("2016", "2017")
    checks = run(
        sections={"overview": this_year, "active": "全年主动公开信息7条。"},
        previous_sections={"overview": OVERVIEW_2016, "active": "全年未公开信息。"},
    )
    [finding] = checks.findings
    assert finding.rule == COPIED_SECTION
    assert finding.cells == ("section:overview",)
    share = round(100 * checks.copies["overview"])
    assert share >= 95
    assert f"相同文字约占 {share}%" in finding.message
    assert "「概述」" in finding.message  # the section's official title


def test_a_rewritten_section_is_not_flagged() -> None:
    rewritten = (
        "本年度，分局把政务公开纳入重点工作，新设信息公开专栏，"
        "全年主动公开信息12条，办理依申请公开1件，按时答复。"
    )
    checks = run(
        sections={"overview": rewritten}, previous_sections={"overview": OVERVIEW_2016}
    )
    assert checks.findings == [] and checks.copies == {}


def test_short_sections_are_not_judged() -> None:
    nothing = {"response": "无需要回应解读的情况。", "other": "无。"}
    checks = run(sections=nothing, previous_sections=nothing)
    assert checks.findings == [] and checks.copies == {}


def test_the_share_threshold() -> None:
    text = "甲" * 80 + "乙" * 20
    assert copied_share(text, "甲" * 100) == 0.8  # exactly 80 %: flagged
    assert copied_share("甲" * 79 + "乙" * 21, "甲" * 100) is None
    # Frequent characters still count: no difflib "junk" for Chinese text.
    long_text = "的政府信息公开" * 100
    assert copied_share(long_text, long_text) == 1.0


def test_each_cell_beside_last_year() -> None:
    up = compare_cell(Decimal(50), Decimal(5))
    assert (up.before, up.change, up.jump) == ("5", "+45", "×10↑")
    assert "10 倍" in up.jump_title
    down = compare_cell(Decimal(3), Decimal(40))
    assert (down.change, down.jump) == ("-37", "÷13↓")
    near = compare_cell(Decimal(49), Decimal(5))
    assert (near.change, near.jump) == ("+44", "")
    same = compare_cell(Decimal("1.5"), Decimal("1.500000"))
    assert (same.before, same.change, same.jump) == ("1.5", "", "")
    # From or to nothing is no multiple; blanks and 不适用 have no change.
    assert compare_cell(Decimal(20), Decimal(0)).jump == ""
    assert compare_cell(None, Decimal(3)) == compare_cell(NA, Decimal(3))
    assert compare_cell(None, Decimal(3)).change == ""
    assert compare_cell(Decimal(3), NA).before == "/"
    assert compare_cell(Decimal(3), None) is None


def test_cells_compare_by_code_only_when_last_year_filled_them() -> None:
    result = compare_cells(
        A, {"a1_total": Decimal(120)}, {"a1_total": Decimal(12), "b3_new__np": 1}
    )
    assert set(result) == {"a1_total"} and result["a1_total"].jump == "×10↑"
    assert compare_cells(A, {"a1_total": Decimal(1)}, None) == {}
