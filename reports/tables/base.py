"""The vocabulary in which the official table formats are declared.

A format module (``a.py``, ``b.py``, ...) declares its cells, its layout, its
rules and its narrative sections with the classes below and exposes one
``FORMAT``. Nothing else in nianbao writes a label, a unit or a rule: forms,
importers, exporters and the validator read these declarations.
"""

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final

# NUMBER_PATTERN is re-exported: the report page's payload reads it from here.
from reports.tables.numbers import NUMBER_PATTERN as NUMBER_PATTERN
from reports.tables.numbers import NumberError, number_refusal, parse_number


class NotApplicable:
    """The third state of a cell: "/" or "—" printed where a row does not apply."""

    _instance: "NotApplicable | None" = None

    def __new__(cls) -> "NotApplicable":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NA"

    def __str__(self) -> str:
        return "/"


NA: Final = NotApplicable()
CellValue = Decimal | NotApplicable | None
Values = Mapping[str, CellValue]

NA_SPELLINGS = frozenset({"/", "／", "—", "——", "-", "－", "n/a", "N/A", "不适用"})
MAX_VALUE = Decimal(10) ** 12


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


class Severity(StrEnum):
    MISSING = "missing"
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str
    cells: tuple[str, ...]
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": str(self.severity),
            "rule": self.rule,
            "cells": list(self.cells),
            "message": self.message,
        }


@dataclass(frozen=True)
class Context:
    """What a rule may read besides this year's values."""

    cells: Mapping[str, Cell]
    year: int | None = None
    table_year: int | None = None
    previous: Values | None = None  # last year's values, same agency


def fmt(value: Decimal) -> str:
    """A number as a clerk would write it: 15, 0.35, never 15.000000."""
    whole, denominator = value.as_integer_ratio()
    if denominator == 1:
        return str(whole)
    return format(value.normalize(), "f")


def shown(value: object) -> str:
    """A value as the form, previews and the change record write it:
    "" for a blank, "/" for not applicable, 15 or 0.35 for a number."""
    if value is None:
        return ""
    if value is NA:
        return "/"
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


class Op(StrEnum):
    EQ = "="
    LE = "≤"
    GE = "≥"

    def holds(self, left: Decimal, right: Decimal) -> bool:
        if self is Op.EQ:
            return left == right
        if self is Op.LE:
            return left <= right
        return left >= right

    @property
    def broken(self) -> str:
        return {"=": "≠", "≤": ">", "≥": "<"}[self.value]


class Aggregate(StrEnum):
    SUM = "sum"
    MAX = "max"


@dataclass(frozen=True)
class Rule:
    """Base of all rules: a stable code, a severity and the cells it reads."""

    code: str

    @property
    def operands(self) -> tuple[str, ...]:
        raise NotImplementedError

    def evaluate(self, values: Values, ctx: Context) -> list[Finding]:
        raise NotImplementedError


def _blank_or_na(values: Values, codes: Iterable[str]) -> bool:
    return any(values.get(code) is None or values.get(code) is NA for code in codes)


@dataclass(frozen=True)
class Compare(Rule):
    """``left`` (summed) compared with ``right`` summed or maximised.

    ``Compare("a_closed_sum", ("a3_closed",), Op.EQ, ("a3_closed_on_time",
    "a3_closed_extended"))`` declares a3_closed = on time + extended.
    """

    left: tuple[str, ...] = ()
    op: Op = Op.EQ
    right: tuple[str, ...] = ()
    severity: Severity = Severity.ERROR
    right_aggregate: Aggregate = Aggregate.SUM
    explanation: str = ""

    @property
    def operands(self) -> tuple[str, ...]:
        return self.left + self.right

    def evaluate(self, values: Values, ctx: Context) -> list[Finding]:
        if _blank_or_na(values, self.operands):
            return []
        left = sum((values[c] for c in self.left), Decimal(0))  # type: ignore[misc]
        parts = [values[c] for c in self.right]
        if self.right_aggregate is Aggregate.MAX:
            right = max(parts)  # type: ignore[type-var]
        else:
            right = sum(parts, Decimal(0))  # type: ignore[arg-type]
        if self.op.holds(left, right):  # type: ignore[arg-type]
            return []
        message = self._message(values, ctx, left, right)  # type: ignore[arg-type]
        return [Finding(self.severity, self.code, self.operands, message)]

    def _side(self, codes: tuple[str, ...], values: Values, ctx: Context) -> str:
        return " + ".join(
            f"{ctx.cells[c].display_name} {fmt(values[c])}"  # type: ignore[arg-type]
            for c in codes
        )

    def _message(
        self, values: Values, ctx: Context, left: Decimal, right: Decimal
    ) -> str:
        left_text = self._side(self.left, values, ctx)
        if len(self.left) > 1:
            left_text += f" = {fmt(left)}"
        if self.right_aggregate is Aggregate.MAX:
            top = max(self.right, key=lambda c: values[c])  # type: ignore[arg-type,return-value]
            right_text = f"其中最大的{ctx.cells[top].display_name} {fmt(right)}"
        else:
            right_text = self._side(self.right, values, ctx)
            if len(self.right) > 1:
                right_text += f" = {fmt(right)}"
        text = f"{left_text} {self.op.broken} {right_text}"
        if self.explanation:
            text += f"（{self.explanation}）"
        return text


@dataclass(frozen=True)
class PreviousYear(Rule):
    """This year's ``this`` compared with last year's ``last`` (same agency).

    Evaluated only when last year's report exists and both values are given.
    """

    this: str = ""
    last: str = ""
    op: Op = Op.EQ
    severity: Severity = Severity.WARNING
    explanation: str = ""

    @property
    def operands(self) -> tuple[str, ...]:
        return (self.this,)

    def evaluate(self, values: Values, ctx: Context) -> list[Finding]:
        if ctx.previous is None:
            return []
        now, before = values.get(self.this), ctx.previous.get(self.last)
        if now is None or now is NA or before is None or before is NA:
            return []
        if self.op.holds(before, now):  # type: ignore[arg-type]
            return []
        last_year = f"{ctx.year - 1}年" if ctx.year else "上年"
        last_name = ctx.cells[self.last].display_name
        this_name = ctx.cells[self.this].display_name
        text = (
            f"{last_year}{last_name} {fmt(before)} {self.op.broken} "  # type: ignore[arg-type]
            f"本年{this_name} {fmt(now)}"  # type: ignore[arg-type]
        )
        if self.explanation:
            text += f"（{self.explanation}）"
        return [Finding(self.severity, self.code, (self.this,), text)]


@dataclass(frozen=True)
class TableYear(Rule):
    """The year printed above the table must be the report's year."""

    severity: Severity = Severity.WARNING

    @property
    def operands(self) -> tuple[str, ...]:
        return ()

    def evaluate(self, values: Values, ctx: Context) -> list[Finding]:
        if ctx.table_year is None or ctx.year is None or ctx.table_year == ctx.year:
            return []
        return [
            Finding(
                self.severity,
                self.code,
                (),
                f"统计表标注的年度（{ctx.table_year}年度）与报告年度"
                f"（{ctx.year}年）不一致。",
            )
        ]


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
