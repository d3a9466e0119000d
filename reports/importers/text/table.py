"""Finding the statistics table in a text and reading every cell of it.

The reader walks the lines once. Outside a table, a line starts one when it is
a table title, or a row label or column heading followed closely by more row
labels (prose headings such as "二、回应解读情况" match a header row too, but
prose follows them, not labels). Inside, each line's events (``lines``) feed a
small machine: a label opens a row; the values, units, notes and blanks after
it, on the same line or on the lines below, belong to that row until the next
label. When the row closes, its values are given to its cells in order:

* one cell (format A): the first value; further values are unplaced;
* several cells (a row of format B): as many values as cells, blanks counted
  when that makes up the number; otherwise the row is reported incomplete;
* rows with nothing after them followed by a row with exactly the values of
  all of them (table 四 printed as headings over one row of 15 numbers) share
  those values in order.

A table ends at prose (a sentence), at a section heading, after its
signatures, or after three lines in a row that are none of the above; the
table region is its first to its last placed line, and every line in it that
could not be placed is reported. A row met a second time means a second
table: an error, and everything from there (back to its title) is skipped.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from reports.importers.labels import (
    AmbiguousLabelError,
    Row,
    label_index,
    squeeze,
)
from reports.importers.text.lines import (
    Event,
    Kind,
    chinese_lines,
    classify_line,
    is_prose,
    parse_value,
)
from reports.tables import CellValue, CellValueError, Finding, Severity, TableFormat

DENSITY_WINDOW = 25  # lines looked at to decide whether labels make a table
DENSITY_LABELS = 3  # label lines needed in that window
MAX_OTHER_RUN = 3  # unreadable lines in a row that end a table
_UNSET = object()

Token = tuple[int, Event]


@dataclass
class TableRead:
    """What the reader found; lines are 0-based indices here."""

    cells: dict[str, CellValue] = field(default_factory=dict)
    sources: dict[str, tuple[int, str]] = field(default_factory=dict)
    unplaced: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    regions: list[tuple[int, int]] = field(default_factory=list)  # inclusive
    titles: list[int] = field(default_factory=list)
    table_year: int | None = None
    rows: int = 0

    @property
    def found(self) -> bool:
        return self.rows > 0


@dataclass
class _Block:
    start: int
    current: Row | None = None
    tokens: list[Token] = field(default_factory=list)
    label_line: int = 0
    pending: list[tuple[Row, int]] = field(default_factory=list)
    rows: int = 0
    cell_rows: int = 0
    labels: int = 0
    placed: list[int] = field(default_factory=list)
    unplaced: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    titles: list[int] = field(default_factory=list)
    year: int | None = None
    title_year: int | None = None
    last_row_line: int = -1
    open_note: bool = False
    ignoring: bool = False
    ignore_start: int = 0


class _Reader:
    def __init__(
        self,
        raw_lines: list[str],
        lines: list[str],
        table_format: TableFormat,
        is_heading: Callable[[str], bool],
    ) -> None:
        self.raw = raw_lines
        self.lines = lines
        self.format = table_format
        self.index = label_index(table_format)
        self.is_heading = is_heading
        self.result = TableRead()
        self.seen: set[str] = set()
        self.context: Row | None = None
        self.two_tables = False
        self._events: list[object] = [_UNSET] * len(lines)

    def events(self, i: int) -> list[Event] | None:
        cached = self._events[i]
        if cached is _UNSET:
            cached = self._events[i] = classify_line(self.lines[i], self.index)
        return cached  # type: ignore[return-value]

    def read(self, candidates: list[int]) -> TableRead:
        position = 0
        for i in candidates:
            if i >= position and self._starts(i):
                position = self._block(i)
        return self.result

    def _starts(self, i: int) -> bool:
        events = self.events(i)
        if not events:
            return False
        if events[0].kind is Kind.TITLE:
            return True
        if not any(e.kind in (Kind.LABEL, Kind.FURNITURE) for e in events):
            return False
        count = 0
        for j in range(i, min(len(self.lines), i + DENSITY_WINDOW)):
            found = self.events(j)
            if found and any(e.kind is Kind.LABEL for e in found):
                count += 1
                if count >= DENSITY_LABELS:
                    return True
        return False

    # --- one table region -----------------------------------------------------

    def _block(self, start: int) -> int:
        block = _Block(start, ignoring=self.two_tables, ignore_start=start)
        seen, context = set(self.seen), self.context
        other: list[int] = []
        signing = False
        last = start
        i = start
        while i < len(self.lines):
            line = self.lines[i]
            events = self.events(i)
            if events == []:
                i += 1
                continue
            if block.open_note and events is None and not is_prose(line):
                # the rest of a label's note: "及政府网站工作人员数)"
                block.open_note = ")" not in squeeze(line)
                last = i
                i += 1
                continue
            block.open_note = False
            if signing and (
                events is None or events[0].kind not in (Kind.SIGN, Kind.BLANK)
            ):
                break
            if events is None:
                if is_prose(line) or self.is_heading(line):
                    break
                other.append(i)
                if len(other) >= MAX_OTHER_RUN:
                    break
                i += 1
                continue
            block.unplaced.update(other)
            other.clear()
            self._line(block, i, events)
            signing = signing or events[0].kind is Kind.SIGN
            last = i
            i += 1
        self._finish_row(block)
        self._flush_pending(block)
        if block.cell_rows == 0 and not (block.ignoring and block.labels):
            # Not a table (no label of a row with cells, only headings that
            # prose shares with the table): go on after it.
            self.seen, self.context = seen, context
            return max(start, last) + 1
        self._commit(block, last)
        return last + 1

    def _line(self, block: _Block, i: int, events: list[Event]) -> None:
        for event in events:
            if block.ignoring:
                block.labels += event.kind is Kind.LABEL
                continue
            kind = event.kind
            if kind is Kind.LABEL:
                self._label(block, i, event)
            elif kind is Kind.TITLE:
                block.titles.append(i)
                if event.title and event.title.year and not block.rows:
                    block.title_year = block.title_year or event.title.year
            elif kind is Kind.YEAR:
                if not block.rows and block.year is None:
                    block.year = event.year
            elif kind is Kind.SIGN:
                self._finish_row(block)
            elif kind in (Kind.VALUE, Kind.NA):
                if block.current is None:
                    block.unplaced.add(i)
                else:
                    block.tokens.append((i, event))
            elif kind in (Kind.BLANK, Kind.UNIT, Kind.NOTE) and block.current:
                block.tokens.append((i, event))
        if not block.ignoring:
            block.placed.append(i)

    def _label(self, block: _Block, i: int, event: Event) -> None:
        block.labels += 1
        try:
            row = self.index.resolve_key(
                event.key, context=self.context, seen=self.seen, text=event.text
            )
        except AmbiguousLabelError as exc:
            self._finish_row(block)
            block.unplaced.add(i)
            block.findings.append(
                Finding(
                    Severity.WARNING,
                    "text_ambiguous_label",
                    tuple(c for r in exc.candidates for c in r.codes),
                    f"第{i + 1}行：{exc}",
                )
            )
            return
        if row is None:
            return
        if row.key in self.seen:
            self._second_table(block, i, row)
            return
        self._finish_row(block)
        block.current, block.tokens, block.label_line = row, [], i
        label = squeeze(event.text)
        block.open_note = label.count("(") > label.count(")")
        block.rows += 1
        block.cell_rows += not row.is_header
        block.last_row_line = i
        self.seen.add(row.key)
        self.context = row

    def _second_table(self, block: _Block, i: int, row: Row) -> None:
        self._finish_row(block)
        self._flush_pending(block)
        titles = [t for t in block.titles if t > block.last_row_line]
        start = titles[-1] if titles else i
        block.ignoring, block.ignore_start = True, start
        block.placed = [line for line in block.placed if line < start]
        block.unplaced = {line for line in block.unplaced if line < start}
        block.titles = [t for t in block.titles if t < start]
        self.two_tables = True
        block.findings.append(
            Finding(
                Severity.ERROR,
                "text_two_tables",
                (),
                f"第{start + 1}行起统计表重复出现（「{row.label}」在前面已读过）："
                "文中有两张统计表，只读取了第一张。",
            )
        )

    # --- closing a row ----------------------------------------------------------

    def _finish_row(self, block: _Block) -> None:
        row, tokens, label_line = block.current, block.tokens, block.label_line
        block.current, block.tokens = None, []
        if row is None:
            return
        values = [t for t in tokens if t[1].kind in (Kind.VALUE, Kind.NA)]
        if row.is_header:
            block.unplaced.update(line for line, e in values if e.kind is Kind.VALUE)
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
            # Several labels over one row of numbers (table 四): shared by
            # position, blanks included, or not at all: which is whose cannot
            # be told otherwise, and a shifted value is worse than a gap.
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
            return
        self._flush_pending(block)
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

    def _flush_pending(self, block: _Block) -> None:
        for row, line in block.pending:
            self._blank(row, line)
        block.pending = []

    def _source(self, line: int) -> tuple[int, str]:
        return (line + 1, self.raw[line].strip())

    def _blank(self, row: Row, line: int) -> None:
        for code in row.codes:
            self.result.cells[code] = None
            self.result.sources[code] = self._source(line)

    def _fill(self, block: _Block, row: Row, tokens: list[Token]) -> None:
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

    def _commit(self, block: _Block, last: int) -> None:
        result = self.result
        if not result.rows and result.table_year is None:
            result.table_year = block.year or block.title_year
        if block.rows:
            end = max(block.placed) if block.ignoring else last
            result.regions.append((block.start, end))
        if block.ignoring:
            result.regions.append((block.ignore_start, last))
        result.rows += block.cell_rows
        result.unplaced |= block.unplaced
        result.findings += block.findings
        result.titles += block.titles


def read_table(
    raw_lines: list[str],
    lines: list[str],
    table_format: TableFormat,
    is_heading: Callable[[str], bool],
    candidates: list[int] | None = None,
) -> TableRead:
    """Every table row of ``table_format`` found in ``lines`` (simplified text).

    ``raw_lines`` are the same lines as printed (for sources); ``is_heading``
    tells a section heading of the report, which ends a table; ``candidates``
    are the lines that may start a table (``chinese_lines``).
    """
    if candidates is None:
        candidates = chinese_lines(lines)
    return _Reader(raw_lines, lines, table_format, is_heading).read(candidates)
