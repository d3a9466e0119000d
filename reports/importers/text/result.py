"""The preview of a report's text (``TextImport``) and its JSON form."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reports.importers.text.claims import Claim
from reports.importers.text.found import FoundTable
from reports.tables import NA, CellValue, Finding, TableFormat, get_format


@dataclass
class TextImport:
    """The preview of one report's text."""

    format: str
    year: int | None
    table_year: int | None  # printed over the table read
    agency_name: str | None
    cells: dict[str, CellValue]
    sources: dict[str, tuple[int, str]]
    sections: dict[str, str]
    signatories: dict[str, str | date | None]
    unplaced_lines: list[tuple[int, str]]
    is_report: bool
    not_report_reason: str
    findings: list[Finding] = field(default_factory=list)
    table_found: bool = False
    found_year: int | None = None  # printed in the title, whatever ``year`` says
    tables: list[FoundTable] = field(default_factory=list)  # every table found
    table_index: int | None = None  # the one chosen, None: the first was read
    # figures the prose states, when there is no table: never placed
    suggestions: list[Claim] = field(default_factory=list)

    @property
    def table_format(self) -> TableFormat:
        return get_format(self.format)

    def values(self) -> dict[str, CellValue]:
        """The cells that hold a value or "not applicable"."""
        return {code: v for code, v in self.cells.items() if v is not None}


def json_number(value: CellValue) -> int | str | None:
    """A cell for JSON: an int when whole, else the exact decimal as a string
    ("0.35", never a float), "n/a" for not applicable, None when missing."""
    if value is None:
        return None
    if value is NA:
        return "n/a"
    if not isinstance(value, Decimal):
        return str(value)
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def as_json(result: TextImport) -> dict[str, object]:
    """The preview as JSON-ready data (see ``json_number`` for numbers)."""
    return {
        "format": result.format,
        "year": result.year,
        "found_year": result.found_year,
        "table_year": result.table_year,
        "agency_name": result.agency_name,
        "is_report": result.is_report,
        "not_report_reason": result.not_report_reason,
        "cells": {code: json_number(v) for code, v in result.cells.items()},
        "sources": {
            code: {"line": line, "text": text}
            for code, (line, text) in result.sources.items()
        },
        "sections": result.sections,
        "signatories": {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in result.signatories.items()
        },
        "unplaced_lines": [
            {"line": line, "text": text} for line, text in result.unplaced_lines
        ],
        "findings": [finding.as_dict() for finding in result.findings],
        "tables": [
            {
                "index": t.index,
                "first_line": t.first_line,
                "last_line": t.last_line,
                "start_line": t.start_line,
                "end_line": t.end_line,
                "description": t.description,
                "agency_name": t.agency_name,
                "year": t.year,
                "table_year": t.table_year,
                "values": t.values,
            }
            for t in result.tables
        ],
        "table_index": result.table_index,
        "suggestions": [
            {
                "line": s.line,
                "sentence": s.sentence,
                "number": json_number(s.number),
                "code": s.code,
            }
            for s in result.suggestions
        ],
    }
