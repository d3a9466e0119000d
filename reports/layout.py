"""The official form's layout, read from the table declarations.

The admin form and the official-layout exporters both draw a format through
``blocks()``: a list table (统计指标 | 单位 | 统计数) or grids. Table cells that
carry a ``row`` (format B's tables 二 and 四) are gathered into small grids,
one per group of the official form, whose column headings are the cells' own.
"""

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reports.tables import Cell, GridTable, Header, ListTable, TableFormat
from reports.tables.base import ValueType


def text_width(text: str) -> int:
    """Width of a text as printed: a Chinese (wide) character takes two places."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def label_depth(indents: Iterable[int]) -> int:
    """How many label columns a grid prints: one per level of indentation."""
    return max(indents, default=0) + 1


@dataclass
class Slot:
    """A cell of the layout with what the caller attached to it (a form field,
    a value)."""

    cell: Cell
    item: object = None

    @property
    def wide(self) -> bool:
        """Whether the value needs a wide box: an amount in 万元 has up to six
        decimals (123456.123456)."""
        return self.cell.type is ValueType.AMOUNT


@dataclass
class ListRow:
    label: str
    indent: int
    unit: str
    slot: Slot | None = None  # None: a header row without value


@dataclass
class GridLine:
    label: str
    indent: int
    header: bool
    slots: list[Slot | None] = field(default_factory=list)
    key: str = ""


@dataclass
class GridSegment:
    heading: str
    columns: list[str]
    groups: list[tuple[str, int]]  # spanning headings: (label, column count)
    lines: list[GridLine]
    corner: str = ""
    unit: str = ""

    def header_rows(self) -> list[list[tuple[str, int, int]]]:
        """Heading rows as (label, colspan, rowspan), groups spanning above."""
        if not self.groups:
            return [[(label, 1, 1) for label in self.columns]]
        top: list[tuple[str, int, int]] = []
        bottom: list[tuple[str, int, int]] = []
        index = 0
        for label, span in self.groups:
            if label:
                top.append((label, span, 1))
                bottom.extend((c, 1, 1) for c in self.columns[index : index + span])
            else:
                top.extend((c, 1, 2) for c in self.columns[index : index + span])
            index += span
        return [top, bottom]


@dataclass
class Block:
    key: str
    title: str
    kind: str  # "list" or "grid"
    rows: list[ListRow] = field(default_factory=list)
    segments: list[GridSegment] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    note: str = ""


def _slot(cell: Cell, attach: Mapping[str, object] | None) -> Slot:
    return Slot(cell=cell, item=attach.get(cell.code) if attach else None)


def _grid_block(table: GridTable, attach: Mapping[str, object] | None) -> Block:
    groups: list[tuple[str, int]] = []
    for column in table.columns:
        label = column.group or ""
        if groups and groups[-1][0] == label and label:
            groups[-1] = (label, groups[-1][1] + 1)
        else:
            groups.append((label, 1))
    cells = {(c.row, c.column): c for c in table.cells()}
    lines = [
        GridLine(
            label=row.label,
            indent=row.indent,
            header=row.header,
            key=row.key,
            slots=[]
            if row.header
            else [_slot(cells[row.key, col.key], attach) for col in table.columns],
        )
        for row in table.rows
    ]
    segment = GridSegment(
        heading="",
        columns=[c.label for c in table.columns],
        groups=groups if any(label for label, _n in groups) else [],
        lines=lines,
        corner=table.corner,
        unit=table.unit,
    )
    return Block(
        key=table.key,
        title=table.title,
        kind="grid",
        segments=[segment],
        note=table.note,
    )


def _row_grid_block(table: ListTable, attach: Mapping[str, object] | None) -> Block:
    """A list table whose cells carry rows: one small grid per group."""
    segments: list[GridSegment] = []
    current: GridSegment | None = None
    by_row: dict[str, GridLine] = {}
    for entry in table.rows:
        if isinstance(entry, Header) or current is None:
            heading = entry.label if isinstance(entry, Header) else ""
            current = GridSegment(heading=heading, columns=[], groups=[], lines=[])
            segments.append(current)
            by_row = {}
            if isinstance(entry, Header):
                continue
        cell = entry
        assert isinstance(cell, Cell)  # noqa: S101 - Header handled above
        if cell.column not in current.columns:
            current.columns.append(cell.column)
        line = by_row.get(cell.row)
        if line is None:
            line = GridLine(label=cell.label, indent=cell.indent, header=False)
            line.key = cell.row
            by_row[cell.row] = line
            current.lines.append(line)
        line.slots.append(_slot(cell, attach))
    for segment in segments:
        width = len(segment.columns)
        for line in segment.lines:
            # Align each cell under its own heading.
            aligned: list[Slot | None] = [None] * width
            for slot in line.slots:
                if slot is not None:
                    aligned[segment.columns.index(slot.cell.column)] = slot
            line.slots = aligned
    return Block(key=table.key, title=table.title, kind="grid", segments=segments)


def _list_block(table: ListTable, attach: Mapping[str, object] | None) -> Block:
    rows = [
        ListRow(label=e.label, indent=e.indent, unit="—")
        if isinstance(e, Header)
        else ListRow(label=e.label, indent=e.indent, unit=e.unit, slot=_slot(e, attach))
        for e in table.rows
    ]
    return Block(
        key=table.key, title=table.title, kind="list", rows=rows, columns=table.columns
    )


def blocks(
    table_format: TableFormat, attach: Mapping[str, object] | None = None
) -> list[Block]:
    """The format's tables in the official order, ``attach`` hung on cells."""
    result = []
    for table in table_format.tables:
        if isinstance(table, GridTable):
            result.append(_grid_block(table, attach))
        elif any(isinstance(e, Cell) and e.row for e in table.rows):
            result.append(_row_grid_block(table, attach))
        else:
            result.append(_list_block(table, attach))
    return result
