"""The official tables as printed: rows of boxes that span columns and rows.

One model for the three exporters of a single report (``official``: XLSX,
``print``: HTML, ``docx``: Word), built from ``reports.layout.blocks`` so that
the labels, units and order are the declarations'. The official form prints
some tables differently from the admin form, and here they are as printed:

* a list table (format A): 统计指标 | 单位 | 统计数, labels indented;
* a list table whose cells carry rows (format B's table 二): per group a
  heading across the table, a row of column headings under 信息内容, then the
  rows; a group with fewer columns than the widest stretches its last column
  over the rest, as the form prints 本年处理决定数量;
* a grid (table 三): one label column per level of its rows (三、本年度办理结果 |
  (三)不予公开 | 1.属于国家秘密), a heading row printed as a box spanning down
  over its rows, the applicant columns under their spanning group;
* table 四 (``ONE_ROW_TABLES``): one row of fifteen values under two levels of
  group headings (行政复议 | 行政诉讼 → 未经复议直接起诉, 复议后起诉), where the
  admin form shows three rows of five. Its row labels name their groups joined
  by "·" (reports/tables/b.py).

Each row is a list as wide as the table: a ``Box`` where a box starts, None
where a box above or to the left covers the place.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from reports.layout import (
    Block,
    GridLine,
    GridSegment,
    Slot,
    blocks,
    label_depth,
)
from reports.tables import Cell, CellValue, TableFormat, Values
from reports.tables.base import shown

ONE_ROW_TABLES = frozenset({"b4"})
NUMERALS = "一二三四五六七八九十"
GROUP_SEPARATOR = "·"
CORNER = "信息内容"


@dataclass
class Box:
    """One printed cell. ``kind``: head (a column heading), group (a heading
    across the table), label, unit or value."""

    text: str = ""
    kind: str = "value"
    colspan: int = 1
    rowspan: int = 1
    indent: int = 0
    value: CellValue = None
    cell: Cell | None = None

    @property
    def number(self) -> Decimal | None:
        return self.value if isinstance(self.value, Decimal) else None


Row = list[Box | None]


@dataclass
class PrintedTable:
    key: str
    title: str
    head: list[Row]  # column headings, repeated on every printed page
    body: list[Row]
    widths: list[int]  # in characters of the sheet's default font
    note: str = ""
    landscape: bool = False
    sheet: str = ""  # the worksheet's name

    @property
    def width(self) -> int:
        return len(self.widths)

    @property
    def rows(self) -> list[Row]:
        return self.head + self.body

    @property
    def percents(self) -> list[str]:
        """Each column's share of the width, for HTML ("12.5")."""
        total = sum(self.widths)
        return [f"{100 * width / total:.2f}" for width in self.widths]


@dataclass
class _Open:
    """A heading row of a grid printed as a box spanning down its rows."""

    box: Box
    indent: int
    rows: int = 0


@dataclass
class _Builder:
    """Rows in reading order, each box placed at the first free place."""

    width: int
    rows: list[list[Box]] = field(default_factory=list)

    def add(self, *boxes: Box) -> None:
        self.rows.append(list(boxes))

    def placed(self) -> list[Row]:
        grid: list[Row] = []
        taken: set[tuple[int, int]] = set()
        for r, boxes in enumerate(self.rows):
            row: Row = [None] * self.width
            column = 0
            for box in boxes:
                while (r, column) in taken:
                    column += 1
                if column + box.colspan > self.width:
                    raise ValueError(f"box {box.text!r} overflows row {r}")
                row[column] = box
                for dr in range(box.rowspan):
                    for dc in range(box.colspan):
                        taken.add((r + dr, column + dc))
                column += box.colspan
            grid.append(row)
        return grid


def value_box(slot: Slot | None, colspan: int = 1) -> Box:
    if slot is None:
        return Box(colspan=colspan)
    value = slot.item
    return Box(
        text=shown(value),
        value=cast(CellValue, value),
        cell=slot.cell,
        colspan=colspan,
    )


def printed_tables(table_format: TableFormat, values: Values) -> list[PrintedTable]:
    """The format's tables as the official form prints them, with ``values``."""
    result = []
    for block in blocks(table_format, attach=values):
        if block.kind == "list":
            result.append(_list_table(block))
        elif block.key in ONE_ROW_TABLES:
            result.append(_one_row_table(block))
        elif (
            len(block.segments) == 1
            and block.segments[0].columns
            and not (block.segments[0].heading)
        ):
            result.append(_grid_table(block, block.segments[0]))
        else:
            result.append(_grouped_table(block))
    names: set[str] = set()
    for number, table in enumerate(result, 1):
        table.sheet = _sheet_name(table.title, number, names)
        names.add(table.sheet)
    return result


def _sheet_name(title: str, number: int, taken: set[str]) -> str:
    """表二 for "二、主动公开…", else 统计表 (统计表2 …): unique, short, and
    without the characters a sheet name cannot have."""
    numeral, sep, _rest = title.partition("、")
    if sep and 0 < len(numeral) <= 3 and all(ch in NUMERALS for ch in numeral):
        name = f"表{numeral}"
    else:
        name = "统计表"
    return name if name not in taken else f"{name}{number}"


def _list_table(block: Block) -> PrintedTable:
    builder = _Builder(width=3)
    for row in block.rows:
        builder.add(
            Box(row.label, "label", indent=row.indent),
            Box(row.unit, "unit"),
            value_box(row.slot),
        )
    return PrintedTable(
        key=block.key,
        title=block.title,
        head=[[Box(label, "head") for label in block.columns]],
        body=builder.placed(),
        widths=[52, 8, 14],
    )


def _grouped_table(block: Block) -> PrintedTable:
    """Format B's table 二: a heading, column headings and rows per group."""
    columns = max(len(segment.columns) for segment in block.segments)
    width = 1 + columns
    builder = _Builder(width=width)

    def spans(count: int) -> list[int]:
        return [1] * (count - 1) + [columns - count + 1]

    for segment in block.segments:
        if segment.heading:
            builder.add(Box(segment.heading, "group", colspan=width))
        heads = [
            Box(label, "head", colspan=span)
            for label, span in zip(
                segment.columns, spans(len(segment.columns)), strict=True
            )
        ]
        builder.add(Box(segment.corner or CORNER, "head"), *heads)
        for line in segment.lines:
            cells = [
                value_box(slot, span)
                for slot, span in zip(line.slots, spans(len(line.slots)), strict=True)
            ]
            builder.add(Box(line.label, "label", indent=line.indent), *cells)
    return PrintedTable(
        key=block.key,
        title=block.title,
        head=[],
        body=builder.placed(),
        widths=[24] + [16] * columns,
        note=block.note,
    )


def _grid_table(block: Block, segment: GridSegment) -> PrintedTable:
    """Table 三: nested label columns, spanning headings over the columns."""
    depth = label_depth(line.indent for line in segment.lines)
    width = depth + len(segment.columns)
    header_rows = segment.header_rows()
    head = _Builder(width=width)
    for number, header in enumerate(header_rows):
        corner = (
            [Box(segment.corner or CORNER, "head", depth, len(header_rows))]
            if number == 0
            else []
        )
        head.add(
            *corner,
            *(Box(label, "head", cs, rs) for label, cs, rs in header),
        )
    body = _Builder(width=width)
    opened: list[_Open] = []
    waiting: list[Box] = []  # heading boxes that start on the next row
    lines = segment.lines
    # Whether each line is printed as a row: a heading with rows below is not.
    own = [True] * len(lines)
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        own[index] = not line.header or not _rows_below(lines, own, index)
    for index, line in enumerate(lines):
        while opened and opened[-1].indent >= line.indent:
            opened.pop()
        if line.header:
            below = _rows_below(lines, own, index)
            if below:
                box = Box(line.label, "label", rowspan=below, indent=0)
                opened.append(_Open(box, line.indent))
                waiting.append(box)
                continue
            # A heading without rows below: a row of blank cells.
            slots: list[Slot | None] = [None] * len(segment.columns)
        else:
            slots = line.slots
        label = Box(line.label, "label", colspan=depth - len(opened))
        body.add(*waiting, label, *(value_box(slot) for slot in slots))
        waiting = []
    label_widths = {1: [40], 2: [12, 30], 3: [6, 12, 26]}.get(
        depth, [8] * (depth - 1) + [26]
    )
    return PrintedTable(
        key=block.key,
        title=block.title,
        head=head.placed(),
        body=body.placed(),
        widths=label_widths + [7] * len(segment.columns),
        note=block.note,
    )


def _rows_below(lines: list[GridLine], own: list[bool], index: int) -> int:
    """The printed rows under the heading line ``index``."""
    count = 0
    for after in range(index + 1, len(lines)):
        if lines[after].indent <= lines[index].indent:
            break
        count += own[after]
    return count


def _one_row_table(block: Block) -> PrintedTable:
    """Table 四: the rows side by side, their labels as group headings."""
    lines = [line for segment in block.segments for line in segment.lines]
    columns = block.segments[0].columns
    parts = [line.label.split(GROUP_SEPARATOR) for line in lines]
    depth = max(len(p) for p in parts)
    width = len(lines) * len(columns)
    head = _Builder(width=width)
    for level in range(depth + 1):
        row: list[Box] = []
        for index, labels in enumerate(parts):
            if len(labels) > level:
                if index and parts[index - 1][: level + 1] == labels[: level + 1]:
                    continue  # the same group as the line before: one box
                run = 1
                while (
                    index + run < len(parts)
                    and parts[index + run][: level + 1] == labels[: level + 1]
                ):
                    run += 1
                row.append(Box(labels[level], "head", colspan=run * len(columns)))
            elif len(labels) == level:
                row.extend(
                    Box(label, "head", rowspan=depth + 1 - level) for label in columns
                )
        head.add(*row)
    body = _Builder(width=width)
    body.add(*(value_box(slot) for line in lines for slot in line.slots))
    return PrintedTable(
        key=block.key,
        title=block.title,
        head=head.placed(),
        body=body.placed(),
        widths=[8] * width,
        note=block.note,
        landscape=True,
    )
