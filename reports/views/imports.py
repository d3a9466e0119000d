"""Import into one report: the published text, or the official-layout sheet.

The clerk pastes or uploads, sees a preview (every cell with the line or row it
came from, every line that could not be placed, every finding), and confirms it
into the draft. Confirming re-reads the same source, so what is saved is what
was previewed. An import fills what it found and blanks nothing: cells the
source does not have keep their values.

Nothing is lost and nothing is silently wrong: confirming is refused, and not
offered, while the source is no report, holds two tables, has a value that
could not be read, or holds nothing to import; a source that names another
agency or year needs the clerk to tick "导入到本报告". A confirm that saves
nothing says why; a request that cannot be read is answered 400, never 500.
"""

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import permissions
from reports.importers.labels import LabelIndex, label_index, to_simplified
from reports.importers.official import parse_official_sheet
from reports.importers.sheets import SpreadsheetError, decode_text, read_sheets
from reports.importers.text import TextImport, TextImportError, parse_report_text
from reports.importers.text.lines import Kind, classify_line, split_fields
from reports.importers.text.meta import HEAD_CHARS, find_year
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import (
    ReportError,
    StaleVersionError,
    report_fill_from_import,
)
from reports.tables.base import shown
from reports.views.base import ReportPage, who

SHEET_LIMIT = 2 * 1024 * 1024  # a single report's sheet; big files go elsewhere
SHEET_FIELD_LIMIT = 4 * -(-SHEET_LIMIT // 3)  # the same sheet as base64
TEXT_FILE_LIMIT = 5 * 1024 * 1024  # a report's text is some 100 KB
ROW_SPAN = 8  # lines under a row's label that may still hold its value
_HTML = re.compile(r"<\s*/?\s*(?:html|head|body|div|p|span|table|tr|td|br)\b", re.I)


class Refused(Exception):
    """A request the page answers with 400 and a message in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Preview:
    """What was read, and what stands between it and the report."""

    kind: str
    source: str  # the text, or the sheet as base64
    result: TextImport
    sheet_name: str = ""
    data: bytes = b""  # the sheet file, kept with the report
    blockers: list[str] = field(default_factory=list)  # confirm is refused
    mismatches: list[str] = field(default_factory=list)  # needs the tick
    refused: set[str] = field(default_factory=set)  # cells not read

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


class SourceImport(ReportPage):
    """One request on a report's import page."""

    template = "admin/reports/annualreport/source_import.html"

    def __init__(
        self, model_admin: ModelAdmin, request: HttpRequest, report: AnnualReport
    ) -> None:
        super().__init__(model_admin, request, report)
        may_file = model_admin.has_change_permission(
            request, report
        ) and permissions.can_file(request.user, report.agency)
        if not may_file:
            raise PermissionDenied

    def respond(self) -> HttpResponse:
        if not self.can_edit:  # submitted or approved, maybe since the preview
            messages.error(
                self.request,
                _(
                    "本报告状态为“%(status)s”，不能导入，没有导入任何内容；"
                    "如需修改，请先由审核人退回。"
                )
                % {"status": self.report.get_status_display()},
            )
            return self.render(closed=True, status=409)
        if self.request.method != "POST":
            return self.render()
        try:
            preview = self._read(self.request.POST.get("kind", ""))
        except (Refused, TextImportError, SpreadsheetError) as refused:
            messages.error(self.request, getattr(refused, "message", str(refused)))
            return self.render(status=400)
        self._check(preview)
        if "_confirm" in self.request.POST:
            return self.confirm(preview)
        return self.render(preview)

    # --- reading the source -------------------------------------------------

    def _read(self, kind: str) -> Preview:
        table_format, year = self.report.table_format, self.report.year
        if kind == "text":
            text = self._text()
            result = parse_report_text(text, table_format=table_format, year=year)
            return Preview(kind, text, result)
        if kind == "sheet":
            encoded, data, name = self._sheet()
            sheets = read_sheets(data, filename=name, max_bytes=SHEET_LIMIT)
            result = parse_official_sheet(sheets, table_format=table_format, year=year)
            return Preview(kind, encoded, result, sheet_name=name, data=data)
        raise Refused(_("请粘贴报告全文，或选择一个电子表格文件。"))

    def _text(self) -> str:
        upload = self.request.FILES.get("text_file")
        if upload is not None:
            if upload.size > TEXT_FILE_LIMIT:  # refused before it is read
                raise Refused(
                    _("文本文件过大（%(size)s）：一份报告的全文不应超过 5 MB。")
                    % {"size": f"{upload.size / (1024 * 1024):.1f} MB"}
                )
            text = decode_text(upload.read())
        else:
            text = self.request.POST.get("text", "")
        if not text.strip():
            raise Refused(_("请粘贴报告全文或选择一个文本文件。"))
        if "\x00" in text:
            raise Refused(_("文本中含有不可见的控制字符，无法保存；请重新复制粘贴。"))
        return text

    def _sheet(self) -> tuple[str, bytes, str]:
        """The sheet as base64 (it travels with the preview), its bytes, its name."""
        too_big = _("单份报告的表格不应超过 2 MB；多份报告请用列表页的“导入”。")
        upload = self.request.FILES.get("sheet_file")
        if upload is not None:
            if upload.size > SHEET_LIMIT:
                raise Refused(too_big)
            data = upload.read()
            return base64.b64encode(data).decode("ascii"), data, _name(upload.name)
        encoded = self.request.POST.get("sheet", "")
        if len(encoded) > SHEET_FIELD_LIMIT:  # refused before it is decoded
            raise Refused(too_big)
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            data = b""
        if not data:
            raise Refused(_("请选择一个电子表格文件。"))
        return encoded, data, _name(self.request.POST.get("sheet_name", ""))

    # --- what stands in the way ---------------------------------------------

    def _check(self, preview: Preview) -> None:
        result, blockers = preview.result, preview.blockers
        if not result.is_report:
            blockers.append(result.not_report_reason)
        if any(f.rule == "text_two_tables" for f in result.findings):
            blockers.append(
                _(
                    "文中有两张统计表（可能粘贴了两份报告，或同一张表贴了两遍）："
                    "请只粘贴本报告的全文，再预览。"
                )
            )
        refused = _refused_values(result, sheet=not preview.is_text)
        blockers += [m + _("请改正来源后重新预览。") for m in refused.values()]
        preview.refused = {code for codes in refused for code in codes}
        if result.is_report and not _found(result):
            blockers.append(
                _(
                    "没有找到可导入的内容（统计数、正文或表尾），确认也不会保存任何内容。"
                )
            )
            if preview.is_text and _HTML.search(preview.source):
                blockers.append(
                    _(
                        "粘贴的像是网页源代码：请在浏览器中打开报告页面，"
                        "选中正文复制后再粘贴。"
                    )
                )
        preview.mismatches = self._mismatches(preview)

    def _mismatches(self, preview: Preview) -> list[str]:
        report, result = self.report, preview.result
        where = _("文本") if preview.is_text else _("表格")
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
        years = {result.table_year}
        if preview.is_text:  # the title's year: the importer was given the report's
            head = to_simplified(preview.source[: 2 * HEAD_CHARS])
            years.add(find_year(head.splitlines()))
        for year in sorted(y for y in years if y is not None and y != report.year):
            found.append(
                _("%(source)s中的年度是 %(found)d 年，本报告是 %(year)d 年度。")
                % {"source": where, "found": year, "year": report.year}
            )
        return found

    # --- confirming ---------------------------------------------------------

    def confirm(self, preview: Preview) -> HttpResponse:
        nothing = _("没有导入任何内容：")
        if preview.blockers:
            messages.error(self.request, nothing + _("请先处理下面列出的问题。"))
            return self.render(preview, status=400)
        if preview.mismatches and self.request.POST.get("into_this_report") != "1":
            messages.error(
                self.request,
                nothing
                + _(
                    "来源与本报告的填报单位或年度不同：确要导入到本报告，"
                    "请勾选“导入到本报告”。"
                ),
            )
            return self.render(preview, status=400)
        version = self.request.POST.get("version", "")
        if not version.isascii() or not version.isdigit() or int(version) < 1:
            messages.error(self.request, nothing + _("预览已失效，请重新预览。"))
            return self.render(preview, status=400)
        try:
            saved = report_fill_from_import(
                report=self.report,
                user=self.request.user,
                expected_version=int(version),
                imported=preview.result,
                source=AnnualReport.Source.TEXT
                if preview.is_text
                else AnnualReport.Source.SPREADSHEET,
                source_text=preview.source if preview.is_text else None,
                source_file=None
                if preview.is_text
                else (preview.sheet_name, preview.data),
            )
        except StaleVersionError as stale:
            by = "、".join(sorted({who(c.user) for c in stale.changes}))
            messages.error(
                self.request,
                _(
                    "没有保存：预览之后，%(who)s已把本报告保存到第 %(current)d 版"
                    "（预览时是第 %(expected)d 版），为免覆盖别人的修改，这次没有"
                    "导入任何内容。请重新预览：下面是按本报告现在的内容重新生成的预览。"
                )
                % {
                    "who": by or _("其他人"),
                    "current": stale.report.version,
                    "expected": stale.expected,
                },
            )
            return self.render(preview, status=409)
        except ReportError as refused:
            for message in refused.messages:
                messages.error(self.request, nothing + message)
            return self.render(preview, status=400)
        if saved.changed:
            messages.success(
                self.request,
                _("已导入%(what)s；请核对后保存或提交。")
                % {"what": _found(preview.result)},
            )
        else:
            messages.info(self.request, _("导入的内容与本报告现有的相同，没有改动。"))
        return HttpResponseRedirect(
            reverse("admin:reports_annualreport_change", args=[self.report.pk])
        )

    # --- the page -----------------------------------------------------------

    def render(
        self, preview: Preview | None = None, *, closed: bool = False, status: int = 200
    ) -> HttpResponse:
        context: dict[str, Any] = {
            **self.base_context(_("导入 %(report)s") % {"report": self.report}),
            "preview": preview,
            "closed": closed,
        }
        if preview is not None:
            context.update(self._cells(preview))
        return TemplateResponse(self.request, self.template, context, status=status)

    def _cells(self, preview: Preview) -> dict[str, Any]:
        result, sheet = preview.result, not preview.is_text
        stored = report_values(self.report)
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
            "version": self.report.version,
        }


def _where(line: tuple[int, str] | None, *, sheet: bool) -> str:
    """Where a cell came from; sheet results already name their sheet and row."""
    if line is None:
        return ""
    return line[1] if sheet else f"第 {line[0]} 行：{line[1]}"


def _found(result: TextImport) -> str:
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


def _refused_values(result: TextImport, *, sheet: bool) -> dict[tuple[str, ...], str]:
    """The values the source prints but the importer did not take, by cells.

    A number it refused ("-5", "12.5") is a finding. A value that is no number
    at all ("十二") leaves its line unplaced and its row blank, and is found
    here: an unplaced line that names a row whose cells are all blank (a
    sheet's "label | 条 | 十二 |"), or, in a text, that sits just under the
    label of such a row.
    """
    refused = {
        f.cells: f.message for f in result.findings if f.rule == "text_bad_number"
    }
    table_format = result.table_format
    index = label_index(table_format)
    rows: dict[int, list[str]] = {}  # a source line → the cells read from it
    for code, (number, _text) in result.sources.items():
        rows.setdefault(number, []).append(code)

    def unread(codes: tuple[str, ...], where: str) -> None:
        if codes and all(result.cells.get(code) is None for code in codes):
            name = table_format.cells[codes[0]].display_name
            refused.setdefault(
                codes,
                _("%(where)s：「%(name)s」的值无法读取。")
                % {"where": where, "name": name},
            )

    for number, text in result.unplaced_lines:
        where = text.split("：", 1)[0] if sheet else f"第 {number} 行“{text}”"
        named = _row_named(text.split("：", 1)[-1] if sheet else text, index)
        if named is not None:  # a label's line: its own row's, or none
            unread(named, where)
            continue
        above = max((n for n in rows if n <= number), default=None)
        if not sheet and above is not None and number - above <= ROW_SPAN:
            unread(tuple(rows[above]), where)
    return refused


def _row_named(text: str, index: LabelIndex) -> tuple[str, ...] | None:
    """The cells of the row a field of ``text`` starts with the label of: ()
    for a header or a label of several rows, None when there is no label."""
    for part in split_fields(text):
        words = part.split()
        for end in range(len(words), 0, -1):
            events = classify_line(to_simplified(" ".join(words[:end])), index)
            if events and len(events) == 1 and events[0].kind is Kind.LABEL:
                rows = {row.codes for row in index.lookup_key(events[0].key)}
                return rows.pop() if len(rows) == 1 else ()
    return None


def _name(filename: str) -> str:
    """A file's own name, without any path, no longer than a name may be."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[-100:] or "统计表.xlsx"
