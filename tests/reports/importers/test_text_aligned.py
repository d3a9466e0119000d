"""Tables aligned with spaces: a blank cell is known by where the numbers
stand, so the numbers land in their own cells, never the first ones."""

import random
from decimal import Decimal

from reports.importers.text import parse_report_text
from reports.importers.text.aligned import realign

TITLE = "某区人民政府2022年政府信息公开工作年度报告"
ALIGNED = [
    "第二十条第(一)项",
    "信息内容            本年制发件数    本年废止件数    现行有效件数",
    "规章                1               0               5",
    "行政规范性文件                      3               4",
    "第二十条第(五)项",
    "信息内容            本年处理决定数量",
    "行政许可            30",
]


def test_a_sparse_row_is_read_by_column() -> None:
    result = parse_report_text("\n".join([TITLE, "二、主动公开政府信息情况", *ALIGNED]))
    assert result.cells["b2_rule_in_force"] == Decimal(5)
    assert result.cells["b2_norm_issued"] is None  # blank: nothing under it
    assert result.cells["b2_norm_repealed"] == Decimal(3)
    assert result.cells["b2_norm_in_force"] == Decimal(4)
    assert result.cells["b2_licensing"] == Decimal(30)
    assert result.unplaced_lines == []


def test_lines_become_tab_lines_with_their_empty_columns() -> None:
    out = realign(ALIGNED)
    assert out[3] == "行政规范性文件\t\t3\t4"
    assert out[6] == "行政许可\t30\t\xa0\t\xa0"
    assert out[0] == ALIGNED[0]  # a line of one field is left as it is


def test_fields_at_scattered_places_are_not_columns() -> None:
    # Text typed with double spaces but no columns: fields begin anywhere.
    rng = random.Random(7)  # noqa: S311 - test data
    ragged = [
        (" " * rng.randint(2, 6)).join(
            "统计" * rng.randint(1, 12) + str(rng.randint(0, 999)) for _ in range(3)
        )
        for _ in range(12)
    ]
    assert realign(ragged) == ragged


def test_prose_is_never_rewritten() -> None:
    lines = ["本年度  共收到  申请30件。", *ALIGNED]
    assert realign(lines)[0] == lines[0]
