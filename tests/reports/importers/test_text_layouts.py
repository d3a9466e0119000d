"""Format B's tables in every layout a paste produces, generated, not copied.

Each table is printed one of five ways (pipe rows with spacer lines, a
browser's text of an HTML table with a cell per block and tabs between
cells, tab-split rows, one value per line, space-separated rows), with
blanks mixed among the numbers where the layout can show a blank. Whatever
the layout, every number lands in its cell, every blank stays a blank, and
a row with a cell too few or too many is reported with its line, never
shifted.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from reports.importers.labels import label_index
from reports.importers.text import TextImport, parse_report_text
from reports.importers.text.layout import browser_cells
from reports.importers.text.lines import Kind, classify_line
from reports.tables import get_format

FORMAT_B = get_format("B")
LAYOUTS = ["pipes", "browser", "tabs", "per_line", "spaces"]
SEPARATOR_LINES = ["||", "| |", "|---|---|---|"]


def rules(result: TextImport) -> list[str]:
    return [f.rule for f in result.findings]


@dataclass
class Table:
    lines: list[str] = field(default_factory=list)
    values: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _printed_label(label: str) -> str:
    return label.rsplit("·", 1)[-1]


def _browser_row(label: str, cells: list[str], rng: random.Random) -> list[str]:
    """A row as a browser copies it: block cells on lines of their own after a
    tab line, inline cells after a tab on the same line."""
    text = label
    for cell in cells:
        if cell != "\xa0" or rng.random() < 0.4:
            text += "\n\t\n" + cell + "\n"
        else:
            text += "\t" + cell
    return [line for line in text.split("\n") if line != ""]


def _row_lines(
    layout: str, label: str, cells: list[str], rng: random.Random
) -> list[str]:
    if layout == "pipes":
        row = ["| " + " | ".join([label, *cells]) + " |"]
        if rng.random() < 0.5:
            row.append(rng.choice(SEPARATOR_LINES))
        return row
    if layout == "browser":
        return _browser_row(label, cells, rng)
    if layout == "tabs":
        return ["\t".join([label, *cells])]
    if layout == "per_line":
        return [label, *cells]
    return [" ".join([label, *cells])]


def generate(seed: int, layout: str) -> Table:
    """The three tables of format B, every cell a number or (where the
    layout can print one) a blank."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    table = Table(["某区人民政府2022年政府信息公开工作年度报告"])
    table.lines.append("一、总体情况")
    table.lines.append("2022年，我区认真贯彻落实《条例》。")
    titles = {t.key: t.title for t in FORMAT_B.tables}
    current = ""
    can_blank = layout != "spaces"
    for row in label_index(FORMAT_B).rows:
        if row.table != current:
            current = row.table
            table.lines.append(titles[current])
        label = _printed_label(row.label)
        if row.is_header:
            table.lines.append(label)
            continue
        cells = []
        for code in row.codes:
            if can_blank and rng.random() < 0.3:
                table.values[code] = None
                cells.append("\xa0" if layout in ("browser", "per_line") else "")
            else:
                number = rng.randrange(0, 120)
                table.values[code] = Decimal(number)
                cells.append(str(number))
        table.lines += _row_lines(layout, label, cells, rng)
    table.lines.append("五、存在的主要问题及改进情况")
    table.lines.append("一是公开质量有待提高。")
    return table


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", range(6))
def test_every_layout_reads_every_cell_in_place(seed: int, layout: str) -> None:
    table = generate(seed, layout)
    result = parse_report_text(table.text)
    assert result.format == "B"
    assert result.unplaced_lines == [], table.text
    assert "text_row_incomplete" not in rules(result), table.text
    for code, value in table.values.items():
        assert result.cells[code] == value, (code, layout, table.text)


@pytest.mark.parametrize("layout", ["pipes", "browser", "tabs", "per_line"])
@pytest.mark.parametrize("seed", range(4))
def test_a_row_with_a_cell_missing_is_reported_not_shifted(
    seed: int, layout: str
) -> None:
    rng = random.Random(seed)  # noqa: S311
    table = generate(seed, layout)
    row = rng.choice([r for r in label_index(FORMAT_B).rows if len(r.codes) == 7])
    label = _printed_label(row.label)
    start = next(n for n, line in enumerate(table.lines) if label in line)
    values = [table.values[c] for c in row.codes]
    printed = [str(v) if v is not None else "0" for v in values[:-1]]  # one short
    end = start + 1
    while end < len(table.lines) and not any(
        r.label in table.lines[end] for r in label_index(FORMAT_B).rows
    ):
        end += 1
    table.lines[start:end] = _row_lines(layout, label, printed, rng)
    result = parse_report_text(table.text)
    assert "text_row_incomplete" in rules(result)
    assert all(result.cells[code] is None for code in row.codes)
    (finding,) = [f for f in result.findings if f.rule == "text_row_incomplete"]
    assert f"第{start + 1}行" in finding.message


@pytest.mark.parametrize(
    ("line", "cells"),
    [("\t", 0), ("\t\t", 1), ("\t\xa0\t\xa0\t", 2), ("\t\xa0", 1), ("\xa0\t", 1)],
)
def test_blank_lines_of_browser_text(line: str, cells: int) -> None:
    assert browser_cells(line) == cells


def test_a_lone_pipe_is_still_an_empty_cell_in_one_cell_per_line_layout() -> None:
    text = (
        "某局2017年政府信息公开工作年度报告\n政府信息公开情况统计表\n"
        "(一)主动公开政府信息数 |\n条 |\n|\n"
        "其中:主动公开规范性文件数 |\n条 |\n3 |\n"
        "制发规范性文件总数 |\n件 |\n4 |\n"
    )
    result = parse_report_text(text)
    assert result.cells["a1_total"] is None
    assert result.cells["a1_normative"] == Decimal(3)
    assert result.cells["a1_normative_issued"] == Decimal(4)


def test_a_field_s_place_counts_a_leading_tab() -> None:
    """A leading tab is an empty first place: two rows of table 三, one
    with its label in the second label column, put their numbers in the
    same places, as their table printed them."""
    index = label_index(get_format("B2019"))
    places = []
    for line in ("\t(七)总计\t\t3243\t40", "四、结转下年度继续办理\t\t\t0\t0"):
        events = classify_line(line, index)
        assert events is not None
        places.append([e.column for e in events if e.kind is Kind.VALUE])
    assert places == [[3, 4], [3, 4]]
    pipes = classify_line("| 规章 | 1 | 2 |", index)
    assert pipes is not None and [e.column for e in pipes] == [0, 1, 2]
