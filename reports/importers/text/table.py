"""Finding the statistics tables in a text and reading every cell of them.

The reader walks the lines once. Outside a table, a line starts one when it is
a table title, or a row label or column heading followed closely by more row
labels (prose headings such as "二、回应解读情况" match a header row too, but
prose follows them, not labels). Inside, each line's events (``lines``) feed a
small machine: a label opens a row; the values, units, notes and blanks after
it, on the same line or on the lines below, belong to that row until the next
label, and are given to its cells when it closes (``rows``).

A line that holds only something written as a value but no number ("十二",
"若干") is the open row's value while the row still has room for one; else
(under a heading, after the row's values, outside any row) it is an unplaced
line like any other that cannot be read, so a stray line is never taken for
a value. Page numbers are skipped.

A table ends at prose (a sentence), at a section heading, after its
signatures, or after three lines in a row that are none of the above; the
table region is its first to its last placed line, and every line in it that
could not be placed is reported. A row met a second time means a second
table (two reports pasted together, or one table pasted twice): it begins at
the table title after the first table's last row, else at that row, and is
read on its own, from scratch, as is every further one.
"""

import re
from bisect import bisect_left
from collections.abc import Callable

from reports.importers.labels import AmbiguousLabelError, Row, label_index, squeeze
from reports.importers.text.aligned import realign
from reports.importers.text.cells import repeated_columns
from reports.importers.text.classified import Classified, LineEvents
from reports.importers.text.lines import (
    EMPTY_KINDS,
    VALUE_KINDS,
    Event,
    Kind,
    chinese_lines,
    classify_line,
    is_prose,
    without_heading_blanks,
)
from reports.importers.text.pieces import split_piece
from reports.importers.text.rows import Block, RowFiller, TableRead
from reports.tables import Finding, Severity, TableFormat

__all__ = ["Classified", "TableRead", "read_tables"]

DENSITY_WINDOW = 25  # lines looked at to decide whether labels make a table
DENSITY_SCAN = 600  # lines scanned for them, cells on lines of their own included
DENSITY_LABELS = 3  # label lines needed in that window
MAX_OTHER_RUN = 3  # unreadable lines in a row that end a table
MAX_TABLES = 20  # tables read from one text; more are said to be there
_CELL_FILLERS = (Kind.BLANK, Kind.UNIT, Kind.NOTE, Kind.EDGE)
_CELL_KINDS = VALUE_KINDS | EMPTY_KINDS | {Kind.UNIT}
_WRITTEN_VALUE = frozenset({Kind.NOT_NUMBER, Kind.BLANK, Kind.UNIT})
_DIGIT = re.compile(r"\d")
_NUMBERS = (Kind.VALUE, Kind.NOT_NUMBER)


class _Reader(RowFiller):
    def __init__(
        self,
        raw_lines: list[str],
        lines: list[str],
        table_format: TableFormat,
        is_heading: Callable[[str], bool],
        classified: Classified,
    ) -> None:
        super().__init__(raw_lines, table_format)
        self.lines = lines
        self.index = label_index(table_format)
        self.is_heading = is_heading
        self.tables: list[TableRead] = []
        self.seen: set[str] = set()
        self.context: Row | None = None
        self.repeated = ""  # the label met again, while starting a table
        self._restart = False
        self.line_events = LineEvents(lines, self.index, classified)

    def events(self, i: int) -> list[Event] | None:
        return self.line_events.events(i)

    def read(self, candidates: list[int]) -> list[TableRead]:
        k = 0
        while k < len(candidates):
            if len(self.tables) >= MAX_TABLES:  # no one report: stop listing
                self.result.more_after = True
                break
            i = candidates[k]
            if not self._starts(i):
                k += 1
                continue
            position, previous = self._block(i), None
            while self._restart:  # a second table begins at ``position``
                self._restart = False
                if position == previous:  # never the same start twice
                    position += 1
                previous = position
                position = self._block(position)
            k = bisect_left(candidates, position, lo=k + 1)
        if self.result.found or not self.tables:
            self.tables.append(self.result)
        return self.tables

    def _starts(self, i: int) -> bool:
        if "。" in self.lines[i]:  # a sentence never starts a table
            return False
        events = self.events(i)
        if not events:
            return False
        if events[0].kind is Kind.TITLE:
            return True
        if not any(e.kind in (Kind.LABEL, Kind.FURNITURE) for e in events):
            return False
        if self._goes_on(events):
            return True
        # Counted in lines that are not a cell alone: a row printed a cell per
        # line is one line here, however many lines its cells take.
        count = window = 0
        for j in range(i, min(len(self.lines), i + DENSITY_SCAN)):
            found = self.events(j)
            if found is not None and all(e.kind in _CELL_KINDS for e in found):
                continue
            if found and any(e.kind is Kind.LABEL for e in found):
                count += 1
                if count >= DENSITY_LABELS:
                    return True
            window += 1
            if window >= DENSITY_WINDOW:
                break
        return False

    def _goes_on(self, events: list[Event]) -> bool:
        """A row of the table being read, after the last row read: the table
        goes on after lines that ended it (a page footer, a link bar)."""
        if not self.result.found or self.context is None:
            return False
        for event in events:
            if event.kind is not Kind.LABEL:
                continue
            try:
                row = self.index.resolve_key(
                    event.key, context=self.context, seen=self.seen
                )
            except AmbiguousLabelError:
                return False
            if row is not None and row.key not in self.seen:
                return row.position > self.context.position
        return False

    # --- one table region -----------------------------------------------------

    def _block(self, start: int) -> int:
        """Reads the region from ``start``; the line to go on from."""
        block = Block(start)
        seen, context = set(self.seen), self.context
        other: list[int] = []
        signing = False
        last = start
        i = start
        while i < len(self.lines) and block.split is None:
            line = self.lines[i]
            events = self.events(i)
            if events and self._stray(block, events):
                events = None  # "十二" where no row has room for a value
            if events == []:
                i += 1
                continue
            if events is None and self._note_goes_on(block, i):
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
                if block.current is not None and not block.open_for_value():
                    self.finish_row(block)  # a number below is no longer its
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
        if block.split is not None:
            return self._split(block)
        # Unreadable lines the table ended on: a number there is left unsaid
        # unless listed.
        block.unplaced.update(j for j in other if _DIGIT.search(self.lines[j]))
        self.finish_row(block)
        self.flush_pending(block)
        self.settle(block)
        if block.cell_rows == 0:
            # Not a table (no label of a row with cells, only headings that
            # prose shares with the table): go on after it.
            self.seen, self.context = seen, context
            return max(start, last) + 1
        self._commit(block, last)
        return last + 1

    def _note_goes_on(self, block: Block, i: int) -> bool:
        """Line ``i`` as the rest of the open row's note, if it is: after a
        label whose note is open ("(二)部分公开(区分处理的,只计" /
        "这一情形,不计其他情形)"), or a note that opens on the line below
        the label ("(二)部分公开" / "(区分处理的,只计这一情形,"). The cells
        after it on its line are the row's ("| …人员数) | 人 | 922 |"); the
        empty cells of the label's line before them were the padding of a
        cell printed over several lines."""
        line = self.lines[i]
        if is_prose(line) or block.current is None:
            return False
        piece, rest = split_piece(line)
        opens = squeeze(piece).startswith("(") and block.last_row_line == i - 1
        if not (block.open_note or opens):
            return False
        block.open_note = ")" not in squeeze(piece)
        cells = classify_line(rest, self.index) if rest else []
        if cells:
            if any(e.kind in VALUE_KINDS for e in cells) and all(
                e.kind in EMPTY_KINDS for _line, e in block.tokens
            ):
                block.tokens = []
            self._line(block, i, cells)
        return True

    @staticmethod
    def _stray(block: Block, events: list[Event]) -> bool:
        kinds = {e.kind for e in events}
        return (
            Kind.NOT_NUMBER in kinds
            and kinds <= _WRITTEN_VALUE
            and not block.open_for_value()
        )

    def _line(self, block: Block, i: int, events: list[Event]) -> None:
        events = without_heading_blanks(events)
        for event in events:
            kind = event.kind
            if kind is Kind.LABEL:
                self._label(block, i, event)
                if block.split is not None:
                    return
            elif kind is Kind.TITLE:
                block.titles.append(i)
                if event.title and event.title.year and not block.rows:
                    block.title_year = block.title_year or event.title.year
            elif kind is Kind.YEAR:
                if not block.rows and block.year is None:
                    block.year = event.year
            elif kind is Kind.SIGN:
                self.finish_row(block)
            elif kind in (Kind.VALUE, Kind.NA, Kind.NOT_NUMBER):
                if block.current is None:
                    block.unplaced.add(i)
                else:
                    block.tokens.append((i, event))
            elif kind in _CELL_FILLERS and block.current:
                block.tokens.append((i, event))
            elif kind is Kind.FURNITURE and block.current:
                self._headings_take_blanks(block, i)
        if sum(e.kind is Kind.FURNITURE for e in events) > 1:
            block.headings.append((i, repeated_columns(events)))
        block.placed.append(i)

    def _headings_take_blanks(self, block: Block, i: int) -> None:
        """Empty cells on lines of their own just before a column heading are
        the headings' (a merged heading split a cell a line), not the open
        row's."""
        tokens = block.tokens
        while (
            tokens
            and tokens[-1][0] not in (i, block.label_line)
            and tokens[-1][1].kind in EMPTY_KINDS
            and self.events(tokens[-1][0]) == [tokens[-1][1]]
        ):
            tokens.pop()

    def _label(self, block: Block, i: int, event: Event) -> None:
        try:
            row = self.index.resolve_key(
                event.key, context=self.context, seen=self.seen, text=event.text
            )
        except AmbiguousLabelError as exc:
            self.finish_row(block)
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
            if not self._repeated_group(row):
                self._met_again(block, i, row)
            return
        self.finish_row(block)
        block.current, block.tokens, block.label_line = row, [], i
        label = squeeze(event.text)
        block.open_note = label.count("(") > label.count(")")
        block.rows += 1
        block.cell_rows += not row.is_header
        block.last_row_line = i
        self.seen.add(row.key)
        self.context = row

    def _repeated_group(self, row: Row) -> bool:
        """A group's heading printed again inside its group (a Word table
        whose merged cell was split repeats its text on every row): the same
        table, not a second one."""
        context = self.context
        return (
            row.is_header
            and context is not None
            and context.table == row.table
            and context.section == row.section
            and row.position <= context.position
        )

    # --- a second table -------------------------------------------------------

    def _met_again(self, block: Block, i: int, row: Row) -> None:
        """A row read before: the next table begins at the table title after
        this table's last row, else here."""
        self.finish_row(block)
        self.flush_pending(block)
        self.settle(block)
        titles = [t for t in block.titles if t > block.last_row_line]
        block.split = titles[-1] if titles else i
        self.repeated = row.label

    def _split(self, block: Block) -> int:
        """Keeps what came before the next table in this one, then starts it."""
        start = block.split if block.split is not None else block.start
        block.placed = [line for line in block.placed if line < start]
        block.unplaced = {line for line in block.unplaced if line < start}
        block.titles = [t for t in block.titles if t < start]
        if block.cell_rows and block.placed:
            self._commit(block, max(block.placed))
        if self.result.found:
            self.tables.append(self.result)
        self.result = TableRead(repeated=self.repeated)
        self.seen, self.context = set(), None
        self._restart = True
        return start

    def _between(self, first: int, end: int) -> set[int]:
        """Lines with a number between two stretches of one table that could
        not be read: listed, so that no number of the table goes unmentioned."""
        found = set()
        for j in range(first, end):
            line = self.lines[j]
            if not _DIGIT.search(line) or is_prose(line):
                continue
            events = self.events(j)
            if events is None or any(e.kind in _NUMBERS for e in events):
                found.add(j)
        return found

    def _commit(self, block: Block, last: int) -> None:
        result = self.result
        if not result.rows and result.table_year is None:
            result.table_year = block.year or block.title_year
        if result.regions:
            result.unplaced |= self._between(result.last + 1, block.start)
        result.regions.append((block.start, last))
        result.rows += block.cell_rows
        result.unplaced |= block.unplaced
        result.findings += block.findings
        result.titles += block.titles


def read_tables(
    raw_lines: list[str],
    lines: list[str],
    table_format: TableFormat,
    is_heading: Callable[[str], bool],
    candidates: list[int] | None = None,
    classified: Classified | None = None,
) -> list[TableRead]:
    """Every table of ``table_format`` found in ``lines`` (simplified text), in
    order; one empty ``TableRead`` (``found`` false) when there is none.

    ``raw_lines`` are the same lines as printed (for sources); ``is_heading``
    tells a section heading of the report, which ends a table; ``candidates``
    are the lines that may start a table (``chinese_lines``); ``classified``
    the events of the lines already worked out, and to be kept, for the same
    format.
    """
    if candidates is None:
        candidates = chinese_lines(lines)
    if classified is None or classified.format is not table_format:
        classified = Classified(len(lines), table_format)
    reader = _Reader(raw_lines, realign(lines), table_format, is_heading, classified)
    return reader.read(candidates)
