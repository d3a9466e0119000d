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
from reports.importers.text.cells import (
    NOT_POSITIONAL,
    Token,
    by_layout,
    positional_count,
    readings,
    unmerged,
)
from reports.importers.text.lines import EMPTY_KINDS, VALUE_KINDS, Kind
from reports.importers.text.values import in_yuan, parse_value
from reports.tables import (
    CellValue,
    CellValueError,
    Finding,
    ListTable,
    Severity,
    TableFormat,
)


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
    more_after: bool = False  # the text goes on with tables not read

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
    # Rows whose empty cells could be the label's or the cells' (``readings``).
    undecided: list[tuple[Row, list[list[Token]], list[Token], int]] = field(
        default_factory=list
    )
    # Each line of column headings, and the fields on it that repeat the
    # heading before them (a merged heading, as python-docx gives it).
    headings: list[tuple[int, frozenset[int]]] = field(default_factory=list)

    def merged_above(self, line: int) -> frozenset[int]:
        """The merged columns of the last headings before ``line``."""
        above = [merged for at, merged in self.headings if at < line]
        return above[-1] if above else frozenset()

    def open_for_value(self) -> bool:
        """Whether a value read now would still be the open row's."""
        row = self.current
        if row is None or row.is_header:
            return False
        taken = sum(1 for _line, e in self.tokens if e.kind in VALUE_KINDS)
        return taken < len(row.codes) * (1 + len(self.pending))


def header_groups(
    table_format: TableFormat,
) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Row codes → the codes of every group of its list table, when the table's
    rows are groups of the same columns (table 四: 行政复议, 行政诉讼·未经复议
    直接起诉, 行政诉讼·复议后起诉, five columns each)."""
    found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for table in table_format.tables:
        if not isinstance(table, ListTable):
            continue
        groups: dict[str, list[str]] = {}
        for cell in table.cells():
            if cell.row:
                groups.setdefault(cell.row, []).append(cell.code)
        shapes = {len(codes) for codes in groups.values()}
        if len(groups) < 2 or len(shapes) != 1 or shapes == {1}:
            continue
        if len(groups) * shapes.pop() != len(list(table.cells())):
            continue
        ordered = [tuple(codes) for codes in groups.values()]
        for codes in ordered:
            found[codes] = ordered
    return found


class RowFiller:
    """Gives a closed row's values to its cells, in ``result``."""

    def __init__(self, raw_lines: list[str], table_format: TableFormat) -> None:
        self.raw = raw_lines
        self.format = table_format
        self.result = TableRead()
        self.groups = header_groups(table_format)
        self.first_columns: dict[int, int] = {}  # cells in a row → first field

    def finish_row(self, block: Block) -> None:
        row, tokens, label_line = block.current, block.tokens, block.label_line
        block.current, block.tokens = None, []
        if row is None:
            return
        values = [t for t in tokens if t[1].kind in VALUE_KINDS]
        merged = block.merged_above(label_line)
        if merged:
            width = len(row.codes) * (1 + len(block.pending))
            single = unmerged(tokens, merged)
            cells = [t for t in single if t[1].kind not in NOT_POSITIONAL]
            if len(cells) == width < positional_count(tokens):
                tokens = single
                values = [t for t in tokens if t[1].kind in VALUE_KINDS]
        if row.is_header:
            block.unplaced.update(line for line, e in values if e.kind is not Kind.NA)
            if not any(member.codes in self.groups for member, _l in block.pending):
                # A row with nothing after it before a new part's heading is
                # blank ("行政事业性收费" / "第二十条第(九)项"); only the
                # groups of table 四 share a line of numbers across headings.
                self.flush_pending(block)
            return
        if row.codes in self.groups and all(e.kind in EMPTY_KINDS for _l, e in tokens):
            tokens = []  # a group's heading and the empty cells it spans
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
        positional = [t for t in tokens if t[1].kind not in NOT_POSITIONAL]
        edged = [t for t in tokens if t[1].kind not in (Kind.UNIT, Kind.NOTE)]
        if len(positional) < width * len(group) and len(edged) in (
            width,
            width * len(group),
        ):
            positional = edged  # "label\t4\t\t": the tabs make up the row
        if len(group) > 1 and width > 1 and len(positional) > width:
            self._share(block, group, positional, values, label_line)
            return
        if len(positional) > width:  # empty edges count where cells are over
            positional = edged
        choices = readings(positional, width)
        if len(choices) > 1:
            chosen = self._by_columns(choices) or by_layout(row, positional)
            if chosen is None:  # decided when the whole table has been read
                block.undecided.append((row, choices, values, label_line))
                return
            choices = [chosen]
        positional = choices[0]
        self.flush_pending(block)
        if len(values) == width:
            self._fill(block, row, values)
            self._learn(values)
        elif width > 1 and len(positional) == width:
            self._fill(block, row, positional)
            self._learn(positional)
        elif len(values) > width:
            self._too_many(block, row, values, label_line)
        elif not values:
            self._blank(row, label_line)
        else:
            self._incomplete(block, row, values, label_line)

    def _incomplete(
        self, block: Block, row: Row, values: list[Token], label_line: int
    ) -> None:
        block.unplaced.update(line for line, _e in values)
        self._blank(row, label_line)
        block.findings.append(
            Finding(
                Severity.WARNING,
                "text_row_incomplete",
                row.codes,
                f"第{label_line + 1}行「{row.label}」应有 {len(row.codes)} 个数，"
                f"只找到 {len(values)} 个，这一行未读取。",
            )
        )

    # --- rows whose empty cells could be the label's or the cells' -----------

    def _learn(self, cells: list[Token]) -> None:
        """Where a table's cells begin on lines of fields, from a row that
        left no doubt."""
        column = cells[0][1].column
        if column >= 0:
            self.first_columns[len(cells)] = column

    def _by_columns(self, choices: list[list[Token]]) -> list[Token] | None:
        """The reading whose cells begin where those of the table's other
        rows of as many cells begin."""
        column = self.first_columns.get(len(choices[0]))
        if column is None:
            return None
        fitting = [cells for cells in choices if cells[0][1].column == column]
        return fitting[0] if len(fitting) == 1 else None

    def settle(self, block: Block) -> None:
        """Rows left undecided, decided by the rows read since; else
        reported, never guessed."""
        for row, choices, values, label_line in block.undecided:
            chosen = self._by_columns(choices)
            if chosen is None:
                self._incomplete(block, row, values, label_line)
            else:
                self._fill(block, row, chosen)
        block.undecided = []

    def _too_many(
        self, block: Block, row: Row, values: list[Token], label_line: int
    ) -> None:
        """More numbers than cells: placed by the table's header groups (the
        three groups of table 四 on one group's line), else reported. Only a
        row of one cell keeps its first value, and says so."""
        groups = self.groups.get(row.codes)
        if groups and len(values) == sum(len(codes) for codes in groups):
            start = 0
            for codes in groups:
                end = start + len(codes)
                self._fill_codes(block, codes, values[start:end])
                start = end
            return
        width = len(row.codes)
        block.unplaced.update(line for line, _e in values[width:])
        shown = "、".join(e.text for _line, e in values)
        if width == 1:
            self._fill(block, row, values[:1])
            message = (
                f"第{label_line + 1}行「{row.label}」只有 1 格，却有 {len(values)} "
                f"个数（{shown}），已取第一个“{values[0][1].text}”，请核对。"
            )
        else:
            self._blank(row, label_line)
            block.unplaced.update(line for line, _e in values)
            message = (
                f"第{label_line + 1}行「{row.label}」应有 {width} 个数，却有 "
                f"{len(values)} 个（{shown}），无法判断各属哪一格，这一行未读取。"
            )
        block.findings.append(
            Finding(Severity.WARNING, "text_row_too_many", row.codes, message)
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
        # The empty cells the headings span, when they leave no doubt.
        choices = readings(positional, width * len(group))
        if len(choices) == 1:
            positional = choices[0]
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
        self._fill_codes(block, row.codes, tokens)

    def _fill_codes(
        self, block: Block, codes: tuple[str, ...], tokens: list[Token]
    ) -> None:
        cells = self.format.cells
        for code, (line, event) in zip(codes, tokens, strict=False):
            self.result.sources[code] = self._source(line)
            self.result.cells[code] = None
            if event.kind in EMPTY_KINDS:
                continue
            try:
                value = self.result.cells[code] = parse_value(event.text, cells[code])
                if in_yuan(event.text, cells[code]):
                    block.findings.append(
                        Finding(
                            Severity.WARNING,
                            "text_yuan_converted",
                            (code,),
                            f"第{line + 1}行：「{cells[code].display_name}」以万元"
                            f"为单位，“{event.text}”已按 1 万元 = 10000 元折合为 "
                            f"{value:f} 万元，请核对。",
                        )
                    )
            except CellValueError as exc:
                block.findings.append(
                    Finding(
                        Severity.ERROR,
                        "text_bad_number",
                        (code,),
                        f"第{line + 1}行：{exc.message}",
                    )
                )
