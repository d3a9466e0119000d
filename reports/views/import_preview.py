"""The preview of an import into one report: what was read, and what stands
between it and the report.

Everything here comes from what the importer reports (``TextImport``): the
values it refused (``text_bad_number``: "-5", "12.5", "十二", "若干") and the
rows whose printed numbers it could not place (``text_row_incomplete``), the
tables it found, the year printed in the title and over the table, 填报单位.
Nothing is read again from the source.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reports.importers.text import TextImport
from reports.models import AnnualReport
from reports.tables import CellValue
from reports.tables.base import shown

# Findings that mean a value printed in the source was not taken: confirming
# would leave its cells blank (or keep their old values) without the clerk
# knowing which value the source meant.
REFUSING_RULES = frozenset({"text_bad_number", "text_row_incomplete"})
PASTED = "粘贴的网页.html"
_HTML = re.compile(r"<\s*/?\s*(?:html|head|body|div|p|span|table|tr|td|br)\b", re.I)


@dataclass
class Preview:
    """What was read, and what stands between it and the report."""

    kind: str  # "text", "sheet" or "document" (a web page, Word, PDF)
    source: str  # the text, or the sheet or document as base64
    result: TextImport
    sheet_name: str = ""  # the sheet's or document's file name
    data: bytes = b""  # the sheet or document file, kept with the report
    html: str = ""  # with pasted text: the clipboard's HTML, read for its table
    blockers: list[str] = field(default_factory=list)  # confirm is refused
    mismatches: list[str] = field(default_factory=list)  # needs the tick
    refused: set[str] = field(default_factory=set)  # cells not read

    @property
    def is_text(self) -> bool:
        return self.kind == "text"

    @property
    def located(self) -> bool:
        """Sources name their table or sheet and row already."""
        return not self.is_text or bool(self.html)

    def original(self) -> dict[str, Any]:
        """What is kept with the report as where the import came from."""
        if self.html:
            data = self.html.encode()
            return {"source": AnnualReport.Source.TEXT, "source_file": (PASTED, data)}
        if self.is_text:
            return {"source": AnnualReport.Source.TEXT, "source_text": self.source}
        source = AnnualReport.Source.TEXT  # a report's document
        if self.kind == "sheet" or _is_sheet(self):
            source = AnnualReport.Source.SPREADSHEET
        return {"source": source, "source_file": (self.sheet_name, self.data)}

    @property
    def must_choose(self) -> bool:
        """Several tables in the text and none chosen yet."""
        return (
            self.is_text
            and len(self.result.tables) > 1
            and self.result.table_index is None
        )


def check(preview: Preview, report: AnnualReport) -> None:
    """Fills ``blockers``, ``refused`` and ``mismatches``."""
    result, blockers = preview.result, preview.blockers
    if not result.is_report:
        blockers.append(result.not_report_reason)
    if preview.must_choose:
        blockers.append(
            _(
                "文中有 %(n)d 张统计表（可能粘贴了两份报告，或同一张表贴了两遍）："
                "请在下面选择要导入的一张，预览后再确认。"
            )
            % {"n": len(result.tables)}
        )
    elif any(f.rule == "text_two_tables" for f in result.findings):
        blockers.append(
            _("文中有两张统计表：请只粘贴本报告的全文，再预览。")
            if preview.is_text
            else _("表格中有两张统计表：请只保留本报告的一张，再预览。")
        )
    for finding in result.findings:
        if finding.rule in REFUSING_RULES:
            blockers.append(finding.message + _("请改正来源后重新预览。"))
            preview.refused.update(finding.cells)
    if result.is_report and not found_summary(result):
        blockers.append(
            _("没有找到可导入的内容（统计数、正文或表尾），确认也不会保存任何内容。")
        )
        if preview.is_text and _HTML.search(preview.source):
            blockers.append(
                _(
                    "粘贴的像是网页源代码：请在浏览器中打开报告页面，"
                    "选中正文复制后再粘贴。"
                )
            )
    preview.mismatches = mismatches(preview, report)


def mismatches(preview: Preview, report: AnnualReport) -> list[str]:
    """Where the source names another agency or year than the report's."""
    result = preview.result
    where = {"text": _("文本"), "sheet": _("表格")}.get(preview.kind, _("文件"))
    found: list[str] = []
    if result.agency_name and result.agency_name not in (
        report.agency.name,
        report.agency.short_name,
    ):
        found.append(
            _("%(source)s中的填报单位是“%(found)s”，本报告是“%(agency)s”。")
            % {
                "source": where,
                "found": result.agency_name,
                "agency": report.agency.name,
            }
        )
    years = {result.table_year, result.found_year}  # over the table, in the title
    for year in sorted(y for y in years if y is not None and y != report.year):
        found.append(
            _("%(source)s中的年度是 %(found)d 年，本报告是 %(year)d 年度。")
            % {"source": where, "found": year, "year": report.year}
        )
    return found


def found_summary(result: TextImport) -> str:
    """What confirming imports (" 40 个单元格、正文 6 部分"); "" when nothing.

    The count of cells comes first, after a space: "已导入 40 个单元格".
    """
    parts = []
    if cells := len(result.values()):
        parts.append(_(" %(n)d 个单元格") % {"n": cells})
    if sections := sum(1 for v in result.sections.values() if v and v.strip()):
        parts.append(_("正文 %(n)d 部分") % {"n": sections})
    if signed := sum(1 for v in result.signatories.values() if v):
        parts.append(_("表尾 %(n)d 项") % {"n": signed})
    return "、".join(parts)


def preview_context(preview: Preview, stored: dict[str, CellValue]) -> dict[str, Any]:
    """The preview's cells, lines, sections and tables, for the template."""
    result, sheet = preview.result, preview.located
    cells = []
    for code, cell in result.table_format.cells.items():
        value = result.cells.get(code)
        cells.append(
            {
                "name": cell.display_name,
                "label": cell.label,
                "unit": cell.unit,
                "value": shown(value),
                "found": value is not None,
                "refused": code in preview.refused,
                "stored": shown(stored.get(code)),
                "line": _where(result.sources.get(code), sheet=sheet),
            }
        )
    return {
        "unplaced": [_where(line, sheet=sheet) for line in result.unplaced_lines],
        "cells": cells,
        "found": sum(1 for c in cells if c["found"]),
        "sections": [
            (s.title, result.sections.get(s.key, ""))
            for s in result.table_format.sections
        ],
        "tables": table_choices(preview),
    }


def table_choices(preview: Preview) -> list[dict[str, Any]]:
    """The tables of a text for the clerk to choose from; [] unless several."""
    result = preview.result
    if not preview.is_text or len(result.tables) < 2:
        return []
    choices = []
    for table in result.tables:
        details = [table.location]
        if table.agency_name and table.title:
            details.append(_("填报单位：%(a)s") % {"a": table.agency_name})
        if table.table_year:
            details.append(_("统计表标注 %(y)d 年度") % {"y": table.table_year})
        details.append(_("读到 %(n)d 个单元格") % {"n": table.values})
        choices.append(
            {
                "index": table.index,
                "number": table.index + 1,
                "description": table.description,
                "details": "；".join(details),
                "chosen": table.index == result.table_index,
            }
        )
    return choices


def _is_sheet(preview: Preview) -> bool:
    """A workbook sent as a document (its kind is told by its content)."""
    return preview.data.startswith(b"PK") and b"xl/" in preview.data


def _where(line: tuple[int, str] | None, *, sheet: bool) -> str:
    """Where a cell came from; sheet results already name their sheet and row."""
    if line is None:
        return ""
    return line[1] if sheet else f"第 {line[0]} 行：{line[1]}"
