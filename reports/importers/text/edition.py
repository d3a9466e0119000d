"""Which edition a table was printed on, told by its column headings.

A 2022 report printed on the 2019 trial template (本年新制作数量, 本年增/减,
政府集中采购) has rows named like the 2021 edition's ("规章") whose cells
mean something else: read by position, they would land in cells of other
meanings. The headings and row labels that only one format prints (read
from the formats' declarations, nothing written here) tell the edition;
``edition_check`` compares it with the format the report's year calls for.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from reports.importers.labels import squeeze
from reports.tables import FORMATS, ListTable, TableFormat

MIN_MARKERS = 2
MAX_LINE = (
    300  # a longer line is prose  # distinct headings of one edition that name it
)


@cache
def _markers() -> dict[str, str]:
    """Printed heading or label (NFKC, no spaces) → the one format printing it."""
    words: dict[str, set[str]] = {}
    for table_format in FORMATS.values():
        for table in table_format.tables:
            if not isinstance(table, ListTable):
                continue
            for cell in table.cells():
                for text in (cell.column, cell.label):
                    if text and "·" not in text:
                        words.setdefault(squeeze(text), set()).add(table_format.code)
    return {word: next(iter(codes)) for word, codes in words.items() if len(codes) == 1}


@cache
def _pattern() -> re.Pattern[str]:
    names = sorted(_markers(), key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?:^|(?<=[\s|｜]))({alternatives})(?=$|[\s|｜])", re.M)


@dataclass(frozen=True)
class Edition:
    code: str
    headings: tuple[str, ...]  # as found, in order


def found_edition(lines: list[str]) -> Edition | None:
    """The format whose own headings the text prints most (at least
    ``MIN_MARKERS`` of them), else None."""
    markers = _markers()
    table_lines = (line for line in lines if len(line) < MAX_LINE and "。" not in line)
    text = unicodedata.normalize("NFKC", "\n".join(table_lines))
    found: dict[str, list[str]] = {}
    for match in _pattern().finditer(text):
        heading = match.group(1)
        names = found.setdefault(markers[heading], [])
        if heading not in names:
            names.append(heading)
    if not found:
        return None
    code, headings = max(found.items(), key=lambda item: len(item[1]))
    if len(headings) < MIN_MARKERS:
        return None
    return Edition(code, tuple(headings))


def edition_check(chosen: TableFormat, edition: Edition | None) -> TableFormat | None:
    """The format the headings show, when it is another edition of
    ``chosen`` (a format A table under a format B year is
    ``text_format_mismatch``'s business)."""
    if edition is None or edition.code == chosen.code:
        return None
    if edition.code[0] != chosen.code[0]:
        return None
    return FORMATS[edition.code]
