"""A generated corpus: every route of a document gives back exactly the values.

Random tables of formats A and B (fixed seeds; blanks, zeros, "/" and amounts
to the 万元's sixth decimal among them) are laid out as the official form
prints them (``reports.exporters.printed``) inside a report of random prose,
then written as documents a clerk brings: a web page with merged headings, one
whose merged cells were split into empty cells, the print page nianbao itself
renders, a Word document with merged and with split cells. Each is read with
``parse_document`` and must give back every value, a blank staying blank.
PDFs printed by Chromium from these pages are in tests/browser/
test_documents_pdf.py. A failing case names its seed, format and layout.
"""

import html
import io
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import docx
import pytest
from django.template.loader import render_to_string
from docx.table import Table as WordTable

from reports.exporters.parts import (
    report_parts,
    report_title,
    signatory_lines,
    table_heading,
)
from reports.exporters.printed import PrintedTable, printed_tables
from reports.importers.documents import parse_document
from reports.importers.text import TextImport
from reports.tables import (
    NA,
    SIGNATORIES,
    CellValue,
    TableFormat,
    get_format,
)
from reports.tables.base import ValueType


def corpus_seeds(stop: int) -> range:
    """Seeds 0…``stop`` - 1 in ``make test``; ``CORPUS_FROM``/``CORPUS_TO``
    measure the reader on seeds it was never tuned to (README, "Import")."""
    return range(
        int(os.environ.get("CORPUS_FROM", 0)), int(os.environ.get("CORPUS_TO", stop))
    )


SEEDS = corpus_seeds(4)
AGENCIES = (
    "吉林市统计局龙潭分局",
    "湘西州人民政府办公室",
    "某县自然资源局",
    "市教育局",
)
WORDS = (
    "本机关 坚持 公开为常态 不公开为例外 推进 决策 执行 管理 服务 结果 公开 ".split()
)


@dataclass
class Case:
    """One generated report: its values and what surrounds its tables."""

    seed: int
    table_format: TableFormat
    year: int
    agency: str
    values: dict[str, CellValue]
    sections: dict[str, str]
    signatories: dict[str, object]

    @property
    def name(self) -> str:
        return f"seed={self.seed} format={self.table_format.code}"


def random_value(rng: random.Random, table_format: TableFormat, code: str) -> CellValue:
    cell = table_format.cells[code]
    roll = rng.random()
    if roll < 0.15:
        return None  # blank: missing, and must stay so
    if roll < 0.25:
        return Decimal(0)
    if cell.allows_na and roll < 0.3:
        return NA
    if cell.type is ValueType.AMOUNT:
        places = rng.randint(0, 6)
        return Decimal(rng.randint(0, 10**6)).scaleb(-places)
    return Decimal(rng.randint(1, 10 ** rng.randint(1, 5)))


def make_case(seed: int, code: str) -> Case:
    rng = random.Random(f"{seed}-{code}")  # noqa: S311 - a fixed seed, not a secret
    table_format = get_format(code)
    year = rng.choice([2017, 2018]) if code == "A" else rng.choice([2021, 2022, 2023])
    values = {c: random_value(rng, table_format, c) for c in table_format.cells}
    sections = {
        s.key: "".join(rng.choices(WORDS, k=rng.randint(8, 30))) + "。"
        for s in table_format.sections
    }
    signatories = {
        "signed_head": "包太洋",
        "signed_reviewer": "向小燕",
        "signed_preparer": "彭莹",
        "contact_phone": "0743-8233025",
    }
    return Case(
        seed, table_format, year, rng.choice(AGENCIES), values, sections, signatories
    )


# Rendering --------------------------------------------------------------------


def _parts(case: Case) -> tuple[list, list[PrintedTable], list[PrintedTable]]:
    tables = printed_tables(case.table_format, case.values)
    parts, appendix = report_parts(case.table_format, case.sections, tables)
    return parts, appendix, tables


def table_html(table: PrintedTable, *, split: bool) -> str:
    """A table with its merged cells (``rowspan``/``colspan``), or with every
    merged cell split into its text and empty cells. Its column headings are
    its ``<thead>``, which a browser repeats on every printed page."""
    out = ['<table border="1" style="border-collapse: collapse">']
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        if r == 0 and table.head:
            out.append("<thead>")
        cells = []
        for c, box in enumerate(row):
            if box is None:
                if split and (r, c) in covered:
                    cells.append("<td></td>")
                continue
            text = html.escape(box.text)
            if split:
                for dr in range(box.rowspan):
                    for dc in range(box.colspan):
                        covered.add((r + dr, c + dc))
                cells.append(f"<td>{text}</td>")
                continue
            spans = ""
            if box.colspan > 1:
                spans += f' colspan="{box.colspan}"'
            if box.rowspan > 1:
                spans += f' rowspan="{box.rowspan}"'
            tag = "th" if box.kind in ("head", "group") else "td"
            cells.append(f"<{tag}{spans}>{text}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
        if r == len(table.head) - 1:
            out.append("</thead>")
    out.append("</table>")
    return "\n".join(out)


def page_html(case: Case, *, split: bool = False) -> str:
    """A published report as a web page: title, parts, tables, signatories."""
    parts, appendix, _tables = _parts(case)
    out = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        "<style>td,th{border:1px solid #000;padding:2px}",
        "tr{break-inside:avoid}</style>",
        "<script>document.title = '9999';</script></head><body>",
        f"<h1>{report_title(case.agency, case.year)}</h1>",
    ]
    for part in parts:
        out.append(f"<h2>{html.escape(part.title)}</h2>")
        for paragraph in part.paragraphs:
            out.append("<p>" + "<br>".join(map(html.escape, paragraph)) + "</p>")
        if part.table is not None:
            out.append(table_html(part.table, split=split))
    if appendix:
        heading, year_line = table_heading(case.table_format, case.year)
        out += [f"<h2>{heading}</h2>", f"<p>{year_line}</p>"]
        out.append(f"<p>填报单位：{case.agency}</p>")
        for table in appendix:
            out.append(table_html(table, split=split))
    for line in signatory_lines(case.signatories):
        out.append(f"<p>{html.escape(line)}</p>")
    out.append("</body></html>")
    return "\n".join(out)


def print_page(case: Case) -> str:
    """The print page nianbao renders for a report (its own template)."""
    parts, appendix, _tables = _parts(case)
    heading, year_line = table_heading(case.table_format, case.year)
    report = SimpleNamespace(agency=SimpleNamespace(name=case.agency), pk=1)
    return render_to_string(
        "admin/reports/annualreport/print.html",
        {
            "report": report,
            "title": report_title(case.agency, case.year),
            "parts": parts,
            "appendix": appendix,
            "appendix_heading": heading,
            "appendix_year": year_line,
            "signatories": [
                (label, str(case.signatories.get(key) or ""))
                for key, label in SIGNATORIES
            ],
        },
    )


def _word_table(
    document: docx.document.Document, table: PrintedTable, *, split: bool
) -> WordTable:
    word = document.add_table(rows=len(table.rows), cols=table.width)
    word.style = "Table Grid"
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row):
            if box is None:
                continue
            cell = word.cell(r, c)
            if not split and (box.colspan > 1 or box.rowspan > 1):
                cell = cell.merge(word.cell(r + box.rowspan - 1, c + box.colspan - 1))
            cell.text = box.text
    return word


def word_document(case: Case, *, split: bool = False) -> bytes:
    """The report as a Word document, its tables' headings merged or split."""
    parts, appendix, _tables = _parts(case)
    document = docx.Document()
    document.add_heading(report_title(case.agency, case.year), level=1)
    for part in parts:
        document.add_heading(part.title, level=2)
        for paragraph in part.paragraphs:
            document.add_paragraph("\n".join(paragraph))
        if part.table is not None:
            _word_table(document, part.table, split=split)
    if appendix:
        heading, year_line = table_heading(case.table_format, case.year)
        document.add_paragraph(heading)
        document.add_paragraph(year_line)
        document.add_paragraph(f"填报单位：{case.agency}")
        for table in appendix:
            _word_table(document, table, split=split)
    for line in signatory_lines(case.signatories):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def read(case: Case, data: bytes, filename: str) -> TextImport:
    return parse_document(
        data, filename, table_format=case.table_format, year=case.year
    )


def assert_exact(case: Case, layout: str, result: TextImport) -> None:
    """Every value back, a blank blank; the failure names the case."""
    wrong = {
        code: (expected, result.cells.get(code))
        for code, expected in case.values.items()
        if result.cells.get(code) != expected
        or (expected is not None and result.cells.get(code) is None)
    }
    shown = dict(list(wrong.items())[:8])
    assert not wrong, (
        f"{case.name} layout={layout}: {len(wrong)} of {len(case.values)} cells "
        f"differ (expected, read): {shown}; findings: "
        f"{[f.message for f in result.findings if f.rule.startswith('text_')][:5]}"
    )


LAYOUTS: dict[str, Callable[[Case], tuple[bytes, str]]] = {
    "html-merged": lambda c: (page_html(c).encode(), "报告.html"),
    "html-split": lambda c: (page_html(c, split=True).encode(), "报告.html"),
    "html-gbk": lambda c: (
        page_html(c).replace("charset='utf-8'", "charset='gb2312'").encode("gb18030"),
        "报告.htm",
    ),
    "print-page": lambda c: (print_page(c).encode(), "打印.html"),
    "docx-merged": lambda c: (word_document(c), "报告.docx"),
    "docx-split": lambda c: (word_document(c, split=True), "报告.docx"),
}


@pytest.mark.parametrize("code", ["A", "B"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_every_route_gives_back_exactly_the_values(
    seed: int, layout: str, code: str
) -> None:
    case = make_case(seed, code)
    data, filename = LAYOUTS[layout](case)
    result = read(case, data, filename)
    assert_exact(case, layout, result)
    assert result.table_found, f"{case.name} layout={layout}"
    # What surrounds the tables is read from the text around them.
    assert result.found_year == case.year, f"{case.name} layout={layout}"
    for key, value in case.signatories.items():
        assert result.signatories[key] == value, f"{case.name} layout={layout}"
    for key, text in case.sections.items():
        assert text in result.sections[key], f"{case.name} layout={layout} {key}"
    assert not [f for f in result.findings if f.rule.startswith("text_")], (
        f"{case.name} layout={layout}"
    )
