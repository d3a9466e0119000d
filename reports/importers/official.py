"""The single-report sheet agencies keep, laid out as the official form.

Each row of the sheet becomes one line of cells separated by " | " and goes
through the report-text importer, which already finds the table, matches
labels whatever the numbering, spacing, line breaks or characters, and reads
format B's grids: one home for label matching. Line numbers are mapped back to
sheets and rows, so that the preview says "工作表“统计表”第 7 行".

What a sheet has and a text has not is columns. They are used here, and only
here, so that a value lands in its column or is reported, never shifted:

* a row without numbers (title, column headings, a header row) gives its
  non-empty cells only: its empty cells are layout, not blanks;
* a row with numbers keeps an empty cell between them as an empty field (a
  blank, never "—", which means "not applicable"); a row whose column
  headings are above it (统计数 for format A, 自然人 … 总计 for format B's
  table 三, 本年制发件数 … for table 二) gives exactly the cells under those
  headings, so a blank last cell or an empty label column before the numbers
  cannot move a value, and a number in another column is left out and its row
  reported; without headings the row goes as printed and the text importer
  reads it or reports it;
* a row of numbers without a label under several row labels of the headings
  (table 四: 行政复议, 未经复议直接起诉, 复议后起诉 over one row of 15 numbers)
  is split into one line per label, each with the cells from the label's column
  on, so a blank among the 15 numbers stays where it is;
* nothing is dropped: a row with a number, or after the table's start with
  text the importer cannot read, that gave no cell and was not reported (past
  the end of the table, or where three such rows in a row ended it) is added
  to ``unplaced_lines``; a row without a label some of whose numbers could not
  be placed gives no cell at all (which number is whose cannot be told).

Findings that name a line name its sheet and row instead; the table is
validated again on what is kept, without the narrative a sheet does not hold.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from reports.importers.labels import label_index, simplified_key, to_simplified
from reports.importers.sheets import Sheet
from reports.importers.text import TextImport, parse_report_text
from reports.importers.text.lines import Event, Kind, classify_line
from reports.tables import CellValue, Finding, GridTable, Severity, TableFormat
from reports.validation import validate_report

SHOWN_UNPLACED = 10  # rows named in the finding; the preview lists them all
_VALUE_KINDS = (Kind.VALUE, Kind.NA, Kind.NOT_NUMBER)
_LINE_REF = re.compile(r"第(\d+)行")


def _field(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())  # a label broken across lines in a cell


def _joined(fields: list[str]) -> str:
    if sum(1 for f in fields if f) <= 1:
        return "".join(fields)
    return " | ".join(fields) + " |"


@dataclass
class _Row:
    number: int  # in the sheet, 1-based
    fields: list[str]
    values: set[int]  # positions of the fields that are numbers (or "/", "—")
    taken: set[int] = field(default_factory=set)  # labels moved to a row below

    def printed(self) -> str:
        fields = list(self.fields)
        while fields and not fields[-1]:
            fields.pop()
        return _joined(fields)


@dataclass
class _Line:
    number: int  # the sheet's row it comes from
    text: str
    stray: str = ""  # the row as printed, when some of it was left out
    label: str = ""  # with ``stray``: the row's label
    codes: tuple[str, ...] = ()  # with ``stray``: the row's cells


class _Layout:
    """Turns one format's sheets into lines for the text importer."""

    def __init__(self, table_format: TableFormat) -> None:
        self.index = label_index(table_format)
        self._events: dict[str, list[Event] | None] = {}
        self.heading_of: dict[str, str] = {}  # cell code → key of its column heading
        for table in table_format.tables:
            if isinstance(table, GridTable):
                for grid_row in table.value_rows():
                    for column in table.columns:
                        code = table.code(grid_row.key, column.key)
                        self.heading_of[code] = simplified_key(column.label)
            else:
                for cell in table.cells():
                    heading = cell.column or table.columns[-1]  # 统计数
                    self.heading_of[cell.code] = simplified_key(heading)

    def events(self, text: str) -> list[Event] | None:
        if text not in self._events:
            self._events[text] = classify_line(to_simplified(text), self.index)
        return self._events[text]

    def _is_value(self, text: str) -> bool:
        """A number, "/" or "—", or a value written without a number ("十二")."""
        events = self.events(text)
        return bool(events) and all(e.kind in _VALUE_KINDS for e in events)

    def _cells_of(self, text: str) -> tuple[str, ...]:
        """The cells of the row a field labels, () unless exactly one row."""
        events = self.events(text) if text else None
        if not events or len(events) > 1 or events[0].kind is not Kind.LABEL:
            return ()  # also a column heading that is a label too ("总计")
        codes = {row.codes for row in self.index.lookup_key(events[0].key)}
        return codes.pop() if len(codes) == 1 else ()

    def lines(self, sheet: Sheet) -> list[_Line]:
        """The lines of one sheet, in order, each with its row."""
        rows = []
        for number, raw in enumerate(sheet.rows, 1):
            fields = [_field(v) for v in raw]
            values = {i for i, f in enumerate(fields) if f and self._is_value(f)}
            rows.append(_Row(number, fields, values))
        lines: dict[int, list[_Line]] = {}
        headings: dict[str, int] = {}  # heading key → its column (-1: twice)
        above: list[_Row] = []  # rows without numbers since the last with
        for row in rows:
            if not row.values:
                keys = [
                    simplified_key(to_simplified(f)) if f else "" for f in row.fields
                ]
                for column, key in enumerate(keys):
                    if key:
                        headings[key] = column if keys.count(key) == 1 else -1
                above.append(row)
                continue
            split = self._split(row, above)
            above = []
            if split is not None:
                lines[row.number] = [_Line(row.number, text) for text in split]
                continue
            grid = self._grid(row, headings)
            lines[row.number] = [grid or _Line(row.number, row.printed())]
        # Rows without numbers last: _split may have moved their labels.
        for row in rows:
            if not row.values:
                shown = [
                    f for i, f in enumerate(row.fields) if f and i not in row.taken
                ]
                lines[row.number] = [_Line(row.number, _joined(shown))]
        return [line for number in sorted(lines) for line in lines[number]]

    def _grid(self, row: _Row, headings: dict[str, int]) -> _Line | None:
        """The row's labels and exactly the cells under its column headings.

        None (the row goes as printed) unless the row names one row of the
        format whose column headings are all above it, side by side, to the
        right of the label. A number outside those columns is left out and
        the row reported.
        """
        fields, values = row.fields, row.values
        labels = [
            i
            for i, f in enumerate(fields)
            if f and i not in values and self._cells_of(f)
        ]
        if not labels:
            return None
        label = labels[-1]
        cells = self._cells_of(fields[label])
        if any(c not in self.heading_of for c in cells):
            return None
        columns = [headings.get(self.heading_of[c], -1) for c in cells]
        first, end = columns[0], columns[0] + len(cells)
        if first <= label or columns != list(range(first, end)):
            return None
        kept = [f for i, f in enumerate(fields[:first]) if f and i not in values]
        padded = fields + [""] * (end - len(fields))
        outside = [i for i, f in enumerate(fields) if f and i >= end]
        outside += [i for i in values if i < first]
        if not outside:
            return _Line(row.number, _joined(kept + padded[first:end]))
        return _Line(
            row.number,
            _joined(kept + padded[first:end]),
            stray=row.printed(),
            label=fields[label],
            codes=cells,
        )

    def _split(self, row: _Row, above: list[_Row]) -> list[str] | None:
        """A row of numbers only under row labels that share it, one line each.

        The labels are those of the rows above, nearest first, as long as
        their columns do not overlap; each takes the cells from its own column
        on, as many as its row has. Every number must fall under one.
        """
        if any(f and i not in row.values for i, f in enumerate(row.fields)):
            return None
        labels: list[tuple[int, int, _Row]] = []  # (column, width, row above)
        for upper in reversed(above):
            found = []
            for column, text in enumerate(upper.fields):
                width = len(self._cells_of(text))
                if width > 1:
                    found.append((column, width, upper))
            spans = sorted((c, c + w) for c, w, _u in labels + found)
            if any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False)):
                break
            labels += found
        spans = [(c, c + w) for c, w, _u in labels]
        if not labels or any(
            not any(start <= i < end for start, end in spans) for i in row.values
        ):
            return None
        padded = row.fields + [""] * (max(end for _s, end in spans) - len(row.fields))
        lines = []
        for column, width, upper in sorted(labels, key=lambda label: label[0]):
            upper.taken.add(column)
            cells = [upper.fields[column], *padded[column : column + width]]
            lines.append(" | ".join(cells) + " |")
        return lines


def sheet_row(name: str, row: int) -> str:
    """Where a row is, in a workbook: "工作表“统计表”第 7 行"."""
    return f"工作表“{name}”第 {row} 行"


def parse_official_sheet(
    sheets: list[Sheet],
    *,
    table_format: TableFormat,
    year: int | None,
    where: Callable[[str, int], str] = sheet_row,
) -> TextImport:
    """Read the official-layout sheets of one report into a preview.

    ``where`` names a sheet's row in messages and sources, from the sheet's
    name and the row's number; it must end with "第 N 行". A document's tables
    (``reports.importers.documents``) are named "第 2 个表格第 7 行".
    """
    layout = _Layout(table_format)
    lines: list[_Line] = []
    rows: list[tuple[str, int]] = []
    for sheet in sheets:
        for line in layout.lines(sheet):
            lines.append(line)
            rows.append((sheet.name, line.number))
    text = "\n".join(line.text for line in lines)
    result = parse_report_text(text, table_format=table_format, year=year)

    def place(number: int) -> str:
        name, row = rows[number - 1]
        return where(name, row)

    def events(number: int) -> list[Event] | None:
        return layout.events(lines[number - 1].text)

    unplaced = dict(result.unplaced_lines)
    # A line without a label that gave some cells but not all its numbers:
    # which number is whose cannot be told, so it gives none.
    cells = dict(result.cells)
    sources = dict(result.sources)
    untold: dict[int, list[str]] = {}
    for code, (number, _text) in result.sources.items():
        if number in unplaced and not any(
            e.kind is Kind.LABEL for e in events(number) or []
        ):
            cells[code] = None
            del sources[code]
            untold.setdefault(number, []).append(code)
    # Lines the text importer did not read: past the end of its table, or
    # where unreadable lines ended it. Before the table (a cover, the title)
    # only a number counts.
    accounted = {number for number, _text in result.sources.values()}
    accounted |= set(unplaced)
    start = min(accounted, default=len(lines) + 1)
    for number, line in enumerate(lines, 1):
        if line.stray:
            unplaced[number] = line.stray
        elif line.text.strip() and number not in accounted:
            found = events(number)
            if (found is None and number > start) or any(
                e.kind in (Kind.VALUE, Kind.NOT_NUMBER) for e in found or []
            ):
                unplaced[number] = line.text.strip()
    unplaced_lines = sorted(unplaced.items())

    def at(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return place(number) if 0 < number <= len(rows) else match.group(0)

    findings = [
        replace(f, message=_LINE_REF.sub(at, f.message))
        for f in result.findings
        if f.rule.startswith("text_") and f.rule != "text_unplaced_lines"
    ]
    findings += _not_read(lines, cells, untold, place)
    if unplaced_lines:
        shown = "、".join(
            f"{place(n)}“{t[:30]}”" for n, t in unplaced_lines[:SHOWN_UNPLACED]
        )
        count = len(unplaced_lines)
        more = f"等 {count} 行" if count > SHOWN_UNPLACED else ""
        findings.append(
            Finding(
                Severity.WARNING,
                "text_unplaced_lines",
                (),
                f"表格中有无法识别的内容：{shown}{more}，请核对。",
            )
        )
    # Validated again, as cells may have been taken back; the sheet holds no
    # narrative, so sections are not judged.
    findings += validate_report(
        table_format=result.table_format,
        values=cells,
        signatories=result.signatories,
        year=result.year,
        table_year=result.table_year,
    )
    return replace(
        result,
        cells=cells,
        sources={
            code: (number, f"{place(number)}：{text}")
            for code, (number, text) in sources.items()
        },
        unplaced_lines=[(n, f"{place(n)}：{text}") for n, text in unplaced_lines],
        sections={},
        findings=findings,
        tables=[
            replace(t, location=_span(place(t.first_line), place(t.last_line)))
            for t in result.tables
        ],
    )


def _not_read(
    lines: list[_Line],
    cells: dict[str, CellValue],
    untold: dict[int, list[str]],
    place: Callable[[int], str],
) -> list[Finding]:
    """Rows whose numbers were printed but not read, so that their cells are
    blank: a number outside its row's columns, or a row without a label that
    gave only some of its numbers. Named by cell, not only as a line."""
    found = []
    for number, line in enumerate(lines, 1):
        if line.codes and all(cells.get(code) is None for code in line.codes):
            found.append(
                Finding(
                    Severity.WARNING,
                    "text_row_incomplete",
                    line.codes,
                    f"{place(number)}“{line.label}”的数字不在它的列中，未读取，"
                    "请把数字填在对应的列。",
                )
            )
    for number, codes in untold.items():
        found.append(
            Finding(
                Severity.WARNING,
                "text_row_incomplete",
                tuple(codes),
                f"{place(number)}的数字无法确定各属哪一格，这一行未读取。",
            )
        )
    return found


def _span(first: str, last: str) -> str:
    """ "工作表“表”第 3 行至第 40 行" from the places of two rows."""
    sheet, _, row = last.rpartition("第 ")
    if first.startswith(sheet):
        return f"{first}至第 {row}"
    return f"{first}至{last}"
