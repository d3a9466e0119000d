"""The single-report sheet agencies keep, laid out as the official form.

Each row of the sheet becomes one line of cells separated by " | " and goes
through the report-text importer, which already finds the table, matches
labels whatever the numbering, spacing, line breaks or characters, and reads
format B's grids: one home for label matching. Line numbers are mapped back to
sheets and rows, so that the preview says "工作表“统计表”第 7 行".
"""

from dataclasses import replace

from reports.importers.sheets import Sheet
from reports.importers.text import TextImport, parse_report_text
from reports.tables import TableFormat


def _field(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())  # a label broken across lines in a cell


def _line(row: list[object]) -> str:
    fields = [_field(v) for v in row]
    while fields and not fields[-1]:
        fields.pop()
    if len([f for f in fields if f]) <= 1:
        return "".join(fields)
    return " | ".join(fields) + " |"


def parse_official_sheet(
    sheets: list[Sheet], *, table_format: TableFormat, year: int | None
) -> TextImport:
    """Read the official-layout sheets of one report into a preview."""
    lines: list[str] = []
    where: list[tuple[str, int]] = []
    for sheet in sheets:
        for number, row in enumerate(sheet.rows, 1):
            lines.append(_line(row))
            where.append((sheet.name, number))
    result = parse_report_text("\n".join(lines), table_format=table_format, year=year)

    def place(line: int) -> str:
        name, row = where[line - 1]
        return f"工作表“{name}”第 {row} 行"

    return replace(
        result,
        sources={
            code: (line, f"{place(line)}：{text}")
            for code, (line, text) in result.sources.items()
        },
        unplaced_lines=[
            (line, f"{place(line)}：{text}") for line, text in result.unplaced_lines
        ],
        # The sheet holds no narrative: sections found would be table rows.
        sections={},
    )
