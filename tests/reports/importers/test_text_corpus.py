"""The generated corpus read as text: every route gives back exactly the values.

The random reports of tests/reports/importers/test_documents_corpus.py
(``make_case``: fixed seeds; blanks, zeros, "/" and amounts to the 万元's
sixth decimal among the values) are here rendered as the texts a clerk pastes
rather than as documents, in Python, and read with ``parse_report_text``. Each
route imitates one way a published report reaches the importer as text:

* ``traditional``: the report in traditional characters (OpenCC s2t), as the
  web page itself, as the text a browser gives of it, and as pipe rows;
* ``broken-labels``: a table whose label column is narrow, so that long row
  labels run over two or three lines (tabs, aligned columns, or pipe rows);
* ``one-char-headings``: the column headings of such a table, a few
  characters a line ("三、本" / "年度办" / "理结果");
* ``cell-per-line``: a browser copy that gives every cell a line of its own,
  after a table title and a one-sentence note;
* ``group-label-twice``: a Word table read cell by cell, so that a merged
  cell's text stands in every place it covers ("三、本年度办理结果" on every
  row of its group, "行政复议" five times);
* ``pipes-spacers``, ``nbsp-blanks``, ``one-value-per-line``: pipe rows with
  spacer lines, browser text with "\\xa0" blanks, one value a line.

A failing case names its seed, format and route, the first wrong cell's row
(expected and read) and the lines of the text around it. Browser-rendered
text (Chromium's innerText and selection) is in tests/browser/
test_documents_innertext.py.
"""

import io
import random
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

import docx
import opencc
import pytest
from docx.table import Table as WordTable

from reports.exporters.parts import (
    report_parts,
    report_title,
    signatory_lines,
    table_heading,
)
from reports.exporters.printed import Box, PrintedTable, printed_tables
from reports.importers.documents import parse_document, read_html
from reports.importers.documents.match import document_text
from reports.importers.labels import label_index, normalise
from reports.importers.text import TextImport, parse_report_text
from reports.layout import text_width
from reports.tables.base import shown as printed_text
from tests.reports.importers.test_documents_corpus import (
    Case,
    corpus_seeds,
    make_case,
    page_html,
    word_document,
)

SEEDS = corpus_seeds(6)
FORMAT_CODES = ("A", "B2019", "B")
TABLE_NOTE = "注：本表数据截至12月31日。"
SPACERS = ("||", "| |", "|---|---|---|")
REGION_LINES = 30  # the most lines of a failing region shown in full
READ_SECONDS = 10  # a read takes well under a second; longer is a loop


# Cases --------------------------------------------------------------------------


def corpus_case(seed: int, code: str) -> Case:
    """``make_case``'s report, in a year its format covers (B2019: 2019–2020)."""
    case = make_case(seed, code)
    if code == "B2019":
        rng = random.Random(f"{seed}-B2019-year")  # noqa: S311 - a fixed seed
        case = replace(case, year=rng.choice([2019, 2020]))
    return case


def case_rng(case: Case, route: str) -> random.Random:
    """The random choices of one route's rendering of one case."""
    return random.Random(f"{case.name}-{route}")  # noqa: S311 - a fixed seed


# Checking -----------------------------------------------------------------------


def _differs(expected: object, read: object) -> bool:
    return read != expected or (expected is not None and read is None)


def _row_of(case: Case, code: str) -> tuple[str, tuple[str, ...]]:
    """The printed row of a cell: its label and the codes on it."""
    for row in label_index(case.table_format).rows:
        if code in row.codes:
            return row.label, row.codes
    return code, (code,)


def _label_line(lines: list[str], label: str, start: int) -> int | None:
    """The first line from ``start`` (0-based) that prints ``label``."""
    key = normalise(label.rsplit("·", 1)[-1])
    for i in range(max(0, start), len(lines)):
        if key and key in normalise(lines[i]):
            return i
    return None


_FIELD_BREAK = re.compile(r"[\t|｜]| {2,}")


def _fields(line: str) -> list[str]:
    return [f.strip(" \xa0\u3000") for f in _FIELD_BREAK.split(line)]


def _values_lines(lines: list[str], printed: list[str], start: int) -> list[int]:
    """The first and the last line, from ``start``, of the first run of lines
    that print the row's values in order (blanks aside); none if not found."""
    wanted = [text for text in printed if text]
    if not wanted:
        return []
    window = 2 * len(printed) + 4
    for i in range(start, len(lines)):
        if wanted[0] not in _fields(lines[i]):
            continue
        at, j = 0, i
        while j < min(len(lines), i + window) and at < len(wanted):
            for field in _fields(lines[j]):
                if at < len(wanted) and field == wanted[at]:
                    at += 1
            j += 1
        if at == len(wanted):
            return [i, j - 1]
    return []


def failure_region(
    case: Case,
    text: str,
    result: TextImport,
    code: str,
    *,
    line_sources: bool = True,
) -> str:
    """The lines around the first wrong cell: from the last line a right cell
    was read from to the next one, the row's label among them, numbered as the
    importer numbers them. ``line_sources``: whether ``result.sources`` are
    line numbers of ``text`` (not of a document's grid)."""
    lines = text.split("\n")
    order = list(case.values)
    at = order.index(code)
    wrong = {c for c, v in case.values.items() if _differs(v, result.cells.get(c))}

    def source(c: str) -> int | None:
        if not line_sources or c in wrong or c not in result.sources:
            return None
        return result.sources[c][0] - 1

    before = next(
        (s for c in reversed(order[:at]) if (s := source(c)) is not None), None
    )
    after = next(
        (
            s
            for c in order[at + 1 :]
            if (s := source(c)) is not None and s >= (before or 0)
        ),
        None,
    )
    label, codes = _row_of(case, code)
    found = _label_line(lines, label, before if before is not None else 0)
    anchors = [i for i in (before, after, found) if i is not None]
    start = min(anchors) if anchors else 0
    values = _values_lines(lines, [printed_text(case.values[c]) for c in codes], start)
    # The row's label and its values, even one a line.
    end = max([*anchors, *values, (found or start) + len(codes) + 3])
    start, end = max(0, start - 1), min(len(lines) - 1, end + 1)
    shown = list(range(start, end + 1))
    if len(shown) > REGION_LINES:
        half = REGION_LINES // 2
        shown = shown[:half] + [-1] + shown[-half:]
    return "\n".join("     …" if i < 0 else f"{i + 1:>5}| {lines[i]!r}" for i in shown)


def assert_text_exact(
    case: Case,
    route: str,
    text: str,
    result: TextImport,
    *,
    line_sources: bool = True,
) -> None:
    """Every value back, a blank blank; else the case, the first wrong cell's
    row (expected, read) and the lines of ``text`` around it."""
    wrong = {
        code: (expected, result.cells.get(code))
        for code, expected in case.values.items()
        if _differs(expected, result.cells.get(code))
    }
    if not wrong:
        return
    first = next(iter(wrong))
    label, codes = _row_of(case, first)
    expected_row = [case.values[c] for c in codes]
    read_row = [result.cells.get(c) for c in codes]
    findings = [f.message for f in result.findings if f.rule.startswith("text_")]
    pytest.fail(
        f"{case.name} route={route}: {len(wrong)} of {len(case.values)} cells "
        f"differ (expected, read): {dict(list(wrong.items())[:6])}\n"
        f"first wrong cell {first} in row 「{label}」:\n"
        f"  expected {[_shown(v) for v in expected_row]}\n"
        f"  read     {[_shown(v) for v in read_row]}\n"
        f"findings: {findings[:4]}\n"
        f"text around it:\n"
        f"{failure_region(case, text, result, first, line_sources=line_sources)}",
        pytrace=False,
    )


def _shown(value: object) -> str:
    if value is None:
        return "blank"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


# The report around its tables ---------------------------------------------------


def _tables(case: Case) -> tuple[list, list[PrintedTable]]:
    tables = printed_tables(case.table_format, case.values)
    return report_parts(case.table_format, case.sections, tables)


def report_text(
    case: Case,
    table_lines: Callable[[PrintedTable], list[str]],
    *,
    gaps: bool = False,
    note: bool = False,
) -> str:
    """The report as text: title, parts with their paragraphs and tables (or,
    format A, the tables after the parts under their heading, year line and
    填报单位), signatories. ``gaps``: a blank line after each paragraph, as a
    browser's text of ``<p>`` has; ``note``: a one-sentence note just before
    each table, as many reports print under the table's title."""
    parts, appendix = _tables(case)
    gap = [""] if gaps else []
    out = [report_title(case.agency, case.year)]
    for part in parts:
        out += [part.title, *gap]
        for paragraph in part.paragraphs:
            out += [*paragraph, *gap]
        if part.table is not None:
            out += [TABLE_NOTE] if note else []
            out += table_lines(part.table)
    if appendix:
        heading, year_line = table_heading(case.table_format, case.year)
        out += [heading, *gap, year_line, *gap, f"填报单位：{case.agency}", *gap]
        out += [TABLE_NOTE] if note else []
        for table in appendix:
            out += table_lines(table)
    out += [*gap, *signatory_lines(case.signatories)]
    return "\n".join(out) + "\n"


# A printed table's rows as places ----------------------------------------------


@dataclass(frozen=True)
class Place:
    """One place of a printed row as a rendering prints it: a box that starts
    there, or (``kind`` "covered") a place a merged box from above or the left
    covers, printed empty or with that box's text."""

    text: str
    kind: str
    column: int
    span: int = 1
    box: Box | None = None


def _owners(table: PrintedTable) -> dict[tuple[int, int], tuple[int, int]]:
    """Each place → where the box covering it starts."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row):
            if box is None:
                continue
            for dr in range(box.rowspan):
                for dc in range(box.colspan):
                    owner[(r + dr, c + dc)] = (r, c)
    return owner


def row_places(table: PrintedTable, mode: str) -> list[list[Place]]:
    """The rows of a table as places. ``merged``: the boxes starting on each
    row, as a browser's text of a table with ``rowspan``/``colspan`` gives
    them; ``split``: every place, a covered one empty (merged cells split, or
    a text table that must keep its columns); ``filled``: every place, a
    covered one with its box's text (python-docx's ``row.cells``)."""
    owner = _owners(table)
    result = []
    for r, row in enumerate(table.rows):
        places = []
        for c in range(table.width):
            box = row[c]
            if box is not None:
                span = box.colspan if mode == "merged" else 1
                places.append(Place(box.text, box.kind, c, span, box))
            elif mode != "merged":
                r0, c0 = owner[(r, c)]
                covering = table.rows[r0][c0]
                text = covering.text if mode == "filled" and covering else ""
                places.append(Place(text, "covered", c))
        result.append(places)
    return result


def is_heading_row(places: list[Place]) -> bool:
    """A row of column headings (no label, unit or value on it)."""
    kinds = {p.kind for p in places}
    return "head" in kinds and kinds <= {"head", "covered"}


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def aligned(rows: list[list[Place]], width: int, rng: random.Random) -> list[str]:
    """Rows of ``split`` places in columns of fixed width, as a PDF's text
    with its layout kept prints them: every column as wide as its widest
    text and two to four spaces, a blank cell as spaces."""
    widths = [0] * width
    for places in rows:
        for place in places:
            widths[place.column] = max(widths[place.column], text_width(place.text))
    widths = [w + rng.randint(2, 4) for w in widths]
    return ["".join(_pad(p.text, widths[p.column]) for p in r).rstrip() for r in rows]


def pipe_line(places: list[Place]) -> str:
    return "| " + " | ".join(p.text for p in places) + " |"


# Routes ---------------------------------------------------------------------


def tab_rows(table: PrintedTable) -> list[str]:
    """A browser's text of a table with merged cells: a row a line, its
    cells' texts between tabs, a blank cell nothing between two tabs."""
    return ["\t".join(p.text for p in places) for places in row_places(table, "merged")]


def innertext_of_page(case: Case) -> str:
    """What ``page_html``'s ``document.body.innerText`` gives (tests/browser/
    test_documents_innertext.py reads the real one): paragraphs between blank
    lines, tables as ``tab_rows``."""
    return report_text(case, tab_rows, gaps=True)


def pipe_text(case: Case, rng: random.Random, *, spacers: bool) -> str:
    """Pipe rows ("| label | 4 |  | 1 |"), every place a cell so that the
    columns line up, as a Markdown or plain-text export of the table prints
    them; ``spacers``: a line of pipes or dashes between some rows."""

    def lines(table: PrintedTable) -> list[str]:
        out = []
        for places in row_places(table, "split"):
            out.append(pipe_line(places))
            if spacers and rng.random() < 0.5:
                out.append(rng.choice(SPACERS))
        return out

    return report_text(case, lines)


@cache
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _to_traditional().convert(text)


# broken-labels


def broken(label: str, rng: random.Random) -> list[str]:
    """A long label as a narrow column prints it: two or three pieces, broken
    anywhere, each with two Chinese characters at least (a piece such as
    "1条)" alone would read as a value)."""

    def chinese(piece: str) -> int:
        return sum(1 for ch in piece if "\u4e00" <= ch <= "\u9fff")

    for _attempt in range(50):
        count = rng.choice([2, 3]) if len(label) >= 12 else 2
        cuts = sorted(rng.sample(range(1, len(label)), count - 1))
        pieces = [
            label[a:b] for a, b in zip([0, *cuts], [*cuts, len(label)], strict=True)
        ]
        if all(chinese(p) >= 2 for p in pieces):
            return pieces
    return [label]


def broken_rows(
    table: PrintedTable, mode: str, rng: random.Random, shortest: int
) -> list[tuple[list[list[Place]], int]]:
    """Each row as lines of places: its own label (the one next to its values)
    broken when it has ``shortest`` characters or more, a piece a line, the
    labels before it on the first line, its unit and values on the first or
    the last line (top- or bottom-aligned cells), a place left empty on a
    line of "gap" kind; with the index of the line that holds the values."""
    result = []
    for places in row_places(table, mode):
        labels = [i for i, p in enumerate(places) if p.kind == "label"]
        if not labels or len(places[labels[-1]].text) < shortest:
            result.append(([places], 0))
            continue
        own = labels[-1]
        pieces = broken(places[own].text, rng)
        full = rng.choice([0, len(pieces) - 1])
        lines = []
        for n, piece in enumerate(pieces):
            line = []
            for i, place in enumerate(places):
                if i == own:
                    line.append(replace(place, text=piece))
                elif (i < own and n == 0) or (i > own and n == full):
                    line.append(place)  # outer labels stay on the first line
                else:
                    line.append(replace(place, text="", kind="gap"))
            lines.append(line)
        result.append((lines, full))
    return result


def broken_labels_text(case: Case, rng: random.Random, separator: str) -> str:
    """Long row labels over two or three lines. ``tabs``: a browser's or
    Word's text of the table, a label cell's line breaks kept, a continuation
    a line of its own with the spaces around it; ``spaces``: a PDF's text with
    its layout kept, columns of fixed width; ``pipes``: a plain-text table
    with multi-line cells (every column on every line)."""
    shortest = rng.randint(8, 14)

    def lines(table: PrintedTable) -> list[str]:
        mode = "merged" if separator == "tabs" else "split"
        rows = broken_rows(table, mode, rng, shortest)
        if separator == "spaces":
            return aligned(
                [line for group, _ in rows for line in group], table.width, rng
            )
        out = []
        for group, full in rows:
            for n, line in enumerate(group):
                if separator == "pipes":
                    out.append(pipe_line(line))
                elif n == full or len(group) == 1:
                    out.append("\t".join(p.text for p in line if p.kind != "gap"))
                else:
                    texts = [p.text for p in line if p.text]
                    pad = " " * rng.randint(0, 2)
                    out.append(pad + "\t".join(texts) + " " * rng.randint(0, 4))
        return out

    return report_text(case, lines)


# one-char-headings


def chopped(text: str, rng: random.Random) -> list[str]:
    """A heading in a column a few characters wide: pieces of one to three."""
    size = rng.randint(1, 3)
    return [text[i : i + size] for i in range(0, len(text), size)]


def one_char_headings_text(case: Case, rng: random.Random) -> str:
    """A table whose narrow columns print their headings a few characters a
    line: each column heading (and a label over several rows in a column too
    narrow for it, table 三's "三、本年度办理结果") as its pieces, one a line,
    before the rows, which are tab rows."""

    def too_narrow(table: PrintedTable, place: Place) -> bool:
        box = place.box
        if box is None or box.kind != "label" or box.rowspan < 2:
            return False
        room = sum(table.widths[place.column : place.column + box.colspan])
        return text_width(box.text) > room

    def lines(table: PrintedTable) -> list[str]:
        out = []
        for places in row_places(table, "merged"):
            if is_heading_row(places):
                for place in places:
                    out += chopped(place.text, rng)
                continue
            rest = []
            for place in places:
                if too_narrow(table, place):
                    out += chopped(place.text, rng)
                else:
                    rest.append(place.text)
            out.append("\t".join(rest))
        return out

    return report_text(case, lines)


# cell-per-line, one-value-per-line, nbsp-blanks


def cell_per_line_text(case: Case, mode: str) -> str:
    """A browser copy that gives every cell a line: a row's label, then each
    of its values, a blank cell a lone no-break space; the column headings a
    cell a line too; a note sentence between the table's title and the
    table. ``mode``: merged cells, or split (a covered place a blank)."""

    def lines(table: PrintedTable) -> list[str]:
        return [p.text or "\xa0" for places in row_places(table, mode) for p in places]

    return report_text(case, lines, note=True)


def one_value_per_line_text(case: Case, rng: random.Random) -> str:
    """A row's label on a line, then its unit and values one a line, a blank
    a line of blanks (a no-break space, a space or an ideographic space); the
    column headings a row a line, between tabs."""
    blank = rng.choice(["\xa0", " ", "\u3000"])

    def lines(table: PrintedTable) -> list[str]:
        out = []
        for places in row_places(table, "merged"):
            if is_heading_row(places):
                out.append("\t".join(p.text for p in places))
            else:
                out += [p.text or blank for p in places]
        return out

    return report_text(case, lines)


def nbsp_blanks_text(case: Case, rng: random.Random) -> str:
    """A browser's text of a web page whose cells hold blocks (``<div>``) and
    whose empty cells hold ``&nbsp;``: a block cell on a line of its own after
    a line holding the tab between cells, an empty cell "\\xa0" after a tab on
    the line before, several of them on one line ("\\t\\xa0\\t\\xa0\\t")."""

    def row_text(places: list[Place]) -> str:
        # A tab ends each cell but the last; a block's line breaks around it
        # collapse with those of the next block into one.
        cells = []
        for place in places:
            block = bool(place.text) or rng.random() < 0.2
            cell = place.text or "\xa0"
            cells.append(f"\n{cell}\n" if block else cell)
        return re.sub(r"\n+", "\n", "\t".join(cells)).strip("\n")

    def lines(table: PrintedTable) -> list[str]:
        text = "\n".join(row_text(p) for p in row_places(table, "merged"))
        return [line for line in text.split("\n") if line != ""]

    return report_text(case, lines)


# group-label-twice


def word_cells_text(case: Case) -> str:
    """A Word document's text as python-docx gives it: paragraphs, and each
    table row its ``row.cells`` between tabs, a merged cell's text in every
    place it covers (across and down)."""
    document = docx.Document(io.BytesIO(word_document(case)))
    out = []
    for block in document.iter_inner_content():
        if isinstance(block, WordTable):
            out += ["\t".join(c.text for c in row.cells) for row in block.rows]
        else:
            out.append(block.text)
    return "\n".join(out) + "\n"


# The tests --------------------------------------------------------------------


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Fails the test when the block runs longer than ``seconds`` (an
    importer caught in a loop), instead of hanging the run."""

    def expired(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"{what} did not finish in {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limited(case: Case, route: str, read: Callable[[], TextImport]) -> TextImport:
    """``read()`` within ``READ_SECONDS``, else the case fails, named."""
    try:
        with time_limit(READ_SECONDS, "the importer"):
            return read()
    except TimeoutError as error:
        pytest.fail(f"{case.name} route={route}: {error}")


def read_text(case: Case, text: str, route: str) -> TextImport:
    """``parse_report_text`` in the case's format and year, time-limited."""
    return limited(
        case,
        route,
        lambda: parse_report_text(text, table_format=case.table_format, year=case.year),
    )


# What the importer does not read yet (issue 15 stays open for them). Each
# case here fails today and is marked strictly: a fix makes it pass, which
# fails the run until the case is taken off this list.
NOT_YET: dict[str, tuple[str, set[tuple[int, str]]]] = {
    # Every case is read today. A case the reader cannot read yet goes here:
    # "route": ("原因", {(seed, "format code"), …}).
}


def not_yet(request: pytest.FixtureRequest, route: str, case: Case) -> None:
    reason, cases = NOT_YET.get(route, ("", set()))
    if (case.seed, case.table_format.code) in cases:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


TRADITIONAL = ("html", "innertext", "pipes")


@pytest.mark.parametrize("code", FORMAT_CODES)
@pytest.mark.parametrize("layout", TRADITIONAL)
@pytest.mark.parametrize("seed", SEEDS)
def test_traditional(seed: int, layout: str, code: str) -> None:
    """The report in traditional characters: the web page itself (read as a
    document), its browser text, and pipe rows."""
    case = corpus_case(seed, code)
    route = f"traditional-{layout}"
    if layout == "html":
        page = traditional(page_html(case))
        result = limited(
            case,
            route,
            lambda: parse_document(
                page.encode(),
                "報告.html",
                table_format=case.table_format,
                year=case.year,
            ),
        )
        text, _places = document_text(read_html(page))
        assert_text_exact(case, route, text, result, line_sources=False)
        return
    if layout == "innertext":
        text = traditional(innertext_of_page(case))
    else:
        text = traditional(pipe_text(case, case_rng(case, route), spacers=False))
    assert_text_exact(case, route, text, read_text(case, text, route))


# Every text route, by name: the text of a case (``rng`` seeded by the case
# and the route's name).
ROUTES: dict[str, Callable[[Case, random.Random], str]] = {
    **{
        f"broken-labels-{separator}": (
            lambda case, rng, separator=separator: broken_labels_text(
                case, rng, separator
            )
        )
        for separator in ("tabs", "spaces", "pipes")
    },
    "one-char-headings": one_char_headings_text,
    **{
        f"cell-per-line-{mode}": (
            lambda case, _rng, mode=mode: cell_per_line_text(case, mode)
        )
        for mode in ("merged", "split")
    },
    "group-label-twice": lambda case, _rng: word_cells_text(case),
    "pipes-spacers": lambda case, rng: pipe_text(case, rng, spacers=True),
    "nbsp-blanks": nbsp_blanks_text,
    "one-value-per-line": one_value_per_line_text,
}


def route_text(route: str, case: Case) -> str:
    return ROUTES[route](case, case_rng(case, route))


@pytest.mark.parametrize("code", FORMAT_CODES)
@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("seed", SEEDS)
def test_layout(
    seed: int, route: str, code: str, request: pytest.FixtureRequest
) -> None:
    case = corpus_case(seed, code)
    not_yet(request, route, case)
    text = route_text(route, case)
    assert_text_exact(case, route, text, read_text(case, text, route))


@pytest.mark.parametrize(
    ("route", "seed", "code"),
    sorted(
        (route, seed, code)
        for route, (_reason, cases) in NOT_YET.items()
        for seed, code in cases
    ),
)
def test_what_is_not_read_yet_is_missing_and_said_never_wrong(
    route: str, seed: int, code: str
) -> None:
    """The cases above that fail: a value is left blank, never put in another
    cell, and the preview says which lines it could not read."""
    case = corpus_case(seed, code)
    result = read_text(case, route_text(route, case), route)
    wrong = {
        c: (expected, result.cells.get(c))
        for c, expected in case.values.items()
        if result.cells.get(c) is not None and result.cells.get(c) != expected
    }
    assert not wrong, f"{case.name} route={route}: values in wrong cells {wrong}"
    assert result.unplaced_lines, f"{case.name} route={route}: nothing said"
