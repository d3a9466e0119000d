"""A cell's value: a number, "not applicable", or blank (missing)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Final


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
