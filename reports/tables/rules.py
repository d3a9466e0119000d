"""Rules over a format's cells, and the findings they give.

Declared beside the cells in each format module; evaluated by
``reports.validation``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from reports.tables.values import NA, Values, fmt

if TYPE_CHECKING:
    from reports.tables.base import Cell


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

    cells: Mapping[str, "Cell"]
    year: int | None = None
    table_year: int | None = None
    previous: Values | None = None  # last year's values, same agency


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
