"""Reading a report's text: a 5 MB report and a 200,000-line paste.

The 5 MB text is seed 003 (format A, its table one cell per line) followed
by its own prose repeated up to the limit; the paste is format B's tables in
a browser's text of an HTML table (a cell per block, a tab line between
cells), repeated to 200,000 lines of blocks and prose (the reader lists the
first ``MAX_TABLES`` tables and says there are more); the last text is
200,000 lines of other tables with the report's table at the very end, so
that every line is read. Targets: 2 s, 3 s and 3 s.
"""

import time
from pathlib import Path

from reports.bench import Figure
from reports.importers.text import MAX_TEXT_CHARS, parse_report_text

SEEDS = Path(__file__).resolve().parent.parent / "demo_seeds"
PASTE_LINES = 200_000
_PROSE = "\n全州通过报刊、专栏等渠道公开政府信息45237条，其中州本级6425条。"
_BROWSER_ROW = "\n\t\n".join(["{label}", "3", "\xa0", "1", "\t\xa0\t\xa0", "0", "4"])


def five_megabytes() -> str:
    text = (SEEDS / "003_b003980f9dd57fbd.txt").read_text(encoding="utf-8")
    return text + _PROSE * ((MAX_TEXT_CHARS - len(text)) // len(_PROSE))


def long_paste(lines: int = PASTE_LINES) -> str:
    head = (
        "某区人民政府2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况"
    )
    rows = [
        _BROWSER_ROW.format(label=label)
        for label in ("一、本年新收政府信息公开申请数量", "(一)予以公开", "(七)总计")
    ]
    block = "\n".join([*rows, "一是公开质量有待提高。", "", "第 3 页"])
    count = lines // (block.count("\n") + 1) + 1
    return "\n".join("\n".join([head, *[block] * count]).split("\n")[:lines])


def table_at_the_end(lines: int = PASTE_LINES) -> str:
    """200,000 lines of a page's other tables (labels of no format, numbers,
    tab lines) with the report's one table at the very end: every line is
    read before the table is found."""
    other = [_BROWSER_ROW.format(label=f"某某专项工作第{n}项") for n in range(1, 4)]
    block = "\n".join([*other, "", "第 3 页"])
    count = lines // (block.count("\n") + 1)
    body = "\n".join([block] * count).split("\n")[: lines - 20]
    table = long_paste(20).split("\n")
    return "\n".join([*body, *table])


def _seconds(text: str, repeat: int) -> float:
    best = float("inf")
    for _n in range(repeat):
        start = time.perf_counter()
        parse_report_text(text)
        best = min(best, time.perf_counter() - start)
    return best


def run(*, repeat: int = 3) -> list[Figure]:
    return [
        Figure(
            "text import: 5 MB report (best of runs)",
            _seconds(five_megabytes(), repeat),
            "s",
        ),
        Figure(
            "text import: 200,000-line paste (best of runs)",
            _seconds(long_paste(), repeat),
            "s",
        ),
        Figure(
            "text import: 200,000 lines, the table at the end (best of runs)",
            _seconds(table_at_the_end(), repeat),
            "s",
        ),
    ]
