"""The publishable report as a Word document (.docx), with python-docx.

The title, then the parts in the format's order (format B's six, format A's
eight), each with its text as entered, split into paragraphs at blank lines;
format B's parts 二–四 carry their tables, format A's table follows the text
with its year, 填报单位 and signatories, as the official form prints them.
The tables are those of ``printed``: Word tables with the official form's
merged headings, their column headings repeated on every page. Characters
that XML cannot hold (control characters a pasted text may carry) are left
out; nothing is evaluated, so "=1+1" is text.
"""

import io
import re

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from reports.exporters.parts import (
    report_parts,
    report_title,
    signatory_lines,
    table_heading,
)
from reports.exporters.printed import Box, PrintedTable, printed_tables
from reports.models import AnnualReport
from reports.selectors import report_signatories, report_values

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "宋体"
HEADING_FONT = "黑体"
CELL_STYLE = "表格文字"
TEXT_POINTS = 12
TABLE_POINTS = 9
PAGE_WIDTH_MM, PAGE_HEIGHT_MM, MARGIN_MM = 210, 297, 20
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CENTERED = frozenset({"head", "unit", "value"})


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def report_docx(report: AnnualReport) -> bytes:
    """The stored report as .docx bytes (reads through the selectors)."""
    table_format = report.table_format
    tables = printed_tables(table_format, report_values(report))
    parts, appendix = report_parts(table_format, report.sections or {}, tables)
    document = _document()
    document.add_heading(clean(report_title(report.agency.name, report.year)), 0)
    for part in parts:
        document.add_heading(clean(part.title), 1)
        for lines in part.paragraphs:
            _text(document.add_paragraph(), lines, first_line_indent=True)
        if part.table is not None:
            _table(document, part.table)
    if appendix:
        heading, year_line = table_heading(
            table_format, report.table_year or report.year
        )
        document.add_heading(heading, 1)
        _line(document, year_line, WD_ALIGN_PARAGRAPH.CENTER)
        _line(document, f"填报单位：{report.agency.name}", WD_ALIGN_PARAGRAPH.LEFT)
        for table in appendix:
            if table.title != heading:
                _line(document, table.title, WD_ALIGN_PARAGRAPH.LEFT)
            _table(document, table)
        for text in signatory_lines(report_signatories(report)):
            _line(document, text, WD_ALIGN_PARAGRAPH.LEFT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _document() -> Document:
    document = new_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    for name, font, size in (
        ("Normal", FONT, TEXT_POINTS),
        ("Title", HEADING_FONT, 18),
        ("Heading 1", HEADING_FONT, 14),
    ):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # One paragraph style for the tables' text rather than a size on each run
    # (a table style's size loses to the Normal style's in Word).
    cell_style = document.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = document.styles["Normal"]
    cell_style.font.size = Pt(TABLE_POINTS)
    cell_style.paragraph_format.space_after = Pt(0)
    cell_style.paragraph_format.line_spacing = 1.0
    return document


def _text(
    paragraph: Paragraph, lines: list[str], *, first_line_indent: bool = False
) -> None:
    """A paragraph of the report's text, its line breaks kept."""
    if first_line_indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * TEXT_POINTS)
    run = paragraph.add_run()
    for number, line in enumerate(lines):
        if number:
            run.add_break()
        run.add_text(clean(line))


def _line(document: Document, text: str, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.add_run(clean(text))


def _table(document: Document, printed: PrintedTable) -> Table:
    rows = printed.rows
    style = document.styles[CELL_STYLE]
    table = document.add_table(rows=len(rows), cols=printed.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    room = Mm(PAGE_WIDTH_MM - 2 * MARGIN_MM)
    total = sum(printed.widths)
    widths = [int(room * width / total) for width in printed.widths]
    grid = [row.cells for row in table.rows]
    for cells in grid:
        for c, cell in enumerate(cells):
            cell.width = widths[c]
    for r, row in enumerate(rows):
        for c, box in enumerate(row):
            if box is None:
                continue
            cell = grid[r][c]
            if box.colspan > 1 or box.rowspan > 1:
                cell = cell.merge(grid[r + box.rowspan - 1][c + box.colspan - 1])
            _cell_text(cell.paragraphs, box, style)
    for r in range(len(printed.head)):
        _repeat_header(table, r)
    if printed.note:
        document.add_paragraph(clean(printed.note), CELL_STYLE)
    return table


def _cell_text(paragraphs: list[Paragraph], box: Box, style: ParagraphStyle) -> None:
    """The box's text in the cell's first paragraph; merging left the others."""
    first = paragraphs[0]
    for extra in paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    for run in first.runs:
        run._element.getparent().remove(run._element)
    first._p.style = style.style_id  # Paragraph.style looks the style up each time
    first.alignment = (
        WD_ALIGN_PARAGRAPH.CENTER if box.kind in _CENTERED else WD_ALIGN_PARAGRAPH.LEFT
    )
    if box.indent:
        first.paragraph_format.left_indent = Pt(TABLE_POINTS * box.indent)
    if box.text:
        run = first.add_run(clean(box.text))
        if box.kind in ("head", "group"):
            run.bold = True


def _repeat_header(table: Table, index: int) -> None:
    properties = table.rows[index]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
