"""The events of a text's lines as one format reads them, each line read
once: alone (``lines.classify_line``, in its region's layout where the layout
decides), then joined with the lines below when it starts a label broken over
lines (``pieces.join_pieces``).

A join reads lines ahead; what it read and did not use is kept (up to
``MAX_ALONE`` lines) for when the reader gets there, and asked for once.
"""

from reports.importers.labels import LabelIndex
from reports.importers.text.layout import Layouts, may_depend_on_layout
from reports.importers.text.lines import Event, classify_line
from reports.importers.text.pieces import join_pieces, may_start_label
from reports.tables import TableFormat

MAX_ALONE = 4096  # lines read ahead and kept for when they are read
_UNSET = object()


class Classified:
    """The events of the lines of a text as one format reads them, worked out
    once: reading the part of the text that goes with a chosen table reuses
    those of the whole text."""

    def __init__(self, size: int, table_format: TableFormat) -> None:
        self.format = table_format
        self.events: list[object] = [_UNSET] * size

    def within(self, first: int, last: int) -> "Classified":
        """The same, with every line outside ``first``…``last`` read as empty."""
        part = Classified(len(self.events), self.format)
        part.events[first : last + 1] = self.events[first : last + 1]
        part.events[:first] = [[]] * first
        part.events[last + 1 :] = [[]] * (len(self.events) - last - 1)
        return part


class LineEvents:
    """Line ``i``'s events, worked out once into ``classified``."""

    def __init__(
        self, lines: list[str], index: LabelIndex, classified: Classified
    ) -> None:
        self.lines = lines
        self.index = index
        self.events_of = classified.events
        self.layouts = Layouts(lines)
        self._alone: dict[int, list[Event] | None] = {}  # read ahead by a join

    def events(self, i: int) -> list[Event] | None:
        cached = self.events_of[i]
        if cached is _UNSET:
            cached = self.own(i)
            if cached is None or may_start_label(cached):
                joined = join_pieces(self.lines, i, cached, self.index, self.own)
                if joined is not None:
                    for line, events in joined.items():
                        self.events_of[line] = events
                        self._alone.pop(line, None)
                    return joined[i]
            self.events_of[i] = cached
        return cached  # type: ignore[return-value]

    def own(self, i: int) -> list[Event] | None:
        """Line ``i``'s events as it reads alone (in its region's layout)."""
        cached = self.events_of[i]
        if cached is not _UNSET:
            return cached  # type: ignore[return-value]
        if i in self._alone:
            return self._alone.pop(i)  # asked once more at most: when read
        line = self.lines[i]
        events = classify_line(line, self.index)
        if may_depend_on_layout(line):
            events = self.layouts.events(i, events)
        if len(self._alone) < MAX_ALONE:
            self._alone[i] = events
        return events
