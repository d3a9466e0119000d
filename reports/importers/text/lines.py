"""One line of a pasted table: its fields, what each field is, and its numbers.

A line is split into fields at "|" (seed 002 prints "label |"), else at tabs,
else it is one field; a field that is not a label, value, unit or note as a
whole is tried as "label value value…" separated by spaces (a flattened row
of format B) or as several headings. ``classify_line`` returns the events of
a line in order, ``[]`` for an empty line (a separator) and None for a line
that is none of these: the table reader reports such a line as unplaced.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from reports.importers.labels import (
    LabelIndex,
    TitleMatch,
    has_numbering,
    label_index,
    simplified_key,
    squeeze,
)
from reports.importers.text.meta import SIGN_NAMES
from reports.tables import FORMATS, Cell, CellValue, CellValueError, TableFormat
from reports.tables.base import NA_SPELLINGS, ValueType


class Kind(StrEnum):
    LABEL = "label"  # a row label (cells or header): ``key`` is its strict key
    VALUE = "value"  # something that reads as a number
    NA = "na"  # "/", "—": not applicable (or a header row's unit)
    BLANK = "blank"  # an empty cell: a line of spaces or non-breaking spaces
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


# The units the formats print, and "元", which some tables print for 万元.
UNITS = frozenset(
    {cell.unit for f in FORMATS.values() for cell in f.cells.values()} | {"元"}
)
_UNIT_NAMES = "|".join(sorted(UNITS, key=len, reverse=True))  # 万元 before 元
# Finds a number token as printed (spaces removed, not NFKC-normalised):
# digits of any script, commas and points, an optional "万" and unit. It only
# finds; what the token is worth, or why it is refused, is decided by
# ``Cell.number`` (parse_number, the one number rule), so that "1,5" or "١٢"
# is refused in the cell's name, as the change form refuses it.
_VALUE = re.compile(rf"^([+\-＋－]?[\d,.，．]*\d)(万(?!元))?({_UNIT_NAMES})?$")
_TOKEN_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_SPACED_DIGITS = re.compile(r"\d\s+[\d.]")
_YEAR_LINE = re.compile(r"^\(?((?:19|20)\d{2})年度?\)?$")
_SIGN_START = re.compile(rf"^(?:{SIGN_NAMES})")
_NA = frozenset(squeeze(s) for s in NA_SPELLINGS) | {"—", "——", "-", "--", "/"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_TABLE_LINE = 300  # a longer line is prose, never a table row


def split_fields(line: str) -> list[str]:
    """The cells of a line: at "|" or tabs, without the empty edges."""
    line = line.replace("｜", "|")
    if "|" in line:
        parts = line.split("|")
    elif "\t" in line:
        parts = line.split("\t")
    else:
        return [line.strip()]
    parts = [part.strip() for part in parts]
    if len(parts) > 1 and parts[0] == "":
        parts = parts[1:]
    if len(parts) > 1 and parts[-1] == "":
        parts = parts[:-1]
    return parts


def _number_token(text: str) -> re.Match[str] | None:
    """(number, 万, unit) of a field that is a number as printed, else None."""
    return _VALUE.match(_TOKEN_SPACE.sub("", text))


def _value_event(text: str, squeezed: str) -> Event | None:
    if squeezed in _NA:
        return Event(Kind.NA, text)
    if squeezed in UNITS:
        return Event(Kind.UNIT, text)
    if _number_token(text):
        return Event(Kind.VALUE, text)
    return None


def _atom(text: str, index: LabelIndex) -> Event | None:
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
    if index.lookup_key(key):
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
    atom = _atom(field, index)
    if atom is not None:
        return [atom]
    parts = field.split()
    if len(parts) < 2:
        return None
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
        label = _atom(" ".join(head), index)
        if label is not None and label.kind is Kind.LABEL:
            return [label, *tail]
    events = [_atom(part, index) for part in parts]
    if all(events) and any(
        e.kind in (Kind.LABEL, Kind.FURNITURE)
        for e in events  # type: ignore[union-attr]
    ):
        return events  # type: ignore[return-value]
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
    squeezed = squeeze(stripped)
    if _SIGN_START.match(squeezed):
        return [Event(Kind.SIGN, stripped)]
    if squeezed.startswith("填报单位"):
        return [Event(Kind.AGENCY, stripped)]
    events: list[Event] = []
    for field in split_fields(line):
        field_events = _field_events(field, index)
        if field_events is None:
            return None
        events.extend(field_events)
    return events


def is_prose(line: str) -> bool:
    """A sentence of the report's text, which ends a table when met in one."""
    return "。" in line or len(line.strip()) > MAX_TABLE_LINE


def parse_value(text: str, cell: Cell) -> CellValue:
    """A printed number as the cell's value; CellValueError when unreadable.

    The number itself is read by ``Cell.number`` (parse_number: "85674",
    "85,674", full-width digits; never "1,5" or "١٢"), with around it "1.4万"
    (×10000, counts only and only when the result is whole), a unit after the
    number ("5条", "0.35万元") and "/" or "—" where the cell allows "not
    applicable".
    """
    squeezed = squeeze(text)
    name = cell.display_name
    printed = text.strip()
    if squeezed in _NA:
        return cell.clean(squeezed if squeezed in NA_SPELLINGS else "/")
    match = _number_token(text)
    if match is None:
        raise CellValueError(cell, f"「{name}」的值“{printed}”不是数字。")
    number, wan, unit = match.groups()
    amount = cell.type is ValueType.AMOUNT
    if (
        unit == "元"
        or (unit == "万元" and not amount)
        or (unit and unit != "万元" and amount)
    ):
        raise CellValueError(
            cell, f"「{name}」的单位是{cell.unit}，“{printed}”的单位不符。"
        )
    value = cell.number(number, printed)
    if wan:
        if amount:
            raise CellValueError(
                cell, f"「{name}」已以万元为单位，“{printed}”不能再带“万”。"
            )
        value *= 10000
        if value != value.to_integral_value():
            raise CellValueError(
                cell, f"「{name}」（{cell.unit}）应为整数：“{printed}”不是整数。"
            )
    return cell.check(value, printed)


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
        if len(line) > MAX_TABLE_LINE:
            continue
        field = split_fields(line)[0]
        words = field.split()
        keys = {simplified_key(field), simplified_key(words[0]) if words else ""}
        for code, index in indexes.items():
            for key in keys:
                rows = index.lookup_key(key) if key else []
                found[code].update(row.key for row in rows if not row.is_header)
    return {code: len(rows) for code, rows in found.items()}
