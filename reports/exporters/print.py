"""One report as a page to print, sign and stamp (HTML, A4 print stylesheet).

The report's title, its parts in the format's order with their text as
entered (format B's parts 二–四 with their tables), format A's table after
the text, the signatories and a box for the seal. The tables are those of
``printed``, drawn with the official form's merged headings. The template is
templates/admin/reports/annualreport/print.html; Django escapes every text.
"""

from typing import Any

from django.template.loader import render_to_string

from reports.exporters.parts import (
    report_parts,
    report_title,
    signatory_text,
    table_heading,
)
from reports.exporters.printed import printed_tables
from reports.models import AnnualReport
from reports.selectors import report_signatories, report_values
from reports.tables import SIGNATORIES

TEMPLATE = "admin/reports/annualreport/print.html"


def print_context(report: AnnualReport) -> dict[str, Any]:
    table_format = report.table_format
    tables = printed_tables(table_format, report_values(report))
    parts, appendix = report_parts(table_format, report.sections or {}, tables)
    heading, year_line = table_heading(table_format, report.table_year or report.year)
    signatories = report_signatories(report)
    return {
        "report": report,
        "title": report_title(report.agency.name, report.year),
        "parts": parts,
        "appendix": appendix,
        "appendix_heading": heading,
        "appendix_year": year_line,
        "signatories": [
            (label, signatory_text(signatories.get(key))) for key, label in SIGNATORIES
        ],
    }


def render_print(report: AnnualReport, context: dict[str, Any] | None = None) -> str:
    """The page's HTML; ``context`` adds what a request knows (the way back)."""
    return render_to_string(TEMPLATE, {**print_context(report), **(context or {})})
