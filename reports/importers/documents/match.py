"""A document's paragraphs and tables matched to the form: one ``TextImport``.

The tables go through the official-layout matcher
(``reports.importers.official.parse_official_sheet``) as sheets of their own,
so that a value is read from its row and column, never guessed from line
breaks; each row is named "第 2 个表格第 7 行". The whole document, its
tables as lines "标签 | 单位 | 数 |", goes through the text importer for what
lies around the tables: the title and its year, 填报单位, the signatories and
the narrative sections.

What comes from where: cells, their sources, rows not placed and the table
findings from the tables; sections, the title's year, 填报单位 and the
signatories (a signatory in a table row too) from the text; everything is
validated again together. A document whose tables hold no statistics table
(a table drawn as lines of text, a PDF whose table has no ruled lines) is
read as text alone.
"""

import re
from dataclasses import replace

from reports.importers.documents.model import Document, Table
from reports.importers.official import parse_official_sheet
from reports.importers.sheets import Sheet
from reports.importers.text import TextImport, parse_report_text
from reports.tables import TableFormat
from reports.validation import validate_report

# Findings about the document as a whole, which only the text importer sees
# whole; every other ``text_*`` finding is about the table.
META_RULES = frozenset(
    {
        "text_not_report",
        "text_no_year",
        "text_format_year",
        "text_format_mismatch",
        "text_bad_date",
    }
)
_LINE_REF = re.compile(r"第(\d+)行")


def table_row(name: str, row: int) -> str:
    """Where a table's row is: "第 2 个表格第 7 行"."""
    return f"{name}第 {row} 行"


def _line(cells: list[str | None]) -> str:
    fields = [cell or "" for cell in cells]
    while fields and not fields[-1]:
        fields.pop()
    if sum(1 for f in fields if f) <= 1:
        return "".join(fields)
    return " | ".join(fields) + " |"


def document_text(document: Document) -> tuple[str, list[str]]:
    """The document as text, its tables as lines, and where each line is."""
    lines: list[str] = []
    places: list[str] = []
    for block in document.blocks:
        if isinstance(block, Table):
            for number, row in enumerate(block.rows, 1):
                lines.append(_line(row))
                places.append(table_row(block.name, number))
        else:
            lines.append(block)
            places.append(f"正文第 {len(lines)} 行")
    return "\n".join(lines), places


def document_import(
    document: Document, *, table_format: TableFormat | None, year: int | None
) -> TextImport:
    """The preview of one document; see the module docstring."""
    text, places = document_text(document)
    read = _placed(
        parse_report_text(text, table_format=table_format, year=year), places
    )
    tables = [t for t in document.tables if any(any(row) for row in t.rows)]
    if not tables:
        return read
    grid = parse_official_sheet(
        [Sheet(t.name, [list(row) for row in t.rows]) for t in tables],
        table_format=table_format or read.table_format,
        year=year if year is not None else read.year,
        where=table_row,
    )
    if not grid.table_found:
        return read
    signatories = {
        key: read.signatories.get(key) or value
        for key, value in grid.signatories.items()
    }
    is_report = grid.table_found or read.is_report
    table_year = grid.table_year if grid.table_year is not None else read.table_year
    findings = [
        f
        for f in read.findings
        if f.rule in META_RULES and (f.rule != "text_not_report" or not is_report)
    ]
    findings += [
        f
        for f in grid.findings
        if f.rule.startswith("text_") and f.rule not in META_RULES
    ]
    findings += validate_report(
        table_format=grid.table_format,
        values=grid.cells,
        sections=read.sections,
        signatories=signatories,
        year=read.year,
        table_year=table_year,
    )
    return replace(
        grid,
        year=read.year,
        found_year=read.found_year if read.found_year is not None else grid.found_year,
        table_year=table_year,
        agency_name=read.agency_name or grid.agency_name,
        sections=read.sections,
        signatories=signatories,
        is_report=is_report,
        not_report_reason="" if is_report else read.not_report_reason,
        findings=findings,
    )


def _placed(result: TextImport, places: list[str]) -> TextImport:
    """The text importer's lines named by where they are in the document."""

    def at(number: int) -> str:
        return places[number - 1] if 0 < number <= len(places) else f"第 {number} 行"

    def ref(match: re.Match[str]) -> str:
        return at(int(match.group(1)))

    return replace(
        result,
        sources={c: (n, f"{at(n)}：{t}") for c, (n, t) in result.sources.items()},
        unplaced_lines=[(n, f"{at(n)}：{t}") for n, t in result.unplaced_lines],
        findings=[
            replace(f, message=_LINE_REF.sub(ref, f.message))
            if f.rule.startswith("text_")
            else f
            for f in result.findings
        ],
    )
