"""Import into one report: the published text, or the official-layout sheet.

The clerk pastes or uploads, sees a preview (every cell with the line or row it
came from, every line that could not be placed, every finding), and confirms it
into the draft. Confirming re-reads the same source, so what is saved is what
was previewed. An import fills what it found and blanks nothing: cells the
source does not have keep their values.
"""

import base64
import binascii
from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.importers.official import parse_official_sheet
from reports.importers.sheets import SpreadsheetError, decode_text, read_sheets
from reports.importers.text import TextImport, TextImportError, parse_report_text
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import (
    ReportError,
    StaleVersionError,
    report_fill_from_import,
)
from reports.tables.base import shown
from reports.views.base import ReportPage

SHEET_LIMIT = 2 * 1024 * 1024  # a single report's sheet; big files go elsewhere


class SourceImport(ReportPage):
    """One request on a report's import page."""

    template = "admin/reports/annualreport/source_import.html"

    def __init__(
        self, model_admin: ModelAdmin, request: HttpRequest, report: AnnualReport
    ) -> None:
        super().__init__(model_admin, request, report)
        if not self.can_edit:
            raise PermissionDenied

    def respond(self) -> HttpResponse:
        if self.request.method != "POST":
            return self.render()
        kind = self.request.POST.get("kind")
        try:
            if kind == "text":
                source = self._text()
                result = parse_report_text(
                    source,
                    table_format=self.report.table_format,
                    year=self.report.year,
                )
            elif kind == "sheet":
                source = self._sheet()
                result = parse_official_sheet(
                    read_sheets(base64.b64decode(source)),
                    table_format=self.report.table_format,
                    year=self.report.year,
                )
            else:
                return self.render()
        except (TextImportError, SpreadsheetError, ValueError) as refused:
            messages.error(self.request, getattr(refused, "message", str(refused)))
            return self.render(status=400)
        if "_confirm" in self.request.POST:
            return self.confirm(kind, source, result)
        return self.render(kind=kind, source=source, result=result)

    def _text(self) -> str:
        upload = self.request.FILES.get("text_file")
        if upload is not None:
            return decode_text(upload.read())
        text = self.request.POST.get("text", "")
        if not text.strip():
            raise ValueError(_("请粘贴报告全文或选择一个文本文件。"))
        return text

    def _sheet(self) -> str:
        """The sheet as base64: it travels with the preview to the confirm."""
        upload = self.request.FILES.get("sheet_file")
        if upload is not None:
            if upload.size > SHEET_LIMIT:
                raise ValueError(
                    _("单份报告的表格不应超过 2 MB；多份报告请用列表页的“导入”。")
                )
            return base64.b64encode(upload.read()).decode("ascii")
        try:
            encoded = self.request.POST.get("sheet", "")
            base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ValueError(_("请选择一个电子表格文件。")) from None
        if not encoded:
            raise ValueError(_("请选择一个电子表格文件。"))
        return encoded

    def confirm(self, kind: str, source: str, result: TextImport) -> HttpResponse:
        if not result.is_report:
            messages.error(self.request, result.not_report_reason)
            return self.render(kind=kind, source=source, result=result, status=400)
        is_text = kind == "text"
        try:
            report_fill_from_import(
                report=self.report,
                user=self.request.user,
                expected_version=int(self.request.POST.get("version", "0")),
                imported=result,
                source=AnnualReport.Source.TEXT
                if is_text
                else AnnualReport.Source.SPREADSHEET,
                source_text=source if is_text else None,
            )
        except (StaleVersionError, ReportError) as refused:
            for message in refused.messages:
                messages.error(self.request, message)
            return self.render(kind=kind, source=source, result=result, status=409)
        messages.success(
            self.request,
            _("已导入 %(n)d 个单元格；请核对后保存或提交。")
            % {"n": len(result.values())},
        )
        return HttpResponseRedirect(
            reverse("admin:reports_annualreport_change", args=[self.report.pk])
        )

    def render(
        self,
        *,
        kind: str = "",
        source: str = "",
        result: TextImport | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context: dict[str, Any] = {
            **self.base_context(_("导入 %(report)s") % {"report": self.report}),
            "kind": kind,
            "source": source,
            "result": result,
        }
        if result is not None:
            context.update(self._preview(result, sheet=kind == "sheet"))
        return TemplateResponse(self.request, self.template, context, status=status)

    def _preview(self, result: TextImport, *, sheet: bool) -> dict[str, Any]:
        def where(line: tuple[int, str] | None) -> str:
            # Sheet results already name their sheet and row.
            if line is None:
                return ""
            return line[1] if sheet else f"第 {line[0]} 行：{line[1]}"

        stored = report_values(self.report)
        cells = []
        for code, cell in result.table_format.cells.items():
            value = result.cells.get(code)
            line = result.sources.get(code)
            cells.append(
                {
                    "code": code,
                    "name": cell.display_name,
                    "unit": cell.unit,
                    "value": shown(value),
                    "found": value is not None,
                    "stored": shown(stored.get(code)),
                    "line": where(line),
                }
            )
        warnings = []
        if result.agency_name and result.agency_name not in (
            self.report.agency.name,
            self.report.agency.short_name,
        ):
            warnings.append(
                _("文本中的填报单位是“%(found)s”，本报告是“%(agency)s”，请核对。")
                % {"found": result.agency_name, "agency": self.report.agency.name}
            )
        if result.year is not None and result.year != self.report.year:
            warnings.append(
                _("文本中的报告年度是 %(found)d 年，本报告是 %(year)d 年度，请核对。")
                % {"found": result.year, "year": self.report.year}
            )
        return {
            "unplaced": [where(line) for line in result.unplaced_lines],
            "cells": cells,
            "found": sum(1 for c in cells if c["found"]),
            "sections": [
                (s.title, result.sections.get(s.key, ""))
                for s in result.table_format.sections
            ],
            "warnings": warnings,
            "version": self.report.version,
        }
