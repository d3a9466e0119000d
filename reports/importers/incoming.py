"""What importers of many reports hand over: one ``IncomingReport`` a report.

Defined here, on the importers' side: importers never import a service; the
bulk import service (``reports.services.imports``) takes these as its input.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from reports.tables.numbers import NumberError, parse_number


@dataclass
class IncomingReport:
    """One report as an importer read it; ``columns`` names each code's column
    (a flat sheet's rows share one read-only mapping)."""

    row: int
    agency_code: str = ""
    agency_name: str = ""
    year: object = None
    values: dict[str, object] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    signatories: dict[str, object] = field(default_factory=dict)
    table_year: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def parse_year(raw: object) -> int | None:
    """2017, "2017", "2017年度" → 2017; blank → None; anything else (2017.5,
    "二〇一七") raises ValueError."""
    text = "" if raw is None else str(raw).strip()
    text = text.removesuffix("年度").removesuffix("年")
    if not text:
        return None
    try:
        number = parse_number(text)  # the one number rule: no "٢٠١٧", no "2e3"
    except NumberError:
        raise ValueError(text) from None
    if number != number.to_integral_value():
        raise ValueError(text)
    return int(number)
