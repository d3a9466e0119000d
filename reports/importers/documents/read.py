"""The one entry point: a file's bytes, whatever kind, to one preview."""

from reports.importers.documents.html import decode_html, looks_like_html, read_html
from reports.importers.documents.match import document_import
from reports.importers.documents.model import DocumentError
from reports.importers.documents.pdf import read_pdf
from reports.importers.documents.word import read_docx
from reports.importers.official import parse_official_sheet
from reports.importers.sheets import (
    MAGIC,
    SpreadsheetError,
    decode_text,
    read_sheets,
    upload_limit_bytes,
)
from reports.importers.text import TextImport, TextImportError, parse_report_text
from reports.tables import TableFormat, format_for_year

# What ``detect_kind`` tells: text, a web page, a Word document, a PDF, a
# workbook (read as the official-layout sheet).
DOCUMENT_KINDS = ("text", "html", "docx", "pdf", "xlsx")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF-"
HINT = "请上传文字版 PDF、Word 文档（.docx）、网页（.html）或文本文件（.txt）"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} 字节"


def _label(filename: str) -> str:
    return f"“{filename}”" if filename else "文件"


def detect_kind(data: bytes, filename: str = "") -> str:
    """The kind of a document, from its content; DocumentError for a kind
    that cannot be read (an old .doc, an image, an archive)."""
    label = _label(filename)
    if PDF_MAGIC in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if b"word/" in data:  # the member names are stored in the clear
            return "docx"
        if b"xl/" in data:
            return "xlsx"
        raise DocumentError(f"{label}是压缩包或不认识的文件：{HINT}。")
    if data.startswith(OLE):
        raise DocumentError(
            f"{label}不是文本文件，也不是 Word 文档（.docx）：看起来是旧版 Word "
            "文档（.doc）、旧版 Excel 文件或加密的文档，无法读取：请在 Word 中打开，"
            "另存为“Word 文档（*.docx）”后再上传。"
        )
    for magic, kind, _convertible in MAGIC:
        if data.startswith(magic):
            raise DocumentError(
                f"{label}是二进制文件（看起来是{kind}），"
                f"不是文本文件、网页、Word 文档或 PDF：{HINT}。"
            )
    head = data[:4096]
    try:
        start = decode_html(head[: len(head) - 4])  # a character cut at the end
    except DocumentError:
        start = ""
    return "html" if looks_like_html(start or head.decode("latin-1")) else "text"


def parse_document(
    data: bytes,
    filename: str = "",
    *,
    table_format: TableFormat | None = None,
    year: int | None = None,
    max_bytes: int | None = None,
) -> TextImport:
    """Read a report from a file of any kind it may come as; see the package."""
    label = _label(filename)
    if not data:
        raise DocumentError(f"{label}是空的（0 字节）：请选择报告文件。")
    limit = upload_limit_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise DocumentError(
            f"{label}大小为 {_size(len(data))}，超过了上限 {_size(limit)}。"
        )
    kind = detect_kind(data, filename)
    if kind == "pdf":
        document = read_pdf(data, label)
    elif kind == "docx":
        document = read_docx(data, label)
    elif kind == "html":
        return parse_html(decode_html(data), table_format=table_format, year=year)
    elif kind == "xlsx":
        try:
            sheets = read_sheets(data, filename=filename, max_bytes=limit)
        except SpreadsheetError as error:
            raise DocumentError(error.message) from None
        return parse_official_sheet(
            sheets, table_format=_sheet_format(table_format, year), year=year
        )
    else:
        if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DocumentError(
                f"{label}不是文本文件（含二进制内容），"
                f"也不是网页、Word 文档或 PDF：{HINT}。"
            )
        try:
            text = decode_text(data, label)
        except SpreadsheetError as error:
            raise DocumentError(error.message) from None
        return _text(text, table_format=table_format, year=year)
    return document_import(document, table_format=table_format, year=year)


def parse_html(
    html: str, *, table_format: TableFormat | None = None, year: int | None = None
) -> TextImport:
    """Read a report from a web page's HTML (a file's, or the clipboard's)."""
    return document_import(read_html(html), table_format=table_format, year=year)


def _text(
    text: str, *, table_format: TableFormat | None, year: int | None
) -> TextImport:
    try:
        return parse_report_text(text, table_format=table_format, year=year)
    except TextImportError as error:
        raise DocumentError(str(error)) from None


def _sheet_format(table_format: TableFormat | None, year: int | None) -> TableFormat:
    """A sheet is read in a format given, or the year's: it has no title."""
    if table_format is not None:
        return table_format
    try:
        if year is not None:
            return format_for_year(year)
    except KeyError:
        pass
    raise DocumentError("读取电子表格需要指定报告年度或统计表格式。")
