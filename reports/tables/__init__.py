"""The official table formats, declared once each.

Every module of this package that defines ``FORMAT`` is a format: a fourth
format is one new module. ``format_for_year`` maps a report year to its format.
"""

import importlib
import pkgutil

from reports.tables.base import (
    NA,
    SIGNATORIES,
    Cell,
    CellValue,
    CellValueError,
    Finding,
    GridTable,
    Header,
    ListTable,
    NotApplicable,
    Section,
    Severity,
    TableFormat,
    Values,
)
from reports.tables.fields import field_label
from reports.tables.numbers import NumberError, number_syntax, parse_number

__all__ = [
    "FORMATS",
    "NA",
    "SIGNATORIES",
    "Cell",
    "CellValue",
    "CellValueError",
    "Finding",
    "GridTable",
    "Header",
    "ListTable",
    "NotApplicable",
    "NumberError",
    "Section",
    "Severity",
    "TableFormat",
    "Values",
    "field_label",
    "format_for_year",
    "get_format",
    "number_syntax",
    "parse_number",
]


def _discover() -> dict[str, TableFormat]:
    found: dict[str, TableFormat] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in ("base", "fields"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        table_format = getattr(module, "FORMAT", None)
        if isinstance(table_format, TableFormat):
            found[table_format.code] = table_format
    return dict(sorted(found.items(), key=lambda item: item[1].first_year))


FORMATS: dict[str, TableFormat] = _discover()


def get_format(code: str) -> TableFormat:
    try:
        return FORMATS[code]
    except KeyError:
        raise KeyError(f"未知的统计表格式：{code}") from None


def format_for_year(year: int) -> TableFormat:
    for table_format in FORMATS.values():
        if table_format.covers(year):
            return table_format
    raise KeyError(f"{year} 年没有适用的统计表格式。")
