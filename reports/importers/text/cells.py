"""Which of a row's tokens are its cells.

The reader gathers after a label its values, blanks, units, notes and empty
edges (``Token``: the line and the event). Before they are given to the row's
cells, the empty places that are not cells go: those its label spans in the
official layout or where the table's other rows begin their cells
(``readings``, ``by_layout``), and the repeats of a merged cell that Word's
text gives in every column the cell covers (``repeated_columns`` on the
headings above, ``unmerged`` on the row).
"""

from reports.importers.labels import Row
from reports.importers.text.lines import EMPTY_KINDS, Event, Kind

Token = tuple[int, Event]
NOT_POSITIONAL = (Kind.UNIT, Kind.NOTE, Kind.EDGE)


def readings(positional: list[Token], width: int) -> list[list[Token]]:
    """The ways a row's cells can be read without the empty cells around them
    that belong to no cell: those its label spans (a label across the label
    columns of a merged heading whose cells were split: "| 一、本年新收… |  |
    | 5 | …") and those of columns the table has and the row has not. One
    reading (the row as it is) when it has no more cells than its width;
    several that differ when the empty cells could be either."""
    extra = len(positional) - width
    if width < 2 or extra <= 0:
        return [positional]
    found: dict[tuple[str, ...], list[Token]] = {}
    for k in range(extra + 1):
        before, after = positional[:k], positional[k + width :]
        if all(e.kind in EMPTY_KINDS for _l, e in (*before, *after)):
            cells = positional[k : k + width]
            found.setdefault(tuple(_shown(t) for t in cells), cells)
    return list(found.values()) or [positional]


def repeated_columns(events: list[Event]) -> frozenset[int]:
    """The fields of a line of column headings that repeat the heading just
    before them: one merged heading over those columns ("本年增/减" twice)."""
    by_column = {e.column: e.text for e in events if e.column >= 0}
    return frozenset(
        column
        for column, text in by_column.items()
        if text and by_column.get(column - 1) == text
    )


def unmerged(tokens: list[Token], merged: frozenset[int]) -> list[Token]:
    """The row without the cells that repeat the one before them under a
    merged heading (python-docx gives a merged cell's text, a number or
    nothing, in every column it covers); a different number there stays, and
    the row is then too long."""
    shown = {e.column: _shown((line, e)) for line, e in tokens if e.column >= 0}
    return [
        (line, e)
        for line, e in tokens
        if not (
            e.kind not in NOT_POSITIONAL
            and e.column in merged
            and shown.get(e.column - 1) == _shown((line, e))
        )
    ]


def by_layout(row: Row, positional: list[Token]) -> list[Token] | None:
    """The reading that leaves out exactly the empty cells the row's label
    spans in the official layout, when they are there (merged label cells
    split, a cell a line: "二、上年结转…" / " " / " " / 5 / …)."""
    width, span = len(row.codes), row.span
    cells = positional[span : span + width]
    if len(cells) == width:
        rest = (*positional[:span], *positional[span + width :])
        if all(e.kind in EMPTY_KINDS for _l, e in rest):
            return cells
    return None


def positional_count(tokens: list[Token]) -> int:
    return sum(1 for _line, e in tokens if e.kind not in NOT_POSITIONAL)


def _shown(token: Token) -> str:
    return "" if token[1].kind in EMPTY_KINDS else token[1].text
