"""The vocabulary in which the official table formats are declared.

A format module (``a.py``, ``b.py``, ...) declares its cells, its layout, its
rules and its narrative sections with the classes below and exposes one
``FORMAT``. Nothing else in nianbao writes a label, a unit or a rule: forms,
importers, exporters and the validator read these declarations.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final

# NUMBER_PATTERN is re-exported: the report page's payload reads it from here.
from reports.tables.numbers import NUMBER_PATTERN as NUMBER_PATTERN
from reports.tables.numbers import NumberError, number_refusal, parse_number
from reports.tables.rules import (
    Aggregate as Aggregate,
)
from reports.tables.rules import (
    Compare as Compare,
)
from reports.tables.rules import (
    Context as Context,
)
from reports.tables.rules import (
    Finding as Finding,
)
from reports.tables.rules import (
    Op as Op,
)
from reports.tables.rules import (
    PreviousYear as PreviousYear,
)
from reports.tables.rules import (
    Rule as Rule,
)
from reports.tables.rules import (
    Severity as Severity,
)
from reports.tables.rules import (
    TableYear as TableYear,
)
from reports.tables.values import NA as NA
from reports.tables.values import CellValue as CellValue
from reports.tables.values import NotApplicable as NotApplicable
from reports.tables.values import Values as Values
from reports.tables.values import fmt as fmt
from reports.tables.values import shown as shown

NA_SPELLINGS = frozenset({"/", "／", "—", "——", "-", "－", "n/a", "N/A", "不适用"})
MAX_VALUE = Decimal(10) ** 12
SIGNIFICANT_DIGITS = 15


class ValueType(StrEnum):
    COUNT = "count"  # a non-negative whole number
    SIGNED_COUNT = "signed_count"  # a whole number that may be negative
    AMOUNT = "amount"  # a non-negative amount in 万元, at most 6 decimals


AMOUNT_PLACES = 6


class CellValueError(ValueError):
    """A value that no cell of this type can hold; the message names the cell."""

    def __init__(self, cell: "Cell", message: str) -> None:
        super().__init__(message)
        self.cell = cell
        self.message = message


@dataclass(frozen=True)
class Cell:
    """One value of the table.

    ``indent`` places a row of a list table (0 section, 1 item, 2 sub-item,
    3 其中); ``row``/``column`` place a cell of a grid.
    """

    code: str
    label: str
    unit: str
    type: ValueType = ValueType.COUNT
    indent: int = 0
    variants: tuple[str, ...] = ()
    row: str = ""
    column: str = ""
    allows_na: bool = False
    required: bool = True
    name: str = ""  # short name for messages; derived from the label if empty

    @property
    def display_name(self) -> str:
        return self.name or short_label(self.label)

    def clean(self, raw: object) -> CellValue:
        """Turn what a user typed or a file held into a value, or refuse it.

        Blank is ``None`` (missing), never 0. Text is read by ``parse_number``
        (reports/tables/numbers.py), the one number rule. Raises
        CellValueError with a Chinese message that names the cell.
        """
        if raw is None or raw is NA:
            if raw is NA and not self.allows_na:
                raise CellValueError(self, f"「{self.display_name}」不能填“不适用”。")
            return raw  # type: ignore[return-value]
        if isinstance(raw, bool):
            raise CellValueError(self, f"「{self.display_name}」应为数字。")
        if type(raw) is int:  # what spreadsheets mostly hold: skip the parsing
            return self.check(Decimal(raw), raw)
        if isinstance(raw, Decimal | int | float):  # a number a file held as one
            value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
            if not value.is_finite():
                raise CellValueError(
                    self, f"「{self.display_name}」的值“{raw}”不是数字。"
                )
            return self.check(value, raw)
        text = str(raw).strip()
        if text == "":
            return None
        if text in NA_SPELLINGS:
            if not self.allows_na:
                raise CellValueError(
                    self, f"「{self.display_name}」不能填“{text}”：此项必须填数字。"
                )
            return NA
        return self.check(self.number(text), raw)

    def number(self, text: str, printed: str | None = None) -> Decimal:
        """``text`` read by ``parse_number``; refused with a message naming
        this cell and ``printed`` (what the user wrote; ``text`` by default)."""
        try:
            return parse_number(text)
        except NumberError as exc:
            shown = text.strip() if printed is None else printed
            raise CellValueError(
                self, number_refusal(self.display_name, shown, exc)
            ) from None

    def check(self, value: Decimal, raw: object = None) -> Decimal:
        shown = raw if raw is not None else value
        if abs(value) >= MAX_VALUE:
            raise CellValueError(
                self, f"「{self.display_name}」的值 {shown} 过大（须小于 10^12）。"
            )
        if len(value.normalize().as_tuple().digits) > SIGNIFICANT_DIGITS:
            # Every database keeps 15 significant digits exactly (SQLite's
            # numbers are doubles); more would be stored other than typed.
            raise CellValueError(
                self,
                f"「{self.display_name}」的值 {shown} 有效数字超过 "
                f"{SIGNIFICANT_DIGITS} 位，无法准确保存。",
            )
        if self.type is ValueType.AMOUNT:
            if value < 0:
                raise CellValueError(
                    self,
                    f"「{self.display_name}」是金额（万元），不能为负数：{shown}。",
                )
            exponent = value.normalize().as_tuple().exponent
            if isinstance(exponent, int) and -exponent > AMOUNT_PLACES:
                raise CellValueError(
                    self,
                    f"「{self.display_name}」（万元）最多 {AMOUNT_PLACES} 位小数，"
                    f"“{shown}”超出。",
                )
            return value
        whole, denominator = value.as_integer_ratio()
        if denominator != 1:
            raise CellValueError(
                self, f"「{self.display_name}」（{self.unit}）应为整数：{shown}。"
            )
        if self.type is ValueType.COUNT and whole < 0:
            raise CellValueError(
                self, f"「{self.display_name}」（{self.unit}）不能为负数：{shown}。"
            )
        return Decimal(whole)


@dataclass(frozen=True)
class Header:
    """A row of a list table that carries no value (its unit prints as "—")."""

    label: str
    indent: int = 0
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListTable:
    """A table printed as 统计指标 | 单位 | 统计数 (format A, format B's table 二)."""

    key: str
    title: str
    rows: tuple[Cell | Header, ...]
    columns: tuple[str, ...] = ("统计指标", "单位", "统计数")

    def cells(self) -> Iterator[Cell]:
        return (row for row in self.rows if isinstance(row, Cell))


@dataclass(frozen=True)
class GridRow:
    key: str
    label: str
    indent: int = 0
    header: bool = False  # a heading row without values
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class GridColumn:
    key: str
    label: str
    group: str = ""  # a spanning heading above the column (法人或其他组织)


@dataclass(frozen=True)
class GridTable:
    """A grid whose cells are ``<prefix>_<row>__<column>``."""

    key: str
    title: str
    prefix: str
    rows: tuple[GridRow, ...]
    columns: tuple[GridColumn, ...]
    unit: str = "件"
    note: str = ""
    corner: str = ""  # the heading of the label column

    def code(self, row: str, column: str) -> str:
        return f"{self.prefix}_{row}__{column}"

    def value_rows(self) -> tuple[GridRow, ...]:
        return tuple(row for row in self.rows if not row.header)

    def cells(self) -> Iterator[Cell]:
        for row in self.value_rows():
            for column in self.columns:
                yield Cell(
                    code=self.code(row.key, column.key),
                    label=row.label,
                    unit=self.unit,
                    row=row.key,
                    column=column.key,
                    name=f"{short_label(row.label)}·{column.label}",
                )


Table = ListTable | GridTable


@dataclass(frozen=True)
class Section:
    """A narrative section of the report, with its heading variants."""

    key: str
    title: str
    required: bool = True
    variants: tuple[str, ...] = ()
    # The key of the table that this section is: format B's parts 二–四 are
    # their statistics tables, present when the table has values.
    table: str = ""


# (AnnualReport field, label printed under the table); all are required.
SIGNATORIES: Final = (
    ("signed_head", "单位负责人"),
    ("signed_reviewer", "审核人"),
    ("signed_preparer", "填报人"),
    ("contact_phone", "联系电话"),
    ("filled_on", "填报日期"),
)


# The headline numbers a roll-up's charts draw, in order; each format says
# which of its cells add up to each (``TableFormat.headlines``), so a line
# over the years crosses the 2019 change of format.
HEADLINES = ("主动公开政府信息数", "收到申请数", "行政复议数", "行政诉讼数")


@dataclass(frozen=True)
class TableFormat:
    """One official format: its tables, rules and narrative sections."""

    code: str
    name: str
    first_year: int
    last_year: int | None
    tables: tuple[Table, ...]
    rules: tuple[Rule, ...]
    sections: tuple[Section, ...]
    title: str = ""
    title_variants: tuple[str, ...] = ()
    headlines: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _cells: dict[str, Cell] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        cells: dict[str, Cell] = {}
        for table in self.tables:
            for cell in table.cells():
                if cell.code in cells:
                    raise ValueError(f"{self.code}: duplicate cell code {cell.code}")
                cells[cell.code] = cell
        for rule in self.rules:
            unknown = [c for c in rule.operands if c not in cells]
            if unknown:
                raise ValueError(f"{self.code}: rule {rule.code} names {unknown}")
        for name, codes in self.headlines.items():
            unknown = [c for c in codes if c not in cells]
            if name not in HEADLINES or unknown:
                raise ValueError(f"{self.code}: headline {name} names {unknown}")
        self._cells.update(cells)

    @property
    def cells(self) -> Mapping[str, Cell]:
        """Every cell by code, in the order of the official form."""
        return self._cells

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (
            self.last_year is None or year <= self.last_year
        )

    def rule_codes(self) -> list[str]:
        return sorted({rule.code for rule in self.rules})


_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])\s*"
)
_NOTE = re.compile(r"[（(][^（）()]*[)）]\s*$")


def short_label(label: str) -> str:
    """The label without its numbering, 其中 prefix and trailing note.

    "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)" → "主动公开政府信息数".
    """
    text = _NUMBERING.sub("", label)
    text = re.sub(r"^其中[:：]", "", text)
    previous = None
    while previous != text:
        previous = text
        text = _NOTE.sub("", text).strip()
    return text or label
