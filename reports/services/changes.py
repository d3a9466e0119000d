"""What a write changes: one home for change detection and merging.

A report's editable content is a flat set of *fields*: every cell by its code,
``section:<key>``, ``signatory:<key>`` and ``table_year``. The single save, the
per-report import and the bulk import all describe what they would write as a
proposal over these fields and ask this module what actually differs from the
stored report. A field is compared as it is shown (``shown``), so 15 and
15.000000 are the same answer and a narrative text differing only in line
endings or trailing spaces is unchanged.

Merging: a clerk's edit is what differs between the version they opened and
what they send. The state at that version is the stored state with the
changes recorded since then rolled back (each ``ReportChange`` keeps the old
value), so nothing extra travels with the form.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import EllipsisType
from typing import Any

from reports.models import ReportChange
from reports.tables import CellValue
from reports.tables.base import shown

TABLE_YEAR = "table_year"
SECTION = "section:"
SIGNATORY = "signatory:"


def normalize_text(text: object) -> str:
    """A narrative text as stored: \\n line endings, no trailing spaces on a
    line, no blank lines at either end."""
    if text is None:
        return ""
    # NUL cannot be stored (PostgreSQL refuses it) and means nothing in a text.
    text = str(text).replace("\x00", "")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n").strip()


def proposal(
    *,
    values: Mapping[str, CellValue] | None = None,
    sections: Mapping[str, str] | None = None,
    signatories: Mapping[str, Any] | None = None,
    table_year: int | None | EllipsisType = ...,
) -> dict[str, object]:
    """What a write proposes, by field, with cleaned values."""
    proposed: dict[str, object] = dict(values or {})
    for key, text in (sections or {}).items():
        proposed[SECTION + key] = normalize_text(text)
    for key, value in (signatories or {}).items():
        proposed[SIGNATORY + key] = value
    if table_year is not ...:
        proposed[TABLE_YEAR] = table_year
    return proposed


def stored_state(
    *,
    values: Mapping[str, CellValue],
    sections: Mapping[str, str],
    signatories: Mapping[str, Any],
    table_year: int | None,
) -> dict[str, object]:
    """A stored report's fields with their values; blanks may be absent."""
    state: dict[str, object] = dict(values)
    state.update({SECTION + key: text for key, text in sections.items()})
    state.update({SIGNATORY + key: value for key, value in signatories.items()})
    state[TABLE_YEAR] = table_year
    return state


def as_shown(name: str, value: object) -> str:
    """A field's value as the history and comparisons write it."""
    return normalize_text(value) if name.startswith(SECTION) else shown(value)


def as_text(state: Mapping[str, object]) -> dict[str, str]:
    """A state as shown, blanks left out."""
    shown_state = {name: as_shown(name, value) for name, value in state.items()}
    return {name: text for name, text in shown_state.items() if text != ""}


def _same(name: str, old: object, new: object) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old == new  # 15 == 15.000000: the same answer
    return as_shown(name, old) == as_shown(name, new)


def differences(
    state: Mapping[str, object], proposed: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """The proposed fields that differ from ``state``: field → (old, new)."""
    return {
        name: (state.get(name), value)
        for name, value in proposed.items()
        if not _same(name, state.get(name), value)
    }


def state_at(state: Mapping[str, str], later: Iterable[ReportChange]) -> dict[str, str]:
    """The shown state before ``later`` (changes in ascending version order)."""
    base = dict(state)
    seen: set[str] = set()
    for change in later:
        if change.field in seen:
            continue
        seen.add(change.field)
        old = as_shown(change.field, change.old)
        if old == "":
            base.pop(change.field, None)
        else:
            base[change.field] = old
    return base


@dataclass
class Merge:
    """A proposal made against an older version, set against what is stored."""

    edits: dict[str, tuple[object, object]] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)  # changed by others, kept
    conflicts: dict[str, tuple[str, str]] = field(default_factory=dict)  # mine, theirs


def merge(
    *,
    base: Mapping[str, str],
    current: Mapping[str, object],
    proposed: Mapping[str, object],
) -> Merge:
    """Three-way merge by field.

    A field the user sent unchanged from ``base`` is not their edit: the
    current value stays (and is reported as merged when someone else changed
    it). A field both sides changed, to different values, is a conflict.
    """
    result = Merge()
    current_text = as_text(current)
    for name, value in proposed.items():
        mine = as_shown(name, value)
        before, now = base.get(name, ""), current_text.get(name, "")
        if mine == before:
            if now != before:
                result.merged.append(name)
            continue
        if now == mine:
            continue  # both sides typed the same: nothing to do
        if now != before:
            result.conflicts[name] = (mine, now)
            continue
        result.edits[name] = (current.get(name), value)
    return result
