"""reports.exporters.printed: the official tables as rows of spanning boxes.

What every exporter relies on, for every format: each place of a table is
covered by exactly one box, and each cell of the format is printed exactly
once, with its value.
"""

from decimal import Decimal

import pytest

from reports.exporters.printed import Box, PrintedTable, printed_tables
from reports.layout import text_width
from reports.tables import FORMATS, NA, get_format


def coverage(table: PrintedTable) -> dict[tuple[int, int], Box]:
    """Every place of the table with the box covering it; fails on overlaps."""
    covered: dict[tuple[int, int], Box] = {}
    for r, row in enumerate(table.rows):
        assert len(row) == table.width
        for c, box in enumerate(row):
            if box is None:
                continue
            for dr in range(box.rowspan):
                for dc in range(box.colspan):
                    assert (r + dr, c + dc) not in covered, (table.key, r, c)
                    covered[r + dr, c + dc] = box
    return covered


@pytest.mark.parametrize("code", list(FORMATS))
def test_each_place_is_covered_once_and_each_cell_printed_once(code: str) -> None:
    table_format = get_format(code)
    values = {c: Decimal(n) if n % 3 else NA for n, c in enumerate(table_format.cells)}
    tables = printed_tables(table_format, values)

    printed: list[str] = []
    for table in tables:
        covered = coverage(table)
        assert len(covered) == len(table.rows) * table.width
        for r, row in enumerate(table.rows):
            for c, box in enumerate(row):
                if box is None:
                    assert (r, c) in covered  # a hole would print as nothing
                elif box.cell is not None:
                    printed.append(box.cell.code)
                    assert box.value == values[box.cell.code]
                    assert box.text == ("/" if box.value is NA else str(box.value))
    assert sorted(printed) == sorted(table_format.cells)
    assert [t.key for t in tables] == [t.key for t in table_format.tables]


def test_blank_cells_are_empty_boxes_not_zero() -> None:
    (table,) = printed_tables(get_format("A"), {"a1_total": Decimal(0)})
    values = {b.cell.code: b for row in table.body for b in row if b and b.cell}
    assert (values["a1_total"].text, values["a1_total"].value) == ("0", Decimal(0))
    assert (values["a1_website"].text, values["a1_website"].value) == ("", None)


def test_sheet_names_are_short_and_distinct() -> None:
    names = [t.sheet for t in printed_tables(get_format("B"), {})]
    assert names == ["表二", "表三", "表四"]
    assert [t.sheet for t in printed_tables(get_format("A"), {})] == ["统计表"]


def test_text_width_counts_chinese_as_two() -> None:
    assert text_width("统计数") == 6
    assert text_width("(一)12") == 6
    assert text_width("（一）") == 6
