"""Tables whose columns are aligned with spaces, read by column position.

A PDF's text with its layout kept (and a plain-text table typed with spaces)
prints every column at the same place on every line and a blank cell as
spaces: "行政许可                    4287" says which cell 4287 is only by where
it stands. Splitting such a line at spaces would put 4287 in the row's first
cell. ``realign`` finds the regions of such lines (three or more lines with
fields two spaces apart, up to a sentence), works out the columns from where
the fields of all its lines begin, and rewrites each line of the region as
the tab-separated line it stands for: an empty column between two fields an
empty field, and the empty columns after the last one no-break spaces (blank
cells, which the row reader takes off again where the row has fewer cells
than the table has columns). A line holding only text (the rest of a label
broken over lines) keeps only its text.

Widths are measured as printed: a Chinese character takes two places. A
region whose fields do not begin at a few shared places (numbers aligned to
the right, text typed by hand) is left as it is: the reader then splits it
at spaces as before, and a row whose blanks it cannot place is reported.
"""

import re

from reports.importers.text.lines import is_prose
from reports.layout import text_width

_FIELD = re.compile(r"\S+(?: \S+)*")  # runs of text with single spaces inside
_GAP = re.compile(r"\S {2,}\S")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_LINES = 3  # aligned lines that make a region
MAX_GAP = 3  # other lines (a label's rest) allowed between two of them
MAX_COLUMNS = 16  # more distinct places than this: not aligned columns
TOLERANCE = 1  # places a field may stand off its column
SHARED = 0.8  # share of fields that begin where another line's field begins


def _is_aligned(line: str) -> bool:
    return "  " in line and "\t" not in line and "|" not in line and "｜" not in line


def _fields(line: str) -> list[tuple[int, str]]:
    """(place, text) of each field of a line, places in printed width."""
    found = []
    for match in _FIELD.finditer(line):
        found.append((text_width(line[: match.start()]), match.group()))
    return found


def _columns(lines: list[str]) -> list[int] | None:
    """The places where the region's columns begin, or None when its fields
    do not begin at a few shared places (most fields begin exactly where a
    field of another line begins)."""
    places = [[place for place, _t in _fields(line)] for line in lines]
    lines_at: dict[int, int] = {}
    for line_places in places:
        for place in set(line_places):
            lines_at[place] = lines_at.get(place, 0) + 1
    fields = [place for line_places in places for place in line_places]
    shared = sum(1 for place in fields if lines_at[place] > 1)
    if shared < SHARED * len(fields):
        return None
    starts = sorted(lines_at)
    columns: list[int] = []
    for place in starts:
        if columns and place - columns[-1] <= TOLERANCE:
            continue
        columns.append(place)
    return columns if 2 <= len(columns) <= MAX_COLUMNS else None


def _column_of(place: int, columns: list[int]) -> int:
    return max(n for n, start in enumerate(columns) if start <= place + TOLERANCE)


def _rewrite(line: str, columns: list[int]) -> str:
    fields = _fields(line)
    if not fields:
        return line
    cells = [""] * len(columns)
    for place, text in fields:
        n = _column_of(place, columns)
        cells[n] = f"{cells[n]} {text}".strip()
    first = _column_of(fields[0][0], columns)
    last = _column_of(fields[-1][0], columns)
    if len(fields) == 1 and _CJK.search(fields[0][1]):
        return fields[0][1]  # text alone: a piece of a broken label
    tail = ["\xa0"] * (len(columns) - 1 - last)
    return "\t".join(["" for _ in range(first)] + cells[first : last + 1] + tail)


def realign(lines: list[str]) -> list[str]:
    """``lines`` with the lines of space-aligned regions rewritten as tab
    lines (the same number of lines; other lines unchanged)."""
    marks = [
        i for i, line in enumerate(lines) if _is_aligned(line) and _GAP.search(line)
    ]
    if len(marks) < MIN_LINES:
        return lines
    out = list(lines)
    region: list[int] = []
    for i in [*marks, None]:
        if region and (
            i is None
            or i - region[-1] > MAX_GAP + 1
            or any(is_prose(lines[j]) for j in range(region[-1] + 1, i))
        ):
            _realign_region(lines, out, region)
            region = []
        if i is not None:
            region.append(i)
    return out


def _realign_region(lines: list[str], out: list[str], region: list[int]) -> None:
    if len(region) < MIN_LINES:
        return
    span = range(region[0], region[-1] + 2)  # and a label's rest below the last
    members = [j for j in span if j < len(lines) and lines[j].strip()]
    members = [j for j in members if not is_prose(lines[j]) and "\t" not in lines[j]]
    columns = _columns([lines[j] for j in region])
    if columns is None:
        return
    for j in members:
        out[j] = _rewrite(lines[j], columns)
