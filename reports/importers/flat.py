"""Flat sheets: one row per report, one column per cell.

Columns: the agency's code (or its exact full name), the year, then one
column per cell code (an official label works too, when it names one cell
only), and optionally the narrative sections and the signatories. This module
only reads: it turns rows into ``IncomingReport`` objects for
``reports.services.imports.reports_import``.

A file of the flat export (``reports.exporters.flat``) reads back unchanged:
its columns for people (format, status, counts of findings) are read past, a
blank cell or section of another format than the row's is no input (the
export has a column for every cell of every format present; a filled one is
refused, naming its row and column), a text that the export quoted against
formula evaluation (``quote_formula``) is read without the quote, and a
section that it had to cut (``CUT_MARK``) is left as stored.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

from reports.importers.incoming import IncomingReport, parse_year
from reports.importers.labels import normalise
from reports.importers.sheets import Sheet
from reports.tables import FORMATS, SIGNATORIES, TableFormat, format_for_year

AGENCY_CODE = "agency_code"
AGENCY_NAME = "agency_name"
YEAR = "year"
TABLE_YEAR = "table_year"

_FIXED = {
    AGENCY_CODE: ("agency", "agency_code", "机关代码", "单位代码", "代码"),
    AGENCY_NAME: (
        "agency_name",
        "机关",
        "机关全称",
        "机关名称",
        "填报单位",
        "单位名称",
    ),
    YEAR: ("year", "年度", "报告年度"),
    TABLE_YEAR: ("table_year", "统计表标注年度"),
}

# The flat export's columns for people, by header and label: an import reads
# past them.
EXPORT_ONLY = (
    ("format", "统计表格式"),
    ("status", "状态"),
    ("missing_count", "缺项"),
    ("error_count", "错误"),
    ("warning_count", "提示"),
)

# Excel holds at most 32,767 characters in a cell: the export cuts a longer
# section there and ends it with this mark, and an import leaves the stored
# section as it is rather than cut it.
EXCEL_CELL_LIMIT = 32_767
CUT_MARK = "【以下超出 Excel 单元格字数上限，已略去；导入时不会改动此部分】"

# What a spreadsheet may take for the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def quote_formula(text: str) -> str:
    """``text`` with an apostrophe before it if a spreadsheet could take it
    for a formula; one more before a text already so quoted, so that
    ``unquote_formula`` gives back exactly ``text``."""
    return "'" + text if _needs_quote(text) else text


def unquote_formula(text: str) -> str:
    """The text that ``quote_formula`` quoted; any other text as it is."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


class FlatSheetError(Exception):
    """The sheet's header cannot be read; ``messages`` say which columns."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Column:
    """What a header names: a fixed field, a cell, a section or a signatory."""

    kind: str  # fixed, cell, section, signatory, export (read past)
    key: str


@dataclass
class HeaderIndex:
    """Every spelling a header may take, mapped to its column.

    ``exact`` holds codes and field names as written (case-insensitive);
    ``names`` holds labels and titles by their normalised key.
    """

    exact: dict[str, Column] = field(default_factory=dict)
    names: dict[str, Column] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    def add_exact(self, name: str, column: Column) -> None:
        self.exact[name.lower()] = column

    def add(self, spelling: str, column: Column) -> None:
        key = normalise(spelling)
        known = self.names.get(key)
        if known is not None and known != column:
            self.ambiguous.setdefault(key, [known.key]).append(column.key)
            return
        self.names[key] = column

    def resolve(self, header: str) -> Column | None:
        exact = header.strip()
        column = self.exact.get(exact.lower())
        if column is not None:
            return column
        key = normalise(exact)
        if key in self.ambiguous:
            return None
        return self.names.get(key)


def _index() -> HeaderIndex:
    index = HeaderIndex()
    for key, spellings in _FIXED.items():
        for spelling in spellings:
            index.add_exact(spelling, Column("fixed", key))
            index.add(spelling, Column("fixed", key))
    for key, label in EXPORT_ONLY:
        index.add_exact(key, Column("export", key))
        index.add(label, Column("export", key))
    for key, label in SIGNATORIES:
        index.add_exact(key, Column("signatory", key))
        index.add(label, Column("signatory", key))
    for table_format in FORMATS.values():
        for code, cell in table_format.cells.items():
            index.add_exact(code, Column("cell", code))
            if not cell.row:  # grid cells share their row's label: codes only
                for label in (cell.label, *cell.variants):
                    index.add(label, Column("cell", code))
        for section in table_format.sections:
            index.add_exact(f"section:{section.key}", Column("section", section.key))
            for title in (section.title, *section.variants):
                index.add(title, Column("section", section.key))
    return index


INDEX = _index()


def read_header(sheet: Sheet) -> list[Column | None]:
    """The header row's columns; a column nobody can read is refused."""
    if not sheet.rows:
        raise FlatSheetError([f"工作表“{sheet.name}”是空的。"])
    columns: list[Column | None] = []
    problems: list[str] = []
    seen: dict[Column, str] = {}
    for index, raw in enumerate(sheet.rows[0], 1):
        header = "" if raw is None else str(raw).strip()
        where = f"工作表“{sheet.name}”第 1 行 {sheet.cell_name(1, index)} 列“{header}”"
        if not header:
            columns.append(None)
            continue
        column = INDEX.resolve(header)
        if column is None:
            if normalise(header) in INDEX.ambiguous:
                problems.append(f"{where}对应多个单元格，请改用单元格代码。")
            else:
                problems.append(
                    f"{where}无法识别：请用单元格代码或统计表中的指标名称。"
                )
            columns.append(None)
            continue
        if column in seen:
            problems.append(f"{where}与“{seen[column]}”列重复。")
        seen[column] = header
        columns.append(column)
    keys = {c.key for c in columns if c is not None and c.kind == "fixed"}
    if AGENCY_CODE not in keys and AGENCY_NAME not in keys:
        problems.append(f"工作表“{sheet.name}”缺少机关代码（或机关全称）列。")
    if YEAR not in keys:
        problems.append(f"工作表“{sheet.name}”缺少年度列。")
    if problems:
        raise FlatSheetError(problems)
    return columns


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _unquoted(value: object) -> object:
    return unquote_formula(value) if isinstance(value, str) else value


def parse_flat(sheet: Sheet) -> list[IncomingReport]:
    """Rows of a flat sheet as incoming reports (blank rows are skipped)."""
    columns = read_header(sheet)
    headers = [_text(h) for h in sheet.rows[0]]
    # Every row names its cells by the same header: one read-only mapping for
    # all of them (a dict a row is 15 MB at 10,000 rows of format A).
    named = MappingProxyType(
        {
            c.key: h
            for c, h in zip(columns, headers, strict=True)
            if c and c.kind == "cell"
        }
    )
    incoming = []
    for number, row in enumerate(sheet.rows[1:], 2):
        if all(_text(value) == "" for value in row):
            continue
        item = IncomingReport(row=number, columns=named)
        for column, _header, value in _cells(columns, headers, row):
            if column.kind == "fixed":
                _fixed(item, column.key, _unquoted(value), number)
            elif column.kind == "cell":
                item.values[column.key] = value
            elif column.kind == "section":
                text = _text(_unquoted(value))
                if not text.endswith(CUT_MARK):
                    item.sections[column.key] = text
            elif column.kind == "signatory":
                item.signatories[column.key] = _unquoted(value)
        _drop_other_formats(item)
        incoming.append(item)
    return incoming


def _row_format(item: IncomingReport) -> TableFormat | None:
    try:
        year = parse_year(item.year)
        return format_for_year(year) if year is not None else None
    except (ValueError, KeyError):
        return None  # the import refuses the year itself


def _drop_other_formats(item: IncomingReport) -> None:
    """Forget the blank cells and sections that the row's format lacks."""
    table_format = _row_format(item)
    if table_format is None:
        return
    for code, value in list(item.values.items()):
        if code not in table_format.cells and _text(value) == "":
            del item.values[code]
    keys = {section.key for section in table_format.sections}
    for key, text in list(item.sections.items()):
        if key not in keys and text == "":
            del item.sections[key]


def _cells(
    columns: list[Column | None], headers: list[str], row: list[object]
) -> Iterable[tuple[Column, str, object]]:
    for index, column in enumerate(columns):
        if column is not None:
            yield column, headers[index], row[index] if index < len(row) else None


def _fixed(item: IncomingReport, key: str, value: object, number: int) -> None:
    if key == AGENCY_CODE:
        item.agency_code = _text(value)
    elif key == AGENCY_NAME:
        item.agency_name = _text(value)
    elif key == YEAR:
        item.year = value
    elif key == TABLE_YEAR:
        try:
            item.table_year = parse_year(value)
        except ValueError:
            item.errors.append(f"第 {number} 行：统计表标注年度“{value}”不是年份。")
