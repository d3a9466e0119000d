"""A fast, streaming writer of one-sheet XLSX files of texts and numbers.

For the flat export, whose sheets are big and plain: a national year is
100,000 rows of some 300 columns. XlsxWriter (``constant_memory``) spends
about 5 µs a cell, so 10,000 reports of 58 cells already take 3 s of the
export's 5 s budget; this writer puts each row of the sheet's XML into the zip
as one string, about eight times faster. Styled workbooks (the official
layout, the completeness board) keep using XlsxWriter.

What it writes: texts as inline strings (XML-escaped, characters that XML
cannot hold as Excel's ``_xHHHH_``, never longer than Excel's cell limit),
numbers as numbers, ``None`` as nothing; the first rows may be header rows
(bold codes, then wrapped labels), and the header rows and first columns
stay in view (frozen panes). Callers quote texts against formula evaluation
before they come here: a text cell is never a formula anyway.
"""

import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from types import TracebackType
from typing import BinaryIO, Self
from xml.sax.saxutils import escape

from reports.importers.flat import CUT_MARK, EXCEL_CELL_LIMIT
from reports.tables.values import NotApplicable, fmt

# A spreadsheet holds a number as a double: 15 significant digits. A longer
# one (stored before such numbers were refused) is written as text, so that
# it reads back exactly.
EXACT_DIGITS = 15
# Characters XML 1.0 (or UTF-8) cannot hold, and text that looks like
# Excel's escape for them.
_UNWRITABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)
ROWS_PER_WRITE = 200
CODE_STYLE, LABEL_STYLE = 1, 2

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PACKAGE_RELATIONS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONS}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PACKAGE_RELATIONS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONS}/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Styles: 0 plain, 1 a header code (bold, shaded), 2 a label (wrapped, top).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/>'
    '<bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
    "</border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
    'borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" '
    'applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unwritable(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def xml_text(text: str) -> str:
    """``text`` as the content of an inline string: escaped, cut to fit."""
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
    text = _UNWRITABLE.sub(_unwritable, text)
    return escape(text)


def _is_number(text: str) -> bool:
    """Whether a number as written ("15", "-3", "0.35") is one a spreadsheet
    holds exactly; "/" and longer numbers are written as text."""
    if len(text) <= EXACT_DIGITS:  # most: a digit a character at most
        return text != "/"
    digits = len(text) - text.startswith("-") - ("." in text)
    return digits <= EXACT_DIGITS


class SheetWriter:
    """Rows into one worksheet of a new XLSX file written to ``target``.

    Use as a context manager; ``row`` takes texts, ints, Decimals, "not
    applicable" (written "/") and None (nothing). In the columns ``numbers``
    a text is a number as written ("15", "0.35"), or "/".
    """

    def __init__(
        self,
        target: BinaryIO,
        *,
        sheet_name: str,
        header_rows: int = 0,
        frozen_columns: int = 0,
        width: int = 0,
        numbers: range = range(0),
        large: bool = False,
    ) -> None:
        self.target = target
        self.sheet_name = sheet_name
        self.header_rows = header_rows
        self.frozen_columns = frozen_columns
        self.width = width
        self.numbers = numbers  # columns whose texts are numbers as written
        self.large = large  # past 2 GB of XML, the zip needs its 64-bit form
        self.letters: list[str] = []
        self.numeric: list[bool] = []
        self.rows = 0
        self._pending: list[str] = []

    def __enter__(self) -> Self:
        self.zip = zipfile.ZipFile(
            self.target, "w", zipfile.ZIP_DEFLATED, compresslevel=3
        )
        self.sheet = self.zip.open(
            "xl/worksheets/sheet1.xml", "w", force_zip64=self.large
        )
        self.sheet.write(self._sheet_head().encode())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self._flush()
            self.sheet.write(b"</sheetData></worksheet>")
        self.sheet.close()
        if kind is None:
            name = escape(self.sheet_name, {'"': "&quot;"})
            self.zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
            self.zip.writestr("_rels/.rels", _ROOT_RELS)
            self.zip.writestr(
                "xl/workbook.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONS}"><sheets>'
                f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
            )
            self.zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
            self.zip.writestr("xl/styles.xml", _STYLES)
        self.zip.close()

    def _sheet_head(self) -> str:
        view = '<sheetView workbookViewId="0"'
        if self.header_rows or self.frozen_columns:
            corner = f"{column_letters(self.frozen_columns)}{self.header_rows + 1}"
            split = ""
            if self.frozen_columns:
                split += f' xSplit="{self.frozen_columns}"'
            if self.header_rows:
                split += f' ySplit="{self.header_rows}"'
            pane = (
                "bottomRight"
                if self.frozen_columns and self.header_rows
                else ("bottomLeft" if self.header_rows else "topRight")
            )
            view += (
                f'><pane{split} topLeftCell="{corner}" activePane="{pane}" '
                f'state="frozen"/><selection pane="{pane}"/></sheetView>'
            )
        else:
            view += "/>"
        columns = (
            f'<cols><col min="1" max="{self.width}" width="14" customWidth="1"/></cols>'
            if self.width
            else ""
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_MAIN}"><sheetViews>{view}</sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{columns}<sheetData>'
        )

    def row(self, values: Sequence[object]) -> None:
        self.rows += 1
        number = self.rows
        if len(self.letters) < len(values):
            self.letters = [column_letters(n) for n in range(len(values))]
            self.numeric = [n in self.numbers for n in range(len(values))]
        if number <= self.header_rows:
            self._header(number, values)
            return
        letters, numeric = self.letters, self.numeric
        cells = [f'<row r="{number}">']
        for index, value in enumerate(values):
            if value is None:
                continue
            if numeric[index] and _is_number(str(value)):
                cells.append(f'<c r="{letters[index]}{number}"><v>{value}</v></c>')
            else:
                cells.append(self._cell(f"{letters[index]}{number}", value))
        cells.append("</row>")
        self._pending.append("".join(cells))
        if len(self._pending) >= ROWS_PER_WRITE:
            self._flush()

    def _header(self, number: int, values: Sequence[object]) -> None:
        style = f' s="{CODE_STYLE if number == 1 else LABEL_STYLE}"'
        height = ' ht="60" customHeight="1"' if number > 1 else ""
        cells = "".join(
            self._cell(f"{self.letters[index]}{number}", value, style)
            for index, value in enumerate(values)
            if value is not None
        )
        self._pending.append(f'<row r="{number}"{height}>{cells}</row>')

    def _cell(self, ref: str, value: object, style: str = "") -> str:
        kind = type(value)
        if kind is Decimal:
            value = fmt(value)  # type: ignore[arg-type]
        elif kind is NotApplicable:
            value = "/"
        if kind is int or (kind is Decimal and _is_number(str(value))):
            return f'<c r="{ref}"{style}><v>{value}</v></c>'
        return (
            f'<c r="{ref}"{style} t="inlineStr"><is>'
            f'<t xml:space="preserve">{xml_text(str(value))}</t></is></c>'
        )

    def _flush(self) -> None:
        self.sheet.write("".join(self._pending).encode())
        self._pending.clear()
