"""reports/importers/text/cells.py: which of a row's tokens are its cells."""

from reports.importers.labels import label_index
from reports.importers.text.cells import (
    Token,
    readings,
    repeated_columns,
    unmerged,
)
from reports.importers.text.lines import Kind, classify_line
from reports.tables import get_format

INDEX = label_index(get_format("B2019"))


def tokens(line: str) -> list[Token]:
    events = classify_line(line, INDEX)
    assert events is not None
    return [(0, e) for e in events if e.kind is not Kind.LABEL]


def shown(cells: list[Token]) -> list[str]:
    return [e.text for _line, e in cells]


def test_a_heading_repeated_in_the_next_column_is_one_merged_heading() -> None:
    events = classify_line("信息内容\t上一年项目数量\t本年增/减\t本年增/减", INDEX)
    assert events is not None
    assert repeated_columns(events) == {3}
    events = classify_line(
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", INDEX
    )
    assert events is not None
    assert repeated_columns(events) == frozenset()


def test_the_repeat_of_a_merged_cell_goes_a_different_number_stays() -> None:
    merged = frozenset({3})
    assert shown(unmerged(tokens("行政事业性收费\t7819\t7\t7"), merged)) == [
        "7819",
        "7",
    ]
    assert shown(unmerged(tokens("行政事业性收费\t\t31\t31"), merged)) == ["", "31"]
    assert shown(unmerged(tokens("行政事业性收费\t7819\t7\t8"), merged)) == [
        "7819",
        "7",
        "8",
    ]
    # Equal numbers under headings that are not merged are two cells.
    assert shown(unmerged(tokens("行政许可\t7\t7\t7"), frozenset())) == ["7", "7", "7"]


def test_readings_differ_only_where_empty_cells_could_be_either() -> None:
    row = tokens("一、本年新收政府信息公开申请数量\t\t\t1\t2\t3\t4\t5\t6\t7")
    assert readings(row, 7) == [row[2:]]
    ambiguous = tokens("(二)部分公开\t\t1\t2\t3\t4\t5\t6\t\t")
    assert len(readings([t for t in ambiguous if t[1].kind is not Kind.EDGE], 7)) == 2
