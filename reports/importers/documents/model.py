"""What every reader of a document gives: its paragraphs and tables, in order.

A ``Table`` is a grid as a spreadsheet holds it: rectangular, one string per
slot, None for a blank; a merged cell's text in its top-left slot and the
slots it covers blank, as Excel shows a merged range (the official-layout
matcher needs each heading once, in its first column). A paragraph is one line
of text. Every refusal is a ``DocumentError`` whose ``message`` is Chinese.
"""

import unicodedata
from dataclasses import dataclass, field

MAX_GRID_CELLS = 200_000  # slots of one table, after spans are expanded
MAX_SPAN = 1_000  # columns or rows one cell may span (HTML's own colspan cap)


# CJK radicals that PDFs (Chromium's, Word's with some fonts) put in the text
# layer for the ideograph drawn with the same glyph: "⻰" for "龙". Unicode's
# EquivalentUnifiedIdeograph.txt, for the forms that stand as characters; the
# Kangxi radicals (U+2F00–U+2FD5) are NFKC's.
RADICALS = str.maketrans(
    "⺠⻄⻅⻆⻉⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "民西见角贝车長长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
)


class DocumentError(ValueError):
    """A document nianbao refuses to read; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """One table: ``rows[i]`` is its row *i + 1*; ``name`` says where it is
    ("第 2 个表格", "第 3 页第 1 个表格")."""

    rows: list[list[str | None]]
    name: str = ""


@dataclass
class Document:
    """A document's blocks in reading order: ``str`` (a line) or ``Table``."""

    kind: str  # "html", "docx" or "pdf"
    blocks: list[str | Table] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def clean(text: str | None) -> str:
    """Text of a cell or line: whitespace runs as one space, trimmed, and the
    Kangxi radicals some PDFs use for ideographs ("⽇" for "日") as ideographs."""
    if not text:
        return ""
    text = "".join(
        unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch
        for ch in text.translate(RADICALS)
    )
    return " ".join(text.replace("\u200b", "").split())


class GridBuilder:
    """Places cells with row and column spans into a rectangular grid."""

    def __init__(self, label: str, row_count: int) -> None:
        self.label = label
        self.row_count = row_count  # rows of the table: no span goes past them
        self.slots: dict[tuple[int, int], str | None] = {}
        self.width = 0
        self.height = 0

    def place(self, row: int, text: str, colspan: int = 1, rowspan: int = 1) -> None:
        """The cell at the first free slot of ``row`` (from 0)."""
        column = 0
        while (row, column) in self.slots:
            column += 1
        colspan = min(max(colspan, 1), MAX_SPAN)
        rowspan = min(max(rowspan, 1), MAX_SPAN, max(self.row_count - row, 1))
        if len(self.slots) + colspan * rowspan > MAX_GRID_CELLS:
            raise DocumentError(
                f"{self.label}过大（超过 {MAX_GRID_CELLS} 个单元格），已拒绝读取。"
            )
        for dr in range(rowspan):
            for dc in range(colspan):
                self.slots[(row + dr, column + dc)] = None
        self.slots[(row, column)] = clean(text) or None
        self.width = max(self.width, column + colspan)
        self.height = max(self.height, row + 1)

    def rows(self) -> list[list[str | None]]:
        """The rows placed, as wide as the widest (a span past the last row
        started is cut)."""
        return [
            [self.slots.get((r, c)) for c in range(self.width)]
            for r in range(self.height)
        ]
