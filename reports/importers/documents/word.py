"""Reading a Word document (.docx) with python-docx, safely.

The package is checked before python-docx opens it: member count, declared
sizes and ratios (zip bombs), and no DTD or entity in any XML part. The body
is read in order: each paragraph is a line (a manual line break starts a new
one), each table a grid. Word repeats a merged cell in every grid slot it
covers (a horizontal span, and the rows of a vertical one); the repeats are
blanked, so that the text stands once, in the top-left slot, as a merged range
in a spreadsheet. Headers, footers and text boxes are not read.
"""

import io
import re
import zipfile

import docx
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from reports.importers.documents.model import Document, DocumentError, Table, clean

MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # smaller members cannot be bombs: the total caps them
MAX_MEMBERS = 2_000
PROLOG_BYTES = 64 * 1024  # a DTD can only stand before the root element
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
BOMB = "疑似“压缩炸弹”，已拒绝读取"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def check_package(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse a package that is no Word document, or might be a zip bomb."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise DocumentError(
            f"{label}不是 Word 文档（.docx）：请上传 Word 文档、网页、PDF 或文本文件。"
        )
    if len(infos) > MAX_MEMBERS:
        raise DocumentError(f"{label}中的文件超过 {MAX_MEMBERS} 个，{BOMB}。")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise DocumentError(
            f"{label}解压后共 {_size(total)}，超过上限 {_size(MAX_UNCOMPRESSED)}，"
            f"{BOMB}。"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise DocumentError(
                f"{label}中的 {info.filename} 压缩比为 {ratio:.0f}:1，"
                f"超过上限 {MAX_RATIO}:1，{BOMB}。"
            )
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                if _DTD.search(part.read(PROLOG_BYTES)):
                    raise DocumentError(
                        f"{label}中的 {info.filename} 含有 DTD 或实体声明，"
                        "已拒绝读取：请在 Word 中另存后再上传。"
                    )


def read_docx(data: bytes, label: str = "文件") -> Document:
    """The document's lines and tables, in order."""
    broken = (
        f"{label}已损坏或已加密，无法打开：请在 Word 中打开，"
        "另存为“Word 文档（*.docx）”后再上传。"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_package(archive, label)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise DocumentError(broken) from None
    try:
        word = docx.Document(io.BytesIO(data))
        items = list(word.iter_inner_content())
    except DocumentError:
        raise
    except Exception:  # a broken package fails anywhere in python-docx
        raise DocumentError(broken) from None
    blocks: list[str | Table] = []
    for item in items:
        if isinstance(item, Paragraph):
            blocks += [line for line in map(clean, item.text.split("\n")) if line]
        elif isinstance(item, WordTable):
            blocks += _table(item, sum(isinstance(b, Table) for b in blocks) + 1)
    return Document("docx", blocks)


def _table(table: WordTable, number: int) -> list[str | Table]:
    """A table's grid, its merged cells' repeats blank; a table of one column
    is lines in a box."""
    seen: set[object] = set()
    rows: list[list[str | None]] = []
    for row in table.rows:
        cells: list[str | None] = [None] * row.grid_cols_before
        for cell in row.cells:
            tc = cell._tc  # the same element wherever Word repeats a merged cell
            if tc in seen:
                cells.append(None)
                continue
            seen.add(tc)
            cells.append(clean(cell.text) or None)
        rows.append(cells + [None] * row.grid_cols_after)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    if width <= 1:
        return [r[0] for r in rows if r and r[0]]
    return [Table(rows, f"第 {number} 个表格")]
