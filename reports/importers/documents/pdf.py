"""Reading a PDF that has a text layer, with pdfplumber.

Each page's tables are found by their ruled lines and read as grids (a merged
cell's text in its top-left slot, the rest blank); the page's other text is
read as lines, and both are put in order from the top of the page. A table
that runs on to the next page, at the top of which it goes on with as many
columns, is one table: its heading rows repeated on the new page are dropped.

A PDF without a text layer (a scan) is refused: its text cannot be read here.
So are an encrypted or broken PDF, and one of more than ``MAX_PAGES`` pages.
"""

import io
import logging
from typing import Any

import pdfplumber

from reports.importers.documents.model import Document, DocumentError, Table, clean

# pdfminer logs a warning for every font without a bounding box (Chromium's).
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MAX_PAGES = 100
MIN_TEXT_CHARS = 10  # fewer characters in the whole PDF: a scan
SCANNED = "这是扫描件（没有文字层），无法读取；请上传文字版 PDF、Word 或网页"
_NEAR_TOP = 0.2  # of the page: a table starting above goes on from the last page


def read_pdf(data: bytes, label: str = "文件") -> Document:
    """The PDF's lines and tables, in order."""
    broken = f"{label}已损坏或已加密，无法读取：请上传未加密的文字版 PDF、Word 或网页。"
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise DocumentError(
                    f"{label}共 {len(pdf.pages)} 页，超过上限 {MAX_PAGES} 页："
                    "请只上传年度报告本身。"
                )
            blocks: list[str | Table] = []
            chars = 0
            for number, page in enumerate(pdf.pages, 1):
                chars += sum(1 for c in page.chars if c.get("text", "").strip())
                _page(page, number, blocks)
                page.close()
    except DocumentError:
        raise
    except Exception:  # pdfminer fails in many ways on a broken or locked file
        raise DocumentError(broken) from None
    if chars < MIN_TEXT_CHARS:
        raise DocumentError(SCANNED)
    return Document("pdf", blocks)


def _inside(obj: dict[str, Any], boxes: list[tuple[float, ...]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _in_table(obj: dict[str, Any], boxes: list[tuple[float, ...]]) -> bool:
    return obj.get("object_type") == "char" and _inside(obj, boxes)


def _lines(page: Any) -> list[tuple[float, str]]:  # noqa: ANN401
    """The page's lines of text, top to bottom, as (top, text). Words whose
    middles lie within a line's height are on it: the digits of a title sit
    higher or lower than its Chinese characters, in another font."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(page.extract_words(), key=lambda w: (w["top"], w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        line = lines[-1] if lines else None
        if line and min(w["top"] for w in line) <= middle <= max(
            w["bottom"] for w in line
        ):
            line.append(word)
        else:
            lines.append([word])
    found = []
    for line in lines:
        text = clean(" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])))
        if text:
            found.append((min(w["top"] for w in line), text))
    return found


def _page(page: Any, number: int, blocks: list[str | Table]) -> None:  # noqa: ANN401
    # A row that a page break moved to the next page lost its top line (it
    # was the bottom line of the row above, on the last page), and one cut
    # at the page's foot its bottom line: the ends of the vertical rules close
    # them.
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    ends = (
        [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]
        if verticals
        else []
    )
    found = page.find_tables({"explicit_horizontal_lines": ends})
    boxes = [tuple(t.bbox) for t in found]
    items: list[tuple[float, int, str | Table]] = []
    for k, table in enumerate(found, 1):
        rows = [[clean(cell) or None for cell in row] for row in table.extract()]
        items.append((table.bbox[1], 0, Table(rows, f"第 {number} 页第 {k} 个表格")))
    for top, text in _lines(page.filter(lambda obj: not _in_table(obj, boxes))):
        items.append((top, 1, text))
    items.sort(key=lambda item: (item[0], item[1]))
    for top, _order, block in items:
        last = blocks[-1] if blocks else None
        if (
            isinstance(block, Table)
            and isinstance(last, Table)
            and top < page.height * _NEAR_TOP
            and block is items[0][2]
            and len(block.rows[0]) == len(last.rows[0])
        ):
            last.rows += _without_heading(block.rows, last.rows)
            continue
        blocks.append(block)


def _without_heading(
    rows: list[list[str | None]], first: list[list[str | None]]
) -> list[list[str | None]]:
    """The rows of a table's next page, without the heading rows it repeats."""
    repeated = 0
    while repeated < min(len(rows), len(first)) and rows[repeated] == first[repeated]:
        repeated += 1
    return rows[repeated:]
