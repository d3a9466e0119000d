"""Label normalisation and matching, shared by every importer.

A label as printed in a real table differs from the official wording in ways
that do not matter: traditional characters, full-width digits and brackets,
spaces and non-breaking spaces, "1、" or "1." or "(一)" numbering, a "其中:"
prefix, a parenthesised note that may be left out. ``normalise`` removes those
differences and gives the *strict* key; ``loose_key`` also drops trailing
notes. A ``LabelIndex`` maps the keys of one format's official labels and
their declared variants (``reports.tables``) to ``Row``s: a row holds the codes
of the cells printed on it (one in format A, seven in a row of format B's
table 三) or none for a header. Labels that occur twice in a format (format A's
"(二)被依法纠错数" under both 四 and 五) are told apart by the row that came
before them, never guessed: ``LabelIndex.resolve`` raises
``AmbiguousLabelError`` when the context does not decide.
"""

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

import opencc

from reports.layout import label_depth
from reports.tables import Cell, GridTable, Header, ListTable, TableFormat


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s); line breaks are kept."""
    return _converter().convert(text) if text else text


_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_QUOTES = re.compile("[“”‘’\"'「」『』]")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、](?!\d)|\d+\))"
)
_OF_WHICH = re.compile(r"^其中[:,]?")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")
_OPEN_NOTE = re.compile(r"\([^()]*$")


def squeeze(text: str) -> str:
    """NFKC (full-width → half-width, （）→ ()) without any whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def has_numbering(text: str) -> bool:
    """Whether the text starts with "一、", "(一)", "1." or "1、"."""
    return bool(_NUMBERING.match(squeeze(text)))


_NUMERALS = {numeral: n for n, numeral in enumerate("一二三四五六七八九", 1)}


def numbering_of(text: str) -> int | None:
    """The number a label is numbered with ("(三)", "三、", "3." → 3), or None
    (no numbering, or numerals that make no number: "十十、")."""
    found = _NUMBERING.match(squeeze(text))
    if not found:
        return None
    digits = re.sub(r"[()、.]", "", found.group())
    if digits.isdigit():
        return int(digits)
    if digits in _NUMERALS:
        return _NUMERALS[digits]
    tens, ten, units = digits.partition("十")
    if not ten or any(part and part not in _NUMERALS for part in (tens, units)):
        return None
    return _NUMERALS.get(tens, 1) * 10 + _NUMERALS.get(units, 0)


def numbering_agrees(printed: str, label: str) -> bool:
    """Whether a printed label's numbering may be the official label's: the
    same number, or either has none ("2.其他" is not "3.其他")."""
    mine, theirs = numbering_of(printed), numbering_of(label)
    return mine is None or theirs is None or mine == theirs


@lru_cache(maxsize=1 << 14)
def simplified_key(text: str) -> str:
    """``normalise`` for text that is already in simplified characters."""
    key = _QUOTES.sub("", squeeze(text))
    stripped = _OF_WHICH.sub("", _NUMBERING.sub("", key))
    if stripped != key:  # "(一)其中:…", "其中:1.…"
        stripped = _OF_WHICH.sub("", _NUMBERING.sub("", stripped))
    return stripped.rstrip(":")


def normalise(text: str) -> str:
    """The strict key of a label: simplified, half-width, no spaces or numbering.

    "（一）主动公開政府信息數 (不同渠道…)" → "主动公开政府信息数(不同渠道…)".
    """
    return simplified_key(to_simplified(text))


@lru_cache(maxsize=1 << 14)
def loose_key(key: str) -> str:
    """A strict key without trailing notes and book-title marks.

    "主动公开政府信息数(不同渠道和方式公开相同信息计1条)" → "主动公开政府信息数";
    an unclosed trailing note (a label broken across lines) is dropped too.
    """
    text = key.replace("《", "").replace("》", "")
    previous = None
    while previous != text:
        previous = text
        text = _OPEN_NOTE.sub("", _TRAILING_NOTE.sub("", text))
    return text or key


@dataclass(frozen=True)
class Row:
    """A printed row: a label and the codes of the cells on it (none: header)."""

    key: str
    label: str
    codes: tuple[str, ...]
    table: str
    position: int  # order in the official form
    section: int  # position of the row that opens its section (indent 0)
    # Label columns the label spans after its own in the official layout
    # (table 三: "二、上年结转…" spans all three, "1.属于国家秘密" only its own).
    span: int = 0

    @property
    def is_header(self) -> bool:
        return not self.codes


class _HeaderSentinel:
    def __repr__(self) -> str:
        return "HEADER"


HEADER: Final = _HeaderSentinel()  # what ``code_for`` returns for a header row


class AmbiguousLabelError(LookupError):
    """A label that several rows share and the context does not decide."""

    def __init__(self, text: str, candidates: list[Row]) -> None:
        self.candidates = candidates
        names = "、".join(row.codes[0] if row.codes else row.key for row in candidates)
        super().__init__(f"“{text}”可能是 {names}，无法根据上下文确定。")


@dataclass(frozen=True)
class TitleMatch:
    table: str  # the table's key, "" for the format's own title
    year: int | None  # a year printed in the title line itself


_YEAR_IN_TITLE = re.compile(r"\(?((?:19|20)\d{2})年度?\)?")


class LabelIndex:
    """The labels, variants, titles and column headings of one format."""

    def __init__(self, table_format: TableFormat) -> None:
        self.format = table_format
        self.rows: list[Row] = []
        self._strict: dict[str, list[Row]] = {}
        self._loose: dict[str, list[Row]] = {}
        self._furniture: set[str] = set()
        self._titles: dict[str, str] = {}
        for title in (table_format.title, *table_format.title_variants):
            if title:
                self._titles[normalise(title)] = ""
        for table in table_format.tables:
            self._titles.setdefault(normalise(table.title), table.key)
            if isinstance(table, GridTable):
                self._add_grid(table)
            else:
                self._add_list(table)

    # --- building -----------------------------------------------------------

    def _new_row(
        self,
        key: str,
        label: str,
        codes: tuple[str, ...],
        table: str,
        section: int,
        span: int = 0,
    ) -> Row:
        row = Row(key, label, codes, table, len(self.rows), section, span)
        self.rows.append(row)
        return row

    def _index(self, row: Row, texts: Iterable[str]) -> None:
        for text in texts:
            strict = normalise(text)
            for mapping, key in (
                (self._strict, strict),
                (self._loose, loose_key(strict)),
            ):
                bucket = mapping.setdefault(key, [])
                if row not in bucket:
                    bucket.append(row)
            if "·" in text:  # 行政诉讼·复议后起诉: also "复议后起诉"
                self._index(row, [text.rsplit("·", 1)[1], text.replace("·", "")])

    def _furnish(self, texts: Iterable[str]) -> None:
        for text in texts:
            if text:
                strict = normalise(text)
                self._furniture.update({strict, loose_key(strict)})

    def _add_grid(self, table: GridTable) -> None:
        section = len(self.rows)
        depth = label_depth(r.indent for r in table.rows)
        for grid_row in table.rows:
            if grid_row.indent == 0:
                section = len(self.rows)
            codes = (
                ()
                if grid_row.header
                else tuple(table.code(grid_row.key, c.key) for c in table.columns)
            )
            row = self._new_row(
                f"{table.prefix}_{grid_row.key}",
                grid_row.label,
                codes,
                table.key,
                section,
                depth - 1 - grid_row.indent,
            )
            self._index(row, (grid_row.label, *grid_row.variants))
        self._furnish(c.label for c in table.columns)
        self._furnish(c.group for c in table.columns)
        self._furnish((table.corner, table.note))

    def _add_list(self, table: ListTable) -> None:
        section = len(self.rows)
        groups: list[list[Cell | Header]] = []
        for item in table.rows:
            previous = groups[-1][-1] if groups else None
            if (
                isinstance(item, Cell)
                and item.row
                and isinstance(previous, Cell)
                and previous.row == item.row
            ):
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            first = group[0]
            if first.indent == 0:
                section = len(self.rows)
            if isinstance(first, Header):
                row = self._new_row(
                    f"{table.key}:h{len(self.rows)}",
                    first.label,
                    (),
                    table.key,
                    section,
                )
            else:
                codes = tuple(c.code for c in group if isinstance(c, Cell))
                key = f"{table.key}_{first.row}" if first.row else first.code
                row = self._new_row(key, first.label, codes, table.key, section)
            self._index(row, (first.label, *first.variants))
            if "·" in first.label:
                prefix = first.label.split("·", 1)[0]
                if not self.lookup(prefix):
                    header = self._new_row(
                        f"{table.key}:h{len(self.rows)}", prefix, (), table.key, section
                    )
                    self._index(header, [prefix])
        self._furnish(table.columns)
        self._furnish(c.column for c in table.cells())

    # --- matching -----------------------------------------------------------

    def lookup_key(self, key: str) -> list[Row]:
        """The rows whose label has this strict key (or, failing that, loose key)."""
        return list(self._strict.get(key) or self._loose.get(loose_key(key)) or ())

    def lookup(self, text: str) -> list[Row]:
        """The rows a printed label may be, in the order of the form."""
        return self.lookup_key(normalise(text))

    def resolve_key(
        self,
        key: str,
        *,
        context: Row | None = None,
        seen: Collection[str] = (),
        text: str = "",
    ) -> Row | None:
        """The one row a label is, given the row before it and the rows seen.

        Among several candidates, the one in the section of ``context`` that
        has not been seen yet wins; else the first unseen one after
        ``context``. Raises AmbiguousLabelError when neither decides.
        """
        candidates = self.lookup_key(key)
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        unseen = [row for row in candidates if row.key not in seen]
        if context is not None:
            same = [row for row in unseen if row.section == context.section]
            if len(same) == 1:
                return same[0]
            after = [row for row in unseen if row.position > context.position]
            if after:
                return after[0]
        if len(unseen) == 1 and context is not None:
            return unseen[0]
        raise AmbiguousLabelError(text or key, candidates)

    def resolve(
        self, text: str, *, context: Row | None = None, seen: Collection[str] = ()
    ) -> Row | None:
        return self.resolve_key(normalise(text), context=context, seen=seen, text=text)

    def code_for(self, text: str, *, context: Row | None = None) -> object:
        """The cell code of a one-cell row, HEADER for a header, else None.

        For rows of several cells (format B's grids) use ``resolve``.
        """
        try:
            row = self.resolve(text, context=context)
        except AmbiguousLabelError:
            return None
        if row is None:
            return None
        if row.is_header:
            return HEADER
        return row.codes[0] if len(row.codes) == 1 else None

    def is_furniture_key(self, key: str) -> bool:
        """Whether a key is a column heading, corner or note of a table."""
        return key in self._furniture or loose_key(key) in self._furniture

    def title_key(self, key: str) -> TitleMatch | None:
        """Whether a normalised line is the title of a table of this format.

        Accepts a prefix such as an agency and year ("湘西自治州2017年度政府
        信息公开情况统计表") and a year after it, but not a sentence that
        mentions the table ("详见《…统计表》。").
        """
        if not key or "。" in key or key.startswith("详见") or "《" in key:
            return None
        year_match = _YEAR_IN_TITLE.search(key)
        bare = _YEAR_IN_TITLE.sub("", key)
        bare = re.sub(r"^(?:附件|附表)\d*[:.]?", "", bare)
        for title, table in self._titles.items():
            if bare == title or (bare.endswith(title) and len(bare) - len(title) <= 30):
                return TitleMatch(
                    table, int(year_match.group(1)) if year_match else None
                )
        return None

    def title_of(self, text: str) -> TitleMatch | None:
        return self.title_key(normalise(text))


_INDEXES: dict[str, LabelIndex] = {}


def label_index(table_format: TableFormat) -> LabelIndex:
    """The index of one format, built once per process."""
    index = _INDEXES.get(table_format.code)
    if index is None or index.format is not table_format:
        index = _INDEXES[table_format.code] = LabelIndex(table_format)
    return index
