"""Many reports side by side: one row a report, one column a cell (XLSX, CSV).

Columns: the agency's code and full name, the year, the format, the status,
the counts of findings (缺项, 错误, 提示), the year printed on the table, then
every cell of the formats present (in format order, each code once), the
narrative sections and the signatories. Row 1 holds what the flat import
reads (cell codes, field names), row 2 the official labels, for people; a
file of this export imports back unchanged (``reports.importers.flat``).
A number is a number, "/" is "not applicable", a blank is empty; a text a
spreadsheet could take for a formula is quoted (``quote_formula``).

The caller hands over the reports, already limited to the user's scope. They
are read in one streamed query, latest year first, then in the agency tree's
order, each with all its values aggregated into one text by the database:
no query per report, memory stays flat, and the cost is about a microsecond
a cell. Nothing here writes.
"""

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any, BinaryIO

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    Func,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.db.models.sql.compiler import SQLCompiler

from reports.exporters.xlsx import SheetWriter
from reports.importers.flat import (
    AGENCY_CODE,
    AGENCY_NAME,
    EXPORT_ONLY,
    TABLE_YEAR,
    YEAR,
    quote_formula,
)
from reports.importers.flat_template import (
    FIXED,
    cell_columns,
    section_columns,
    signatory_columns,
)
from reports.models import AnnualReport, ReportValue
from reports.tables import FORMATS, SIGNATORIES, TableFormat

SHEET_NAME = "年度报告"
CHUNK = 2000
PROGRESS_EVERY = 500
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
STATUS_LABELS = dict(AnnualReport.Status.choices)
_LABELS = {key: label for key, label, _note in FIXED} | dict(EXPORT_ONLY)
# The report's own columns: (header, the field read), in the sheet's order.
REPORT_FIELDS = (
    (AGENCY_CODE, "agency__code"),
    (AGENCY_NAME, "agency__name"),
    (YEAR, "year"),
    ("format", "format"),
    ("status", "status"),
    ("missing_count", "missing_count"),
    ("error_count", "error_count"),
    ("warning_count", "warning_count"),
    (TABLE_YEAR, "table_year"),
)
SIGNATORY_KEYS = tuple(key for key, _label in SIGNATORIES)
FROZEN_COLUMNS = 3  # code, name and year stay in view


@dataclass(frozen=True)
class FlatColumn:
    key: str  # row 1: what the flat import reads
    label: str  # row 2: the official label


@dataclass
class FlatTable:
    """The columns, and the rows as they are read (an iterator, once).

    A row holds texts, ints (year, counts) and None (blank); in the columns
    ``cells`` a text is a number as written ("15", "0.35") or "/".
    """

    columns: list[FlatColumn]
    rows: Iterator[list[object]]
    cells: range


def present_formats(reports: QuerySet[AnnualReport]) -> list[TableFormat]:
    """The formats of ``reports``, in format order (one small query)."""
    codes = set(reports.order_by().values_list("format", flat=True).distinct())
    return [table_format for code, table_format in FORMATS.items() if code in codes]


def flat_columns(formats: list[TableFormat]) -> list[FlatColumn]:
    columns = [FlatColumn(key, _LABELS[key]) for key, _field in REPORT_FIELDS]
    seen: set[str] = set()
    for part in (cell_columns, section_columns):
        for table_format in formats:
            for column in part(table_format):
                if column.code not in seen:
                    seen.add(column.code)
                    columns.append(FlatColumn(column.code, column.label))
    columns += [FlatColumn(c.code, c.label) for c in signatory_columns()]
    return columns


def flat_table(
    reports: QuerySet[AnnualReport],
    *,
    progress: Callable[[int], None] | None = None,
) -> FlatTable:
    """The sheet of ``reports``: its columns, and its rows as they are read.

    ``progress`` is told how many rows are done, every few hundred.
    """
    # Whatever the caller's query holds (search, filters, slices), the
    # export reads a plain one: the same reports, in its own order.
    reports = AnnualReport.objects.filter(pk__in=reports.values("pk"))
    columns = flat_columns(present_formats(reports))
    first = len(REPORT_FIELDS)
    last = next(
        (n for n, c in enumerate(columns) if c.key.startswith("section:")),
        len(columns) - len(SIGNATORY_KEYS),
    )
    return FlatTable(
        columns=columns,
        rows=_rows(reports, columns, progress),
        cells=range(first, last),
    )


class NumberText(Func):
    """A stored number as text, on PostgreSQL without trailing zeros."""

    template = "CAST(%(expressions)s AS TEXT)"
    output_field = TextField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        return self.as_sql(
            compiler, connection, template="trim_scale(%(expressions)s)::text", **extra
        )


def _cells() -> Subquery:
    """A report's values as one text: "a1_total=15;a1_website=/"."""
    shown = Case(
        When(not_applicable=True, then=Value("/")),
        default=NumberText("value"),
        output_field=TextField(),
    )
    return Subquery(
        ReportValue.objects.filter(report=OuterRef("pk"))
        .filter(Q(not_applicable=True) | Q(value__isnull=False))
        .values("report")
        .annotate(
            cells=StringAgg(
                Concat("code", Value("="), shown, output_field=TextField()),
                Value(";"),
            )
        )
        .values("cells"),
        output_field=TextField(),
    )


def number_text(text: str) -> str:
    """A stored number as written: "15.000000" → "15", "0.350000" → "0.35"."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL without its JIT compiler, which the planner calls for the
    export's query over a big table: compiling it costs seconds, several times
    what running it does. The session's setting is put back after."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        (before,) = cursor.fetchone()
        cursor.execute("SET jit = off")

    def restore() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', %s, false)", [before])

    try:
        yield
    except Exception:
        # A failed transaction's rollback puts the setting back by itself.
        if not connection.in_atomic_block:
            restore()
        raise
    restore()


def _rows(
    reports: QuerySet[AnnualReport],
    columns: list[FlatColumn],
    progress: Callable[[int], None] | None,
) -> Iterator[list[object]]:
    place = {column.key: index for index, column in enumerate(columns)}
    width = len(columns)
    first_cell = len(REPORT_FIELDS)
    sections = [
        (column.key.removeprefix("section:"), place[column.key])
        for column in columns
        if column.key.startswith("section:")
    ]
    signatories = [(n, place[key]) for n, key in enumerate(SIGNATORY_KEYS)]
    fields = [name for _key, name in REPORT_FIELDS]
    # One query, read as it comes: each report with all its values.
    rows = (
        reports.annotate(cells=_cells())
        .order_by("-year", "agency__path", "pk")
        .values_list(*fields, "sections", *SIGNATORY_KEYS, "cells")
        .iterator(chunk_size=CHUNK)
    )
    with _without_jit():  # the plan is made when the first rows are fetched
        first = next(rows, None)
    done = 0
    for report in chain([first] if first is not None else [], rows):
        row: list[object] = [None] * width
        row[:first_cell] = report[:first_cell]
        row[0] = quote_formula(str(row[0]))
        row[1] = quote_formula(str(row[1]))
        row[4] = str(STATUS_LABELS.get(str(row[4]), row[4]))
        texts = report[first_cell] or {}
        for key, index in sections:
            text = texts.get(key)
            if text:
                row[index] = quote_formula(str(text))
        for number, index in signatories:
            signed = report[first_cell + 1 + number]
            if isinstance(signed, date):
                row[index] = signed.isoformat()
            elif signed:
                row[index] = quote_formula(str(signed))
        if report[-1]:
            for pair in report[-1].split(";"):
                code, _is, value = pair.partition("=")
                index = place.get(code)
                if index is not None and value:  # a code of no format: left out
                    if value[-1] == "0" and "." in value:  # not trimmed by SQL
                        value = number_text(value)
                    row[index] = value
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        yield row
    if progress is not None:
        progress(done)


def _headers(columns: list[FlatColumn]) -> tuple[list[object], list[object]]:
    return (
        [quote_formula(column.key) for column in columns],
        [quote_formula(column.label) for column in columns],
    )


def write_xlsx(
    reports: QuerySet[AnnualReport],
    target: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
    large: bool = False,
) -> int:
    """Write the reports as an XLSX file to ``target``; how many.

    ``large``: the sheet may pass 2 GB (a national year with its texts).
    """
    table = flat_table(reports, progress=progress)
    with SheetWriter(
        target,
        sheet_name=SHEET_NAME,
        header_rows=2,
        frozen_columns=FROZEN_COLUMNS,
        width=len(table.columns),
        numbers=table.cells,
        large=large,
    ) as sheet:
        for header in _headers(table.columns):
            sheet.row(header)
        for row in table.rows:
            sheet.row(row)
    return sheet.rows - 2


def write_csv(
    reports: QuerySet[AnnualReport],
    target: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the reports as CSV (UTF-8 with a BOM, for Excel); how many."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    count = 0
    try:
        writer = csv.writer(text)
        table = flat_table(reports, progress=progress)
        writer.writerows(_headers(table.columns))
        for row in table.rows:
            writer.writerow(row)
            count += 1
    finally:
        text.flush()
        text.detach()  # the caller's file stays open
    return count


def write_flat(
    reports: QuerySet[AnnualReport],
    target: BinaryIO,
    *,
    kind: str,
    progress: Callable[[int], None] | None = None,
    large: bool = False,
) -> int:
    """Write ``kind`` ("xlsx" or "csv") to ``target``; how many reports."""
    if kind == "csv":
        return write_csv(reports, target, progress=progress)
    if kind == "xlsx":
        return write_xlsx(reports, target, progress=progress, large=large)
    raise ValueError(f"unknown export kind: {kind}")
