"""One report as an XLSX workbook in the official layout, ready to print.

The tables are those of ``printed`` (the official form's rows, columns and
merged headings). Format A is one sheet, 统计表; format B has one sheet per
table (表二, 表三, 表四), each with its own column widths and orientation, as
the form prints them on pages of their own. The title, the year and 填报单位
head the first sheet; the signatories close the last.

Every sheet is A4, fitted to the page width, its column headings repeated on
every page, row heights set for the wrapped labels (Excel does not grow a
merged cell), gridlines off and borders on the table only. A blank cell stays
blank and "not applicable" is "/", never 0; numbers are numbers, shown with
the decimals they have, and an amount a float cannot hold exactly is written
as its text. Text that a spreadsheet could read as a formula (starting with
= + - @, a tab or a carriage return) gets Excel's quote prefix: it stays text
when edited, and reads back unchanged. The workbook re-imports through
``reports.importers.official.parse_official_sheet`` to the stored values.
"""

import io
import math
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.exporters.parts import signatory_lines, table_heading
from reports.exporters.printed import (
    Box,
    PrintedTable,
    Row,
    printed_tables,
)
from reports.layout import text_width
from reports.models import AnnualReport
from reports.selectors import report_signatories, report_values
from reports.tables import TableFormat, Values

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FONT = "宋体"
A4 = 9
LINE_POINTS = 14.5  # one line of 11-point text
PAD_POINTS = 6.0
MIN_ROW_POINTS = 20.0
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_BASE: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "align": "center"},
    "subtitle": {"align": "center"},
    "line": {"align": "left"},
    "caption": {"bold": True, "font_size": 12, "align": "left"},
    "note": {"font_size": 9, "align": "left", "text_wrap": True},
    "head": {"bold": True, "align": "center", "text_wrap": True, "border": 1},
    "group": {"bold": True, "align": "left", "text_wrap": True, "border": 1},
    "label": {"align": "left", "text_wrap": True, "border": 1},
    "unit": {"align": "center", "border": 1},
    "value": {"align": "center", "border": 1},
}


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


class _Styles:
    """The workbook's formats, made once each."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.made: dict[tuple[str, int, int, bool], Format] = {}

    def get(
        self, kind: str, *, indent: int = 0, places: int = -1, quote: bool = False
    ) -> Format:
        key = (kind, indent, places, quote)
        if key not in self.made:
            props = {"font_name": FONT, "valign": "vcenter", **_BASE[kind]}
            if indent:
                props["indent"] = indent
            if places >= 0:
                props["num_format"] = "0." + "0" * places if places else "0"
            if quote:
                props["quote_prefix"] = True
            self.made[key] = self.book.add_format(props)
        return self.made[key]


def report_workbook(report: AnnualReport) -> bytes:
    """The stored report as XLSX bytes (reads through the selectors)."""
    return official_xlsx(
        table_format=report.table_format,
        values=report_values(report),
        agency_name=report.agency.name,
        year=report.table_year or report.year,
        signatories=report_signatories(report),
    )


def official_xlsx(
    *,
    table_format: TableFormat,
    values: Values,
    agency_name: str,
    year: int,
    signatories: dict[str, object],
) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    styles = _Styles(book)
    tables = printed_tables(table_format, values)
    for number, table in enumerate(tables):
        sheet = book.add_worksheet(table.sheet)
        writer = _SheetWriter(sheet, styles, table.widths)
        if number == 0:
            title, year_line = table_heading(table_format, year)
            writer.line(title, "title", height=30)
            writer.line(year_line, "subtitle")
            writer.line(f"填报单位：{agency_name}", "line")
        if len(tables) > 1 or table.title != table_format.title:
            writer.line(table.title, "caption", height=24)
        writer.table(table)
        if number == len(tables) - 1:
            writer.row += 1
            for text in signatory_lines(signatories):
                writer.line(text, "line")
        _page_setup(sheet, table, writer.head_rows)
    book.close()
    return buffer.getvalue()


class _SheetWriter:
    """Writes rows down one sheet, merging boxes that span."""

    def __init__(self, sheet: Worksheet, styles: _Styles, widths: list[int]) -> None:
        self.sheet = sheet
        self.styles = styles
        self.widths = widths
        self.row = 0
        self.head_rows: tuple[int, int] | None = None
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)

    def line(self, text: str, kind: str, height: float | None = None) -> None:
        """A line of text across the sheet's width (title, signatories)."""
        last = len(self.widths) - 1
        style = self.styles.get(kind, quote=is_formula_like(text))
        if last:
            self.sheet.merge_range(self.row, 0, self.row, last, "", style)
        self.sheet.write_string(self.row, 0, text, style)
        lines = math.ceil(text_width(text) / max(sum(self.widths) - 2, 1))
        self.sheet.set_row(self.row, max(height or 0, _points(lines)))
        self.row += 1

    def table(self, table: PrintedTable) -> None:
        start = self.row
        for row in table.rows:
            self._row(row)
        if table.head:
            self.head_rows = (start, start + len(table.head) - 1)
        if table.note:
            self.line(table.note, "note")

    def _row(self, row: Row) -> None:
        r = self.row
        for c, box in enumerate(row):
            if box is None:
                continue
            style = self._style(box)
            if box.colspan > 1 or box.rowspan > 1:
                self.sheet.merge_range(
                    r, c, r + box.rowspan - 1, c + box.colspan - 1, "", style
                )
            self._write(r, c, box, style)
        self.sheet.set_row(r, _row_height(row, self.widths))
        self.row += 1

    def _style(self, box: Box) -> Format:
        if box.kind != "value":
            return self.styles.get(
                box.kind, indent=box.indent, quote=is_formula_like(box.text)
            )
        if box.number is not None:
            return self.styles.get("value", places=_places(box.number))
        return self.styles.get("value", quote=is_formula_like(box.text))

    def _write(self, r: int, c: int, box: Box, style: Format) -> None:
        number = box.number
        if number is not None and _exact_float(number):
            self.sheet.write_number(r, c, float(number), style)
        elif box.text:
            self.sheet.write_string(r, c, box.text, style)
        else:
            self.sheet.write_blank(r, c, None, style)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _exact_float(value: Decimal) -> bool:
    """Whether the number survives a float (an XLSX number) unchanged."""
    return Decimal(repr(float(value))) == value


def _points(lines: int) -> float:
    return max(MIN_ROW_POINTS, max(lines, 1) * LINE_POINTS + PAD_POINTS)


def _row_height(row: Row, widths: list[int]) -> float:
    """Points for the row's wrapped text; a box spanning rows shares it out."""
    lines = 1
    for c, box in enumerate(row):
        if box is None or not box.text:
            continue
        room = max(sum(widths[c : c + box.colspan]) - 2 * box.indent - 1, 2)
        needed = sum(
            max(math.ceil(text_width(part) / room), 1) for part in box.text.split("\n")
        )
        lines = max(lines, math.ceil(needed / box.rowspan))
    return _points(lines)


def _page_setup(
    sheet: Worksheet, table: PrintedTable, head_rows: tuple[int, int] | None
) -> None:
    sheet.set_paper(A4)
    if table.landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.hide_gridlines(2)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    if head_rows:
        sheet.repeat_rows(*head_rows)
