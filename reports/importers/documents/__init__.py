"""Import from a report's document: a web page, a Word file, a PDF or text.

``parse_document`` is the one entry point: it tells the kind by the content,
never by the file name (HTML markup, a Word ``.docx`` package, the PDF magic,
else text in UTF-8 or GB18030), turns the document into paragraphs and tables
(``html``, ``word``, ``pdf``: the structure is read where it exists, the
table's rows and columns as a grid) and matches them to the form (``match``),
giving the same ``TextImport`` as pasted text or the official-layout sheet.
A spreadsheet (.xlsx) goes to the official-layout reader.

Refused, each with a ``DocumentError`` whose ``message`` is Chinese: an empty
file, one over the size limit (told before anything is read), an old Word
``.doc``, a zip bomb, a PDF without a text layer (a scan), an encrypted or
broken file, an image or an archive.
"""

from reports.importers.documents.html import decode_html, has_table, read_html
from reports.importers.documents.match import document_import, document_text
from reports.importers.documents.model import Document, DocumentError, Table
from reports.importers.documents.read import (
    DOCUMENT_KINDS,
    detect_kind,
    parse_document,
    parse_html,
)

__all__ = [
    "DOCUMENT_KINDS",
    "Document",
    "DocumentError",
    "Table",
    "decode_html",
    "detect_kind",
    "document_import",
    "document_text",
    "has_table",
    "parse_document",
    "parse_html",
    "read_html",
]
