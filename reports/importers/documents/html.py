"""Reading a web page: an uploaded .html file, or the HTML a browser puts on
the clipboard when a clerk copies from a published report.

lxml's HTML parser reads the markup as a browser would (unclosed tags,
missing ``<tbody>``), with no network and no entities. Scripts, styles, forms,
embedded objects and hidden elements are left out. Block elements and ``<br>``
end a line; every other element's text runs on. A table's rows and cells are
laid out on a grid with their ``rowspan`` and ``colspan`` (the text in the
top-left slot, the slots it covers blank); a table that holds a table, or
has one column, is page layout, and its content is read as lines.
"""

import codecs
import re

from lxml import etree
from lxml import html as lxml_html

from reports.importers.documents.model import (
    MAX_SPAN,
    Document,
    DocumentError,
    GridBuilder,
    Table,
    clean,
)

SKIPPED = frozenset(
    "script style noscript template head title iframe frame frameset object "
    "embed applet svg math canvas video audio map select option textarea button "
    "input meta link base".split()
)
BLOCKS = frozenset(
    "html body div p h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header "
    "footer main aside nav blockquote pre address figure figcaption center form "
    "fieldset hr caption tr td th thead tbody tfoot dl".split()
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]*charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TABLE = re.compile(r"<\s*table\b", re.IGNORECASE)
_HTML = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|table|div|p|meta|title)\b", re.IGNORECASE
)
_GB = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "hz-gb-2312"})


def looks_like_html(text: str) -> bool:
    """Markup from its first characters: "<!DOCTYPE html", "<html", "<table"…"""
    head = text.lstrip("\ufeff \t\r\n")[:1024]
    return head.startswith("<") and bool(_HTML.search(head))


def has_table(text: str) -> bool:
    return bool(_TABLE.search(text))


def decode_html(data: bytes) -> str:
    """A page's text: its byte-order mark, else its ``<meta charset>``, else
    UTF-8, else GB18030."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode(data, [encoding])
    encodings = ["utf-8", "gb18030"]
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in _GB else name
        try:
            encodings.insert(0, codecs.lookup(name).name)
        except LookupError:
            pass
    return _decode(data, encodings)


def _decode(data: bytes, encodings: list[str]) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("网页的编码无法识别：请另存为 UTF-8 编码的网页后再上传。")


def read_html(source: str) -> Document:
    """The page's lines and tables, in order."""
    source = _XML_DECLARATION.sub("", source.replace("\x00", ""), count=1)
    if not source.strip():
        return Document("html")
    parser = lxml_html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, default_doctype=False
    )
    try:
        root = lxml_html.document_fromstring(source, parser=parser)
    except (etree.ParserError, ValueError):
        return Document("html")
    walker = _Walker()
    try:
        walker.flow(root)
    except RecursionError:
        raise DocumentError("网页的标签嵌套过深，无法读取。") from None
    walker.flush()
    return Document("html", walker.blocks)


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _hidden(element: etree._Element) -> bool:
    return element.get("hidden") is not None or bool(
        _HIDDEN.search(element.get("style") or "")
    )


def _span(value: str | None, zero: int = 1) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    if digits is None:
        return 1
    number = int(digits.group(1)[:6])
    return min(zero if number == 0 else number, MAX_SPAN)


def _rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows += [tr for tr in child if _tag(tr) == "tr"]
    return rows


class _Walker:
    """Collects lines and tables in reading order."""

    def __init__(self, tables: list[int] | None = None) -> None:
        self.blocks: list[str | Table] = []
        self.line: list[str] = []
        self.tables = tables if tables is not None else [0]  # shared count

    def flush(self) -> None:
        text = clean("".join(self.line))
        self.line = []
        if text:
            self.blocks.append(text)

    def visit(self, element: etree._Element) -> None:
        tag = _tag(element)
        if not tag or tag in SKIPPED or _hidden(element):
            return
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(element)
            self.flush()
        elif tag == "dt":  # a term runs on into its description: "审核人：张三"
            self.flush()
            self.flow(element)
        elif tag == "dd":
            self.flow(element)
            self.flush()
        elif tag in BLOCKS:
            self.flush()
            self.flow(element)
            self.flush()
        else:
            self.flow(element)

    def flow(self, element: etree._Element) -> None:
        """The element's own text and its children's, in order."""
        if element.text:
            self.line.append(element.text)
        for child in element:
            self.visit(child)
            if child.tail:
                self.line.append(child.tail)

    def cell_text(self, cell: etree._Element) -> str:
        inner = _Walker(self.tables)
        inner.flow(cell)
        inner.flush()
        return " ".join(b for b in inner.blocks if isinstance(b, str))

    def table(self, element: etree._Element) -> None:
        rows = _rows(element)
        for child in element:
            if _tag(child) == "caption" and not _hidden(child):
                self.visit(child)
        if not rows or element.xpath(".//table"):  # layout: read as lines
            for row in rows:
                for cell in row:
                    if _tag(cell) in ("td", "th") and not _hidden(cell):
                        self.visit(cell)
            return
        number = self.tables[0] + 1
        name = f"第 {number} 个表格"
        grid = GridBuilder(name, len(rows))
        for r, row in enumerate(rows):
            if _hidden(row):
                continue
            for cell in row:
                if _tag(cell) in ("td", "th") and not _hidden(cell):
                    grid.place(
                        r,
                        self.cell_text(cell),
                        _span(cell.get("colspan")),
                        _span(cell.get("rowspan"), zero=len(rows)),
                    )
        placed = grid.rows()
        if grid.width <= 1:  # one column: lines in a box
            self.blocks += [row[0] for row in placed if row and row[0]]
            return
        self.tables[0] = number
        self.blocks.append(Table(placed, name))
