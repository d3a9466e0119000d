"""Import from a report's text: the text of a published report, as pasted.

``parse_report_text`` finds the statistics table wherever it is and however it
is laid out (``table``, ``lines``), the report's year, the year printed over
the table, 填报单位 and signatories (``meta``) and the narrative sections
(``sections``), in simplified or traditional characters. The result is a
preview, a ``TextImport``: every cell (None where missing) with the line it
came from, every line of the table that could not be placed, and every
finding, the validator's and the reader's own (rule codes ``text_*``).
Nothing here writes to the database; ``import_report_text`` stores a preview
through ``reports.services``.

Decisions: the report year comes from the ``year`` argument, else the title
("湘西州2017年政府信息公开工作年度报告"); the format from ``table_format``,
else the year, else the table's shape. The date that closes a report's prose
("2018年3月15日") is the report's date, not the table's 填报日期, and is not
used. Names and the agency are taken in simplified characters, trimmed;
``sources`` and ``unplaced_lines`` show lines as printed.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from reports.importers.labels import to_simplified
from reports.importers.text.lines import chinese_lines, count_labels
from reports.importers.text.meta import (
    find_year,
    looks_like_report,
    not_report_reason,
    read_signatories,
)
from reports.importers.text.sections import SectionIndex, split_sections
from reports.importers.text.table import read_table
from reports.tables import (
    FORMATS,
    NA,
    CellValue,
    Finding,
    Severity,
    TableFormat,
    format_for_year,
    get_format,
)
from reports.validation import validate_report

__all__ = [
    "MAX_TEXT_CHARS",
    "TextImport",
    "TextImportError",
    "as_json",
    "parse_report_text",
    "read_text_file",
]

MAX_TEXT_CHARS = 5 * 1024 * 1024
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
SHAPE_LABELS = 5  # rows of a format named in a text that make it "its" table


class TextImportError(ValueError):
    """Input that cannot be read at all (too long, not text); message in Chinese."""


@dataclass
class TextImport:
    """The preview of one report's text."""

    format: str
    year: int | None
    table_year: int | None
    agency_name: str | None
    cells: dict[str, CellValue]
    sources: dict[str, tuple[int, str]]
    sections: dict[str, str]
    signatories: dict[str, str | date | None]
    unplaced_lines: list[tuple[int, str]]
    is_report: bool
    not_report_reason: str
    findings: list[Finding] = field(default_factory=list)
    table_found: bool = False

    @property
    def table_format(self) -> TableFormat:
        return get_format(self.format)

    def values(self) -> dict[str, CellValue]:
        """The cells that hold a value or "not applicable"."""
        return {code: v for code, v in self.cells.items() if v is not None}


def _finding(severity: Severity, rule: str, message: str) -> Finding:
    return Finding(severity, rule, (), message)


def _choose_format(
    lines: list[str],
    candidates: list[int],
    forced: TableFormat | None,
    year: int | None,
) -> tuple[TableFormat, list[Finding]]:
    """``forced``, else the year's format, else the table's shape (else A)."""
    findings: list[Finding] = []
    chosen = forced
    if chosen is None and year is not None:
        try:
            chosen = format_for_year(year)
        except KeyError:
            findings.append(
                _finding(
                    Severity.WARNING,
                    "text_format_year",
                    f"{year} 年没有适用的统计表格式，按统计表的样式判断。",
                )
            )
    counts = count_labels(lines, candidates, FORMATS.values())
    # Tables 三 and 四 are common to B2019 and B: a tie goes to the newer.
    best = max(reversed(FORMATS.values()), key=lambda f: counts[f.code])
    if chosen is None:
        return (best if counts[best.code] else FORMATS["A"]), findings
    if counts[best.code] >= SHAPE_LABELS and counts[chosen.code] < SHAPE_LABELS:
        findings.append(
            _finding(
                Severity.WARNING,
                "text_format_mismatch",
                f"文中的统计表像是「{best.name}」，但按报告年度应使用"
                f"「{chosen.name}」，统计表未能读取，请核对年度。",
            )
        )
    return chosen, findings


def parse_report_text(
    text: str, *, table_format: TableFormat | None = None, year: int | None = None
) -> TextImport:
    """Read a report's text into a preview; see the module docstring."""
    if not isinstance(text, str):
        raise TypeError("parse_report_text expects str")
    if len(text) > MAX_TEXT_CHARS:
        raise TextImportError(
            f"文本过长：{len(text)} 个字符，最多 {MAX_TEXT_CHARS} 个字符（5 MB）。"
        )
    text = text.removeprefix("\ufeff")
    raw_lines = _LINE_BREAK.split(text)
    lines = _LINE_BREAK.split(to_simplified(text))
    if len(lines) != len(raw_lines):  # never seen; keep line numbers right anyway
        lines = [to_simplified(line) for line in raw_lines]

    found_year = find_year(lines)
    report_year = year if year is not None else found_year
    candidates = chinese_lines(lines)
    chosen, findings = _choose_format(lines, candidates, table_format, report_year)
    table = read_table(
        raw_lines, lines, chosen, SectionIndex(chosen).is_heading, candidates
    )
    cells: dict[str, CellValue] = dict.fromkeys(chosen.cells)
    if table.found:
        cells.update({c: v for c, v in table.cells.items() if c in cells})
    sources = {c: s for c, s in table.sources.items() if c in cells}
    sections = split_sections(
        lines, SectionIndex(chosen), table.regions, set(table.titles)
    )
    signatories, agency_name, sign_findings = read_signatories(raw_lines, lines)

    is_report = table.found or looks_like_report(lines)
    reason = "" if is_report else not_report_reason(lines)
    if not is_report:
        findings.insert(0, _finding(Severity.ERROR, "text_not_report", reason))
    if report_year is None:
        findings.append(
            _finding(
                Severity.WARNING,
                "text_no_year",
                "没有找到报告年度（如“2017年政府信息公开工作年度报告”），请指定年度。",
            )
        )
    if not table.found and is_report:
        findings.append(
            _finding(
                Severity.WARNING,
                "text_no_table",
                f"文中没有找到「{chosen.name}」的统计表，所有统计数均未填写。",
            )
        )
    unplaced = [(i + 1, raw_lines[i].strip()) for i in sorted(table.unplaced)]
    if unplaced:
        shown = "、".join(f"第{n}行“{t[:30]}”" for n, t in unplaced[:10])
        more = f"等 {len(unplaced)} 行" if len(unplaced) > 10 else ""
        findings.append(
            _finding(
                Severity.WARNING,
                "text_unplaced_lines",
                f"统计表中有无法识别的内容：{shown}{more}，请核对。",
            )
        )
    findings += table.findings + sign_findings
    findings += validate_report(
        table_format=chosen,
        values=cells,
        sections=sections,
        signatories=signatories,
        year=report_year,
        table_year=table.table_year,
    )
    return TextImport(
        format=chosen.code,
        year=report_year,
        table_year=table.table_year,
        agency_name=agency_name,
        cells=cells,
        sources=sources,
        sections=sections,
        signatories=signatories,
        unplaced_lines=unplaced,
        is_report=is_report,
        not_report_reason=reason,
        findings=findings,
        table_found=table.found,
    )


def json_number(value: CellValue) -> int | str | None:
    """A cell for JSON: an int when whole, else the exact decimal as a string
    ("0.35", never a float), "n/a" for not applicable, None when missing."""
    if value is None:
        return None
    if value is NA:
        return "n/a"
    if not isinstance(value, Decimal):
        return str(value)
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def as_json(result: TextImport) -> dict[str, object]:
    """The preview as JSON-ready data (see ``json_number`` for numbers)."""
    return {
        "format": result.format,
        "year": result.year,
        "table_year": result.table_year,
        "agency_name": result.agency_name,
        "is_report": result.is_report,
        "not_report_reason": result.not_report_reason,
        "cells": {code: json_number(v) for code, v in result.cells.items()},
        "sources": {
            code: {"line": line, "text": text}
            for code, (line, text) in result.sources.items()
        },
        "sections": result.sections,
        "signatories": {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in result.signatories.items()
        },
        "unplaced_lines": [
            {"line": line, "text": text} for line, text in result.unplaced_lines
        ],
        "findings": [finding.as_dict() for finding in result.findings],
    }


def read_text_file(path: str | Path) -> str:
    """A text file's content: UTF-8 (with or without BOM), else GB18030.

    Raises TextImportError for a file too large, binary or in neither
    encoding, with a Chinese message.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_CHARS * 4:
            raise TextImportError(f"文件过大（{size} 字节），最多约 5 MB 文本。")
        data = path.read_bytes()
    except OSError as exc:
        raise TextImportError(f"无法读取文件 {path}：{exc.strerror}。") from None
    if b"\x00" in data:
        raise TextImportError(f"{path.name} 不是文本文件（含二进制内容）。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls > max(8, len(text) // 100):
            break
        return text
    raise TextImportError(
        f"{path.name} 不是文本文件，或编码不是 UTF-8 / GB18030，无法读取。"
    )
