"""Closing a row of a pasted table: its values given to its cells in order.

When the reader (``table``) meets the next label, the row it had open closes
and the values, units, notes and blanks gathered after its label go to its
cells:

* one cell (format A): the first value; further values are unplaced;
* several cells (a row of format B): as many values as cells, blanks counted
  when that makes up the number; otherwise the row is reported incomplete;
* rows with nothing after them followed by a row with exactly the values of
  all of them (table 四 printed as headings over one row of 15 numbers) share
  those values in order.

A value written without a number ("十二", "若干") is a value like any other
here: it lands in its cell and is refused there in the cell's name
(``text_bad_number``), or its row is reported incomplete.
"""

from dataclasses import dataclass, field

from reports.importers.labels import Row
from reports.importers.text.lines import Event, Kind
from reports.importers.text.values import parse_value
from reports.tables import CellValue, CellValueError, Finding, Severity, TableFormat

Token = tuple[int, Event]
VALUE_KINDS = (Kind.VALUE, Kind.NA, Kind.NOT_NUMBER)


@dataclass
class TableRead:
    """One table the reader found; lines are 0-based indices here."""

    cells: dict[str, CellValue] = field(default_factory=dict)
    sources: dict[str, tuple[int, str]] = field(default_factory=dict)
    unplaced: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    regions: list[tuple[int, int]] = field(default_factory=list)  # inclusive
    titles: list[int] = field(default_factory=list)
    table_year: int | None = None
    rows: int = 0
    repeated: str = ""  # the label met again that began this table, if any

    @property
    def found(self) -> bool:
        return self.rows > 0

    @property
    def first(self) -> int:
        return min(start for start, _end in self.regions)

    @property
    def last(self) -> int:
        return max(end for _start, end in self.regions)


@dataclass
class Block:
    """One stretch of table lines, read into the current table."""

    start: int
    current: Row | None = None
    tokens: list[Token] = field(default_factory=list)
    label_line: int = 0
    pending: list[tuple[Row, int]] = field(default_factory=list)
    rows: int = 0
    cell_rows: int = 0
    placed: list[int] = field(default_factory=list)
    unplaced: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    titles: list[int] = field(default_factory=list)
    year: int | None = None
    title_year: int | None = None
    last_row_line: int = -1
    open_note: bool = False
    split: int | None = None  # where the next table begins (a row met again)

    def open_for_value(self) -> bool:
        """Whether a value read now would still be the open row's."""
        row = self.current
        if row is None or row.is_header:
            return False
        taken = sum(1 for _line, e in self.tokens if e.kind in VALUE_KINDS)
        return taken < len(row.codes) * (1 + len(self.pending))


class RowFiller:
    """Gives a closed row's values to its cells, in ``result``."""

    def __init__(self, raw_lines: list[str], table_format: TableFormat) -> None:
        self.raw = raw_lines
        self.format = table_format
        self.result = TableRead()

    def finish_row(self, block: Block) -> None:
        row, tokens, label_line = block.current, block.tokens, block.label_line
        block.current, block.tokens = None, []
        if row is None:
            return
        values = [t for t in tokens if t[1].kind in VALUE_KINDS]
        if row.is_header:
            block.unplaced.update(line for line, e in values if e.kind is not Kind.NA)
            return
        if not tokens:
            block.pending.append((row, label_line))
            return
        width = len(row.codes)
        group = [*block.pending, (row, label_line)]
        if len(group) > 1 and len(values) == len(tokens) == width * len(group):
            block.pending = []
            for n, (member, _line) in enumerate(group):
                self._fill(block, member, values[n * width : (n + 1) * width])
            return
        positional = [
            t
            for t in tokens
            if t[1].kind is not Kind.UNIT and t[1].kind is not Kind.NOTE
        ]
        if len(group) > 1 and width > 1 and len(positional) > width:
            self._share(block, group, positional, values, label_line)
            return
        self.flush_pending(block)
        if len(values) == width:
            self._fill(block, row, values)
        elif width > 1 and len(positional) == width:
            self._fill(block, row, positional)
        elif len(values) > width:
            self._fill(block, row, values[:width])
            block.unplaced.update(line for line, _e in values[width:])
        elif not values:
            self._blank(row, label_line)
        else:
            block.unplaced.update(line for line, _e in values)
            self._blank(row, label_line)
            block.findings.append(
                Finding(
                    Severity.WARNING,
                    "text_row_incomplete",
                    row.codes,
                    f"第{label_line + 1}行「{row.label}」应有 {width} 个数，"
                    f"只找到 {len(values)} 个，这一行未读取。",
                )
            )

    def _share(
        self,
        block: Block,
        group: list[tuple[Row, int]],
        positional: list[Token],
        values: list[Token],
        label_line: int,
    ) -> None:
        """Several labels over one row of numbers (table 四): shared by
        position, blanks included, or not at all: which is whose cannot be
        told otherwise, and a shifted value is worse than a gap."""
        width = len(group[-1][0].codes)
        block.pending = []
        if len(positional) == width * len(group):
            for n, (member, _line) in enumerate(group):
                self._fill(block, member, positional[n * width : (n + 1) * width])
            return
        for member, line in group:
            self._blank(member, line)
        block.unplaced.update(line for line, _e in values)
        block.findings.append(
            Finding(
                Severity.WARNING,
                "text_row_incomplete",
                tuple(code for member, _l in group for code in member.codes),
                f"第{label_line + 1}行：{len(group)} 个标签共用一行数字，"
                f"应有 {width * len(group)} 个，找到 {len(positional)} 个，"
                "这几行未读取。",
            )
        )

    def flush_pending(self, block: Block) -> None:
        for row, line in block.pending:
            self._blank(row, line)
        block.pending = []

    def _source(self, line: int) -> tuple[int, str]:
        return (line + 1, self.raw[line].strip())

    def _blank(self, row: Row, line: int) -> None:
        for code in row.codes:
            self.result.cells[code] = None
            self.result.sources[code] = self._source(line)

    def _fill(self, block: Block, row: Row, tokens: list[Token]) -> None:
        cells = self.format.cells
        for code, (line, event) in zip(row.codes, tokens, strict=False):
            self.result.sources[code] = self._source(line)
            self.result.cells[code] = None
            if event.kind is Kind.BLANK:
                continue
            try:
                self.result.cells[code] = parse_value(event.text, cells[code])
            except CellValueError as exc:
                block.findings.append(
                    Finding(
                        Severity.ERROR,
                        "text_bad_number",
                        (code,),
                        f"第{line + 1}行：{exc.message}",
                    )
                )
