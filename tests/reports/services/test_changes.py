"""Change detection and the three-way merge by field."""

from decimal import Decimal

from reports.models import ReportChange
from reports.services.changes import (
    as_text,
    differences,
    merge,
    normalize_text,
    proposal,
    state_at,
)


def test_text_is_compared_without_line_endings_and_trailing_spaces() -> None:
    assert normalize_text("一\r\n二  \r\n\r\n") == "一\n二"
    assert normalize_text(None) == ""
    state = {"section:overview": "一\n二"}
    assert differences(state, proposal(sections={"overview": "一 \r\n二"})) == {}
    assert differences(state, proposal(sections={"overview": "一\n三"}))


def test_numbers_are_compared_as_answers() -> None:
    state = {"a1_total": Decimal("15.000000")}
    assert differences(state, {"a1_total": Decimal(15)}) == {}
    assert differences(state, {"a1_total": None}) == {
        "a1_total": (Decimal("15.000000"), None)
    }
    assert differences({}, {"a1_total": Decimal(0)})  # 0 is an answer, not a blank


def test_state_at_rolls_back_later_changes() -> None:
    later = [
        ReportChange(version=3, field="a1_total", old="", new="5"),
        ReportChange(version=4, field="a1_total", old="5", new="6"),
        ReportChange(version=4, field="signatory:signed_head", old="甲", new="乙"),
    ]
    current = {"a1_total": "6", "signatory:signed_head": "乙", "a3_received": "2"}
    assert state_at(current, later) == {
        "signatory:signed_head": "甲",
        "a3_received": "2",
    }


def test_merge_keeps_others_changes_and_finds_real_conflicts() -> None:
    base = {"a1_total": "5", "a3_received": "2"}
    current = {"a1_total": Decimal(8), "a3_received": Decimal(3)}
    mine = {
        "a1_total": Decimal(9),  # both changed: conflict
        "a3_received": Decimal(2),  # untouched by me: theirs stays
        "a1_website": Decimal(4),  # only mine
    }
    outcome = merge(base=base, current=current, proposed=mine)
    assert outcome.conflicts == {"a1_total": ("9", "8")}
    assert outcome.merged == ["a3_received"]
    assert outcome.edits == {"a1_website": (None, Decimal(4))}
    assert as_text(current) == {"a1_total": "8", "a3_received": "3"}


def test_merge_of_the_same_value_on_both_sides_is_no_conflict() -> None:
    outcome = merge(
        base={}, current={"a1_total": Decimal(5)}, proposed={"a1_total": Decimal(5)}
    )
    assert not outcome.conflicts and not outcome.edits
