"""How a table region lays out its cells, decided from the region, not a line.

Most lines say what they hold on their own (``lines.classify_line``). The
lines that hold no text do not: what they are depends on the layout of the
lines around them.

* Browser or Word text of an HTML table (``BROWSER``): each cell is a block of
  its own, a line holding only a tab separates two cells, an empty cell is a
  lone no-break space, and several empty cells may share one line
  (``"\\t\\xa0\\t\\xa0\\t"``). A tab there is a separator, never a cell; a cell
  is what stands between two tabs (even nothing) or a no-break space at an
  edge. ``"\\t"`` is no cell, ``"\\t\\xa0\\t\\xa0\\t"`` two empty cells.
* Pipe rows (``PIPE_ROWS``, "| label | 4 |  | 1 |"): a line of pipes only
  ("||", "|---|---|") is a spacer between rows, no cell.
* Anything else (one cell per line with a trailing pipe as in seed 002, one
  value per line, tab-split or space-separated rows): a line of blanks is one
  empty cell, as it always was.

The layout is decided from the lines around the blank one, up to the nearest
sentence of prose (tables hold none), within ``WINDOW`` lines either way.
"""

import re
from bisect import bisect_left, bisect_right
from enum import StrEnum

from reports.importers.text.lines import Event, Kind, is_prose

WINDOW = 60  # lines looked at either way to decide a layout
BROWSER_SEPARATORS = 3  # tab-only lines that make a region browser text
PIPE_ROW_LINES = 2  # lines of several pipe-separated cells that make pipe rows

_PIPES_ONLY = re.compile(r"^[\s|｜]*$")
_RULE = re.compile(r"^[\s|｜:+]*-{3,}[\s|｜:+\-]*$")
_BLANKS = " \t\xa0\u3000\u200b\ufeff"
_FILLER = _BLANKS + "|｜-:+"
MAX_BLANK_LINE = 200


class Layout(StrEnum):
    BROWSER = "browser"
    PIPE_ROWS = "pipe_rows"
    PLAIN = "plain"


def may_depend_on_layout(line: str) -> bool:
    """Whether a line holds no text (blanks, pipes, rules), so that what it is
    depends on its region's layout; a cheap test."""
    return bool(line) and len(line) < MAX_BLANK_LINE and not line.strip(_FILLER)


def is_tab_separator(line: str) -> bool:
    """A line of blanks with a tab in it: a separator in browser text."""
    return "\t" in line and not line.strip(_BLANKS)


def is_pipe_spacer(line: str) -> bool:
    """A line of pipes only: "||", "| |"."""
    return "|" in line.replace("｜", "|") and bool(_PIPES_ONLY.match(line))


def _pipe_row(line: str) -> bool:
    text = line.replace("｜", "|").strip()
    return text.count("|") >= 3 and bool(text.replace("|", "").strip())


def browser_cells(line: str) -> int:
    """How many empty cells a blank line holds in browser text."""
    pieces = line.split("\t")
    cells = max(0, len(pieces) - 2)  # between two tabs, even nothing
    cells += sum(1 for piece in (pieces[0], pieces[-1]) if piece.strip(" \t"))
    return cells


class Layouts:
    """The layout around each blank line of a text, worked out on demand.

    Counted once for the whole text (prefix sums of separator lines, pipe
    rows and sentences), so that each question costs a few look-ups.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._counted = False
        self._tabs: list[int] = []
        self._pipes: list[int] = []
        self._prose: list[int] = []

    def _count(self) -> None:
        tabs, pipes, prose = [0], [0], [0]
        for line in self.lines:
            tabs.append(tabs[-1] + ("\t" in line and is_tab_separator(line)))
            pipes.append(pipes[-1] + ("|" in line and _pipe_row(line)))
            prose.append(prose[-1] + is_prose(line))
        self._tabs, self._pipes, self._prose = tabs, pipes, prose
        self._counted = True

    def _bounds(self, i: int) -> tuple[int, int]:
        """The lines around ``i`` within ``WINDOW``, up to the nearest prose."""
        prose = self._prose
        first, last = max(0, i - WINDOW), min(len(self.lines) - 1, i + WINDOW)
        while prose[i] - prose[first] > 0:  # a sentence between: move in
            first = bisect_right(prose, prose[i] - 1, first, i + 1)
        while prose[last + 1] - prose[i + 1] > 0:
            last = bisect_left(prose, prose[i + 1] + 1, i + 1, last + 2) - 2
        return first, last

    def layout_at(self, i: int) -> Layout:
        if not self._counted:
            self._count()
        first, last = self._bounds(i)
        if self._tabs[last + 1] - self._tabs[first] >= BROWSER_SEPARATORS:
            return Layout.BROWSER
        if self._pipes[last + 1] - self._pipes[first] >= PIPE_ROW_LINES:
            return Layout.PIPE_ROWS
        return Layout.PLAIN

    def events(self, i: int, events: list[Event] | None) -> list[Event] | None:
        """The events of line ``i`` in its region's layout (``events``: as the
        line alone reads)."""
        line = self.lines[i]
        if is_tab_separator(line):
            cells = browser_cells(line)
            if cells or self.layout_at(i) is Layout.BROWSER:
                return [Event(Kind.BLANK, "")] * cells
        elif _RULE.match(line):
            return []  # "|---|---|": a rule, never a cell
        elif is_pipe_spacer(line) and line.replace("｜", "|").count("|") >= 2:
            if self.layout_at(i) is Layout.PIPE_ROWS:
                return []
        return events
