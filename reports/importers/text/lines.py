"""One line of a pasted table: its fields and what each field is.

A line is split into fields at "|" (seed 002 prints "label |"), else at tabs,
else it is one field; a field that is not a label, value, unit or note as a
whole is tried as "label value value…" separated by spaces (a flattened row
of format B) or by a colon ("label：12"), as several headings, or as values
some of which are no number ("1 若干 0", "约 5"). ``classify_line`` returns
the events of a line in order, ``[]`` for an empty line or a page number (a
separator) and None for a line that is none of these: the table reader
reports such a line as unplaced. What a value field is and is worth is
``values``'s business.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from reports.importers.labels import (
    LabelIndex,
    TitleMatch,
    has_numbering,
    label_index,
    numbering_agrees,
    simplified_key,
    squeeze,
)
from reports.importers.text.meta import SIGN_NAMES
from reports.importers.text.values import (
    NA,
    UNITS,
    is_page_number,
    looks_like_value,
    number_token,
)
from reports.tables import TableFormat


class Kind(StrEnum):
    LABEL = "label"  # a row label (cells or header): ``key`` is its strict key
    VALUE = "value"  # something that reads as a number
    NOT_NUMBER = "not_number"  # written as a value, no number: 十二, 若干, 约5
    NA = "na"  # "/", "—": not applicable (or a header row's unit)
    BLANK = "blank"  # an empty cell: a line of spaces or non-breaking spaces
    EDGE = "edge"  # an empty field after a row's last tab: a cell only if needed
    UNIT = "unit"  # 条, 件, 万元 …
    NOTE = "note"  # "(不同渠道和方式公开相同的信息列为1条)" on its own
    FURNITURE = "furniture"  # column headings: 统计指标, 单位, 统计数, 自然人 …
    TITLE = "title"  # the table's title
    YEAR = "year"  # "(2017 年度)"
    AGENCY = "agency"  # 填报单位(盖章):…
    SIGN = "sign"  # 单位负责人:… 审核人:… / 联系电话:… 填报日期:…


@dataclass(frozen=True)
class Event:
    kind: Kind
    text: str  # the field as printed, stripped
    key: str = ""  # LABEL: the strict key
    title: TitleMatch | None = None
    year: int | None = None
    column: int = -1  # the field's place on a line of several (pipes, tabs)


_SPACED_DIGITS = re.compile(r"\d\s+[\d.]")
_YEAR_LINE = re.compile(r"^\(?((?:19|20)\d{2})年度?\)?$")
_SIGN_START = re.compile(rf"^(?:{SIGN_NAMES})")
_COLON = re.compile(r"^(.*\S)\s*[:：]\s*(\S.*)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# The kinds of a value (a number, "/", or words written as one), and of an
# empty place (a blank cell, or an empty edge that is a cell only if needed).
VALUE_KINDS = frozenset({Kind.VALUE, Kind.NA, Kind.NOT_NUMBER})
EMPTY_KINDS = frozenset({Kind.BLANK, Kind.EDGE})
_CELLS = VALUE_KINDS | {Kind.BLANK}
MAX_TABLE_LINE = 300  # a longer line is prose, never a table row
MAX_ROW_WORDS = 40  # words of a line tried as "label value…"


def split_fields(line: str) -> list[str]:
    """The cells of a line: at "|" or tabs, without the empty edges."""
    line = line.replace("｜", "|")
    if "|" in line:
        parts = line.split("|")
    elif "\t" in line:
        parts = line.split("\t")
    else:
        return [line.strip()]
    # An edge is no cell, unless it holds a no-break space: browser text
    # prints an empty cell so ("4\t\xa0").
    first, last = parts[0], parts[-1]
    parts = [part.strip() for part in parts]
    if len(parts) > 1 and parts[0] == "" and "\xa0" not in first:
        parts = parts[1:]
    if len(parts) > 1 and parts[-1] == "" and "\xa0" not in last:
        parts = parts[:-1]
    return parts


def _value_event(text: str, squeezed: str) -> Event | None:
    if squeezed in NA:
        return Event(Kind.NA, text)
    if squeezed in UNITS:
        return Event(Kind.UNIT, text)
    if number_token(text):
        return Event(Kind.VALUE, text)
    return None


def atom(text: str, index: LabelIndex) -> Event | None:
    """What a field is as a whole, or None."""
    squeezed = squeeze(text)
    if not squeezed:
        return Event(Kind.BLANK, text)
    year = _YEAR_LINE.match(squeezed)
    if year:
        return Event(Kind.YEAR, text, year=int(year.group(1)))
    if _SPACED_DIGITS.search(text):
        return None  # several numbers ("1 0 0"), not one
    event = _value_event(text, squeezed)
    if event is not None:
        return event
    key = simplified_key(text)
    rows = index.lookup_key(key)
    if rows and any(numbering_agrees(text, row.label) for row in rows):
        # 总计 and 其他 are both rows of table 三 and its column headings: a
        # numbered one ("(七)总计") is the row.
        if index.is_furniture_key(key) and not has_numbering(text):
            return Event(Kind.FURNITURE, text)
        return Event(Kind.LABEL, text, key=key)
    if index.is_furniture_key(key):
        return Event(Kind.FURNITURE, text)
    title = index.title_key(key)
    if title is not None:
        return Event(Kind.TITLE, text, title=title)
    if squeezed.startswith("(") and squeezed.endswith(")") and len(squeezed) > 2:
        return Event(Kind.NOTE, text)
    return None


def _field_events(field: str, index: LabelIndex) -> list[Event] | None:
    if not field.strip():
        return [Event(Kind.BLANK, "")]
    found = atom(field, index)
    if found is not None:
        return [found]
    parts = field.split()
    if len(parts) >= 2:
        events = _spaced(parts, index)
        if events is not None:
            return events
    events = _labelled(field, parts, index)
    if events is not None:
        return events
    return _values(parts)


def _spaced(parts: list[str], index: LabelIndex) -> list[Event] | None:
    """A label and its numbers ("label 1 0 0"), a row of numbers, or several
    headings on one line."""
    tail: list[Event] = []
    head = list(parts)
    while head:
        event = _value_event(head[-1], squeeze(head[-1]))
        if event is None:
            break
        tail.insert(0, event)
        head.pop()
    if not head:  # a row of numbers: "1 0 0 0 1"
        return tail
    if tail:
        label = atom(" ".join(head), index)
        if label is not None and label.kind is Kind.LABEL:
            return [label, *tail]
    events = [atom(part, index) for part in parts]
    if all(events) and any(
        e.kind in (Kind.LABEL, Kind.FURNITURE)
        for e in events  # type: ignore[union-attr]
    ):
        return events  # type: ignore[return-value]
    return None


def _labelled(field: str, parts: list[str], index: LabelIndex) -> list[Event] | None:
    """A label then values some of which are no number: "label：十二",
    "label 条 约 5", "label 4 若干 0 …" (the longest label wins)."""
    colon = _COLON.match(field)
    if colon:
        label = atom(colon.group(1), index)
        values = _values(colon.group(2).split())
        if label is not None and label.kind is Kind.LABEL and values is not None:
            return [label, *values]
    if len(parts) > MAX_ROW_WORDS:
        return None
    for end in range(len(parts) - 1, 0, -1):
        label = atom(" ".join(parts[:end]), index)
        if label is not None and label.kind is Kind.LABEL:
            values = _values(parts[end:])
            if values is not None:
                return [label, *values]
    return None


def _word_event(word: str) -> Event | None:
    event = _value_event(word, squeeze(word))
    if event is None and looks_like_value(word):
        event = Event(Kind.NOT_NUMBER, word)
    return event


def _values(words: list[str]) -> list[Event] | None:
    """Words that all stand for values, some written without a number.

    Each word is a value of its own when one of them at least is a number
    ("4 若干 0"); else they are one value written with spaces ("约 5",
    "十 二"), after the units before it. None when they are not values.
    """
    if len(words) == 1:  # a field that is no number as a whole (``atom``)
        if looks_like_value(words[0]):
            return [Event(Kind.NOT_NUMBER, words[0])]
        return None
    found = [_word_event(word) for word in words]
    events = [event for event in found if event is not None]
    values = [event for event in events if event.kind is not Kind.UNIT]
    if len(events) == len(words) and (
        len(values) <= 1 or any(event.kind in (Kind.VALUE, Kind.NA) for event in values)
    ):
        return events
    units: list[Event] = []
    for event in found:
        if event is None or event.kind is not Kind.UNIT:
            break
        units.append(event)
    rest = words[len(units) :]
    if rest and looks_like_value("".join(rest)):
        return [*units, Event(Kind.NOT_NUMBER, " ".join(rest))]
    return None


def classify_line(line: str, index: LabelIndex) -> list[Event] | None:
    """The events of one line (in simplified characters), see the module doc."""
    if line == "":
        return []
    stripped = line.strip()
    if not stripped:
        return [Event(Kind.BLANK, "")]
    if len(stripped) > MAX_TABLE_LINE:
        return None
    if is_page_number(stripped):
        return []
    squeezed = squeeze(stripped)
    if _SIGN_START.match(squeezed):
        return [Event(Kind.SIGN, stripped)]
    if squeezed.startswith("填报单位"):
        return [Event(Kind.AGENCY, stripped)]
    events: list[Event] = []
    fields = split_fields(line)
    tabs = "\t" in line and "|" not in line and "｜" not in line
    first, _tab, rest = line.partition("\t")
    # Places count from the line's start: a leading tab is an (empty) first
    # place, so that "\t(七)总计\t\t3243" and "四、结转…\t\t\t0" put their
    # numbers in the same places. A pipe line's leading "|" is no place.
    offset = int(tabs and len(fields) > 1 and not first.strip() and "\xa0" not in first)
    for column, field in enumerate(fields, offset):
        field_events = _field_events(field, index)
        if field_events is None:
            return None
        if len(fields) > 1:
            field_events = [replace(e, column=column) for e in field_events]
        events.extend(field_events)
    if len(fields) > 1 and tabs:
        # Empty edges dropped by split_fields: cells only if the row needs them
        # ("\t0\t5": a row whose first cell is empty, as a browser copies it).
        last = rest.rsplit("\t", 1)[-1]
        if not last.strip() and "\xa0" not in last:
            events.append(Event(Kind.EDGE, "", column=len(fields) + offset))
        if offset and events[0].kind in _CELLS:
            events.insert(0, Event(Kind.EDGE, "", column=0))
    return events


def is_prose(line: str) -> bool:
    """A sentence of the report's text, which ends a table when met in one."""
    return "。" in line or len(line.strip()) > MAX_TABLE_LINE


def chinese_lines(lines: list[str]) -> list[int]:
    """The lines with Chinese characters: only they can start a table."""
    return [i for i, line in enumerate(lines) if _CJK.search(line)]


def count_labels(
    lines: list[str], candidates: list[int], formats: Iterable[TableFormat]
) -> dict[str, int]:
    """Format code → how many distinct rows with cells of it the lines name.

    A cheap look at the table's shape, to choose a format or to warn that the
    table is not of the expected one.
    """
    indexes = {f.code: label_index(f) for f in formats}
    found: dict[str, set[str]] = {code: set() for code in indexes}
    for i in candidates:
        line = lines[i]
        if len(line) > MAX_TABLE_LINE or "。" in line:
            continue
        field = split_fields(line)[0]
        words = field.split()
        colon = _COLON.match(field)
        keys = {
            simplified_key(field),
            simplified_key(words[0]) if words else "",
            simplified_key(colon.group(1)) if colon else "",
        }
        for code, index in indexes.items():
            for key in keys:
                rows = index.lookup_key(key) if key else []
                found[code].update(row.key for row in rows if not row.is_header)
    return {code: len(rows) for code, rows in found.items()}


def without_heading_blanks(events: list[Event]) -> list[Event]:
    """Empty cells that belong to headings, not to cells: those before a
    row's label on its line (the label column of a merged cell split, or the
    group column of a sub-row), and every one on a line of two headings or
    more and no value (a merged heading's split cells: "| 行政复议 |  |  |")."""
    # A label printed in every cell a merged cell covers (a Word table read
    # cell by cell: "(七)总计\t(七)总计\t…") is one label.
    events = [
        e
        for n, e in enumerate(events)
        if not (n and e.kind is Kind.LABEL and events[n - 1].key == e.key)
    ]
    kinds = [e.kind for e in events]
    if Kind.BLANK not in kinds and Kind.EDGE not in kinds:
        return events
    headings = sum(1 for k in kinds if k in (Kind.LABEL, Kind.FURNITURE))
    if headings >= 2 and not any(k in _CELLS and k is not Kind.BLANK for k in kinds):
        return [e for e in events if e.kind not in EMPTY_KINDS]
    labelled = next((n for n, k in enumerate(kinds) if k is Kind.LABEL), 0)
    return [
        e for n, e in enumerate(events) if n >= labelled or e.kind not in EMPTY_KINDS
    ]
