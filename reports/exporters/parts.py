"""The report around its tables: its title, its parts, the signatory lines.

Shared by the print page (``print``) and the Word report (``docx``), and the
signatory lines and heading by the XLSX (``official``) too, so that the three
say the same. A part is a narrative section of the format, in order, with its
text as entered split into paragraphs at blank lines, and, for format B's
parts 二–四, its table.
"""

import re
from dataclasses import dataclass
from datetime import date

from reports.exporters.printed import NUMERALS, PrintedTable
from reports.tables import SIGNATORIES, TableFormat

# The heading of a format without a table title of its own (format B's tables
# are parts of the report).
REPORT_TABLES_TITLE = "政府信息公开工作年度报告统计表"
SIGNATORY_GAP = "\u3000\u3000"
_NUMBERED = re.compile(rf"^\s*(?:[{NUMERALS}]+、|[（(][{NUMERALS}]+[)）])")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


@dataclass
class Part:
    """A part of the report: its heading, its text as entered, its table."""

    title: str
    paragraphs: list[list[str]]  # each paragraph's lines
    table: PrintedTable | None = None


def table_heading(table_format: TableFormat, year: int) -> tuple[str, str]:
    """The title over the tables and the year line under it."""
    return table_format.title or REPORT_TABLES_TITLE, f"（{year}年度）"


def report_title(agency_name: str, year: int) -> str:
    return f"{agency_name}{year}年政府信息公开工作年度报告"


def chinese_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def signatory_text(value: object) -> str:
    if value is None:
        return ""
    return chinese_date(value) if isinstance(value, date) else str(value)


def signatory_lines(signatories: dict[str, object]) -> list[str]:
    """The two lines printed under the table: who signed, then phone and date."""
    labelled = [
        f"{label}：{signatory_text(signatories.get(key))}" for key, label in SIGNATORIES
    ]
    return [SIGNATORY_GAP.join(labelled[:3]), SIGNATORY_GAP.join(labelled[3:])]


def paragraphs(text: str) -> list[list[str]]:
    """Text as entered, split into paragraphs at blank lines; each paragraph
    keeps its line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result = []
    for chunk in _BLANK_LINE.split(text):
        lines = [line.strip() for line in chunk.strip().split("\n")]
        if any(lines):
            result.append([line for line in lines if line])
    return result


def report_parts(
    table_format: TableFormat, sections: dict[str, object], tables: list[PrintedTable]
) -> tuple[list[Part], list[PrintedTable]]:
    """The parts in the format's order, each with its table (format B's
    二–四), and the tables that belong to no part (format A's, printed after
    the text). Parts are numbered 一、二、… where the format's titles are not."""
    by_key = {table.key: table for table in tables}
    parts = []
    for number, section in enumerate(table_format.sections):
        title = section.title
        if not _NUMBERED.match(title) and number < len(NUMERALS):
            title = f"{NUMERALS[number]}、{title}"
        text = sections.get(section.key) if isinstance(sections, dict) else None
        parts.append(
            Part(
                title=title,
                paragraphs=paragraphs(text) if isinstance(text, str) else [],
                table=by_key.pop(section.table, None) if section.table else None,
            )
        )
    return parts, list(by_key.values())
