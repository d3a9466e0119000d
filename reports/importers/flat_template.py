"""The flat import's columns: for the import page and its template sheets.

Everything is read from the declarations: the fixed columns and the spellings
their headers may take from ``reports.importers.flat``, the cells, sections and
signatories from ``reports.tables``. A template sheet has two header rows: the
codes, which the import reads, and the official labels, for people; the import
skips a second row that only repeats the labels (``blank_label_row``).
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import xlsxwriter

from reports.importers.flat import (
    AGENCY_CODE,
    AGENCY_NAME,
    INDEX,
    TABLE_YEAR,
    YEAR,
    Column,
    parse_flat,
)
from reports.importers.incoming import IncomingReport
from reports.importers.labels import normalise
from reports.importers.sheets import Sheet
from reports.tables import FORMATS, SIGNATORIES, TableFormat

# The fixed columns, in the template's order: (key, label, what it takes).
FIXED = (
    (AGENCY_CODE, "机关代码", "填机关代码或机关全称之一（都填时按代码）"),
    (AGENCY_NAME, "机关全称", "与机关代码二选一；须与系统中的全称一致"),
    (YEAR, "年度", "报告年度，如 2017"),
    (TABLE_YEAR, "统计表标注年度", "可选：统计表上印的年度"),
)


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template sheet."""

    code: str  # the first header row: what the import reads
    label: str  # the second header row: the official label
    unit: str = ""
    label_accepted: bool = True  # whether the label alone may head the column


def fixed_spellings() -> list[tuple[str, list[str], str]]:
    """Each fixed column: its label, every header spelling accepted, a note."""
    spellings: dict[Column, list[str]] = defaultdict(list)
    for spelling, column in INDEX.exact.items():
        spellings[column].append(spelling)
    return [
        (label, spellings[Column("fixed", key)], note) for key, label, note in FIXED
    ]


def signatory_columns() -> list[TemplateColumn]:
    return [TemplateColumn(key, label) for key, label in SIGNATORIES]


def cell_columns(table_format: TableFormat) -> list[TemplateColumn]:
    """The cells: grid cells share their row's label, so only their code heads."""
    return [
        TemplateColumn(
            code,
            cell.display_name if cell.row else cell.label,
            cell.unit,
            label_accepted=not cell.row,
        )
        for code, cell in table_format.cells.items()
    ]


def section_columns(table_format: TableFormat) -> list[TemplateColumn]:
    return [
        TemplateColumn(f"section:{section.key}", section.title)
        for section in table_format.sections
    ]


def template_columns(table_format: TableFormat) -> list[TemplateColumn]:
    return [
        *(TemplateColumn(key, label) for key, label, _note in FIXED),
        *cell_columns(table_format),
        *section_columns(table_format),
        *signatory_columns(),
    ]


def template_xlsx(table_format: TableFormat) -> bytes:
    """An empty flat sheet for ``table_format``: codes, then labels, then rows."""
    columns = template_columns(table_format)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet(table_format.code)
    code_style = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    label_style = book.add_format(
        {"italic": True, "text_wrap": True, "valign": "top", "bg_color": "#F2F2F2"}
    )
    text = book.add_format({"num_format": "@"})  # agency codes keep leading zeros
    for index, column in enumerate(columns):
        page.write_string(0, index, column.code, code_style)
        page.write_string(1, index, column.label, label_style)
        page.set_column(index, index, 16, text if column.code == AGENCY_CODE else None)
    page.set_row(1, 60)
    page.freeze_panes(2, 3)
    book.close()
    return buffer.getvalue()


def template_csv(table_format: TableFormat) -> bytes:
    """The same as CSV, UTF-8 with a BOM so that Excel reads the Chinese."""
    columns = template_columns(table_format)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([c.code for c in columns])
    writer.writerow([c.label for c in columns])
    return out.getvalue().encode("utf-8-sig")


@cache
def _labels() -> dict[Column, frozenset[str]]:
    """Every label the second row of any template may hold, by column."""
    labels: dict[Column, set[str]] = defaultdict(set)
    columns = [TemplateColumn(key, label) for key, label, _note in FIXED]
    columns += signatory_columns()
    for table_format in FORMATS.values():
        columns += cell_columns(table_format) + section_columns(table_format)
    for column in columns:
        resolved = INDEX.resolve(column.code)
        if resolved is not None:
            labels[resolved].add(normalise(column.label))
    return {column: frozenset(found) for column, found in labels.items()}


def blank_label_row(sheet: Sheet) -> Sheet:
    """The sheet with its second row blanked when it only repeats the labels.

    A blank row is skipped by the import and the rows keep their numbers. It
    is a label row when its year column holds a label and every filled value
    is a label of its column (a template's, or one the header index reads).
    """
    if len(sheet.rows) < 2:
        return sheet
    header, second = sheet.rows[0], sheet.rows[1]
    labels = _labels()
    has_year = False
    for raw, value in zip(header, second, strict=False):
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        column = INDEX.resolve(str(raw)) if raw is not None else None
        if column is None:
            return sheet
        if normalise(text) not in labels.get(column, ()) and (
            INDEX.resolve(text) != column
        ):
            return sheet
        has_year = has_year or column == Column("fixed", YEAR)
    if not has_year:
        return sheet
    rows = [header, [None] * len(second), *sheet.rows[2:]]
    return Sheet(name=sheet.name, rows=rows)


def parse_flat_file(sheet: Sheet) -> list[IncomingReport]:
    """The reports of a flat sheet as any way in reads it (the admin's import,
    the background import, ``import_reports``): a template's label row is
    skipped."""
    return parse_flat(blank_label_row(sheet))
