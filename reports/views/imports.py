"""Import into one report: the published text, the report as a document (web
page, Word, PDF), or the official-layout sheet.

The clerk pastes or uploads, sees a preview (every cell with the line or row it
came from, every line that could not be placed, every finding), and confirms it
into the draft. Confirming re-reads the same source, so what is saved is what
was previewed. An import fills what it found and blanks nothing: cells the
source does not have keep their values.

Nothing is lost and nothing is silently wrong: confirming is refused, and not
offered, while the source is no report, holds a value that could not be read,
or holds nothing to import (``import_preview``); a source that names another
agency or year needs the clerk to tick "导入到本报告". A text that holds
several tables (two reports pasted together) lists them: the clerk chooses
one (the ``table`` field), previews it, and confirms that one; a confirm for
another table than the one previewed is refused. A confirm that saves nothing
says why; a request that cannot be read is answered 400, never 500.

The text form takes a file of any kind ``parse_document`` reads: text goes on
as pasted text; a web page, Word document or PDF is read for its tables and
travels with the preview as base64 (``kind=document``), like a sheet. Pasting
from a web page sends the clipboard's HTML too (static/reports/
source_import.js, field ``html``): when it holds a table, the table is read
from the HTML, whose structure survives, and the HTML is kept as the original.
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

from agencies import permissions
from reports.importers.documents import (
    DocumentError,
    detect_kind,
    has_table,
    parse_document,
    parse_html,
)
from reports.importers.official import parse_official_sheet
from reports.importers.sheets import SpreadsheetError, decode_text, read_sheets
from reports.importers.text import TextImportError, parse_report_text
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import (
    ReportError,
    StaleVersionError,
    report_fill_from_import,
)
from reports.views.base import ReportPage, who
from reports.views.import_preview import (
    Preview,
    check,
    found_summary,
    preview_context,
)

SHEET_LIMIT = 2 * 1024 * 1024  # a single report's sheet; big files go elsewhere
SHEET_FIELD_LIMIT = 4 * -(-SHEET_LIMIT // 3)  # the same sheet as base64
TEXT_FILE_LIMIT = 5 * 1024 * 1024  # a report's text is some 100 KB
DOCUMENT_LIMIT = 10 * 1024 * 1024  # a Word file or PDF with its pictures
DOCUMENT_FIELD_LIMIT = 4 * -(-DOCUMENT_LIMIT // 3)  # the same file as base64
BINARY_STARTS = (b"PK", b"\xd0\xcf\x11\xe0")  # a zip package, an old Office file
MAX_TABLE_FIELD = 4  # digits of the ``table`` field: a text holds few tables


class Refused(Exception):
    """A request the page answers with 400 and a message in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
        except (Refused, TextImportError, SpreadsheetError, DocumentError) as refused:
            messages.error(self.request, getattr(refused, "message", str(refused)))
            return self.render(status=400)
        check(preview, self.report)
        if "_confirm" in self.request.POST:
            return self.confirm(preview)
        return self.render(preview)

    # --- reading the source -------------------------------------------------

    def _read(self, kind: str) -> Preview:
        table_format, year = self.report.table_format, self.report.year
        if kind == "text":
            text = self._text()
            if isinstance(text, tuple):  # a file that is no text: a document
                return self._document(*text)
            html = self._html()
            if html:
                result = parse_html(html, table_format=table_format, year=year)
                return Preview(kind, text, result, html=html)
            result = parse_report_text(
                text,
                table_format=table_format,
                year=year,
                table_index=self._table(),
            )
            return Preview(kind, text, result)
        if kind == "sheet":
            encoded, data, name = self._sheet()
            sheets = read_sheets(data, filename=name, max_bytes=SHEET_LIMIT)
            result = parse_official_sheet(sheets, table_format=table_format, year=year)
            return Preview(kind, encoded, result, sheet_name=name, data=data)
        if kind == "document":
            return self._document(*self._document_field())
        raise Refused(_("请粘贴报告全文，或选择一个电子表格文件。"))

    def _text(self) -> str | tuple[bytes, str]:
        """The text pasted or uploaded; a file that is no text as (bytes, name)."""
        upload = self.request.FILES.get("text_file")
        if upload is not None:
            head = upload.read(1024)
            upload.seek(0)
            binary = head.startswith(BINARY_STARTS) or b"%PDF-" in head
            size = f"{upload.size / (1024 * 1024):.1f} MB"
            if binary and upload.size > DOCUMENT_LIMIT:  # refused before it is read
                raise Refused(
                    _("文件过大（%(size)s）：一份报告的文件不应超过 10 MB。")
                    % {"size": size}
                )
            if not binary and upload.size > TEXT_FILE_LIMIT:
                raise Refused(
                    _("文本文件过大（%(size)s）：一份报告的全文不应超过 5 MB。")
                    % {"size": size}
                )
            data = upload.read()
            if detect_kind(data, _name(upload.name, "")) != "text":
                return data, _name(upload.name, "报告")
            text = decode_text(data)
        else:
            text = self.request.POST.get("text", "")
        if not text.strip():
            raise Refused(_("请粘贴报告全文或选择一个文本文件。"))
        if "\x00" in text:
            raise Refused(_("文本中含有不可见的控制字符，无法保存；请重新复制粘贴。"))
        return text

    def _html(self) -> str:
        """The clipboard's HTML sent with pasted text, when it holds a table."""
        html = self.request.POST.get("html", "")
        if len(html) > TEXT_FILE_LIMIT:  # refused before it is parsed
            raise Refused(_("粘贴的网页内容过大：一份报告的全文不应超过 5 MB。"))
        return html if "\x00" not in html and has_table(html) else ""

    def _document(self, data: bytes, name: str) -> Preview:
        """A web page, Word document or PDF, read for its tables."""
        result = parse_document(
            data,
            name,
            table_format=self.report.table_format,
            year=self.report.year,
            max_bytes=DOCUMENT_LIMIT,
        )
        encoded = base64.b64encode(data).decode("ascii")
        return Preview("document", encoded, result, sheet_name=name, data=data)

    def _document_field(self) -> tuple[bytes, str]:
        """The document sent back with the preview, and its name."""
        encoded = self.request.POST.get("document", "")
        if len(encoded) > DOCUMENT_FIELD_LIMIT:  # refused before it is decoded
            raise Refused(_("一份报告的文件不应超过 10 MB。"))
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            data = b""
        if not data:
            raise Refused(_("请选择报告文件。"))
        return data, _name(self.request.POST.get("document_name", ""), "报告")

    def _table(self) -> int | None:
        """The table chosen among several of a text (from 0), None if none."""
        chosen = self.request.POST.get("table", "")
        if chosen == "":
            return None
        if not (chosen.isascii() and chosen.isdigit()) or len(chosen) > MAX_TABLE_FIELD:
            raise Refused(_("所选的统计表无效，请重新预览后再选择。"))
        return int(chosen)

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

    # --- confirming ---------------------------------------------------------

    def confirm(self, preview: Preview) -> HttpResponse:
        nothing = _("没有导入任何内容：")
        if preview.blockers:
            messages.error(self.request, nothing + _("请先处理下面列出的问题。"))
            return self.render(preview, status=400)
        previewed = self.request.POST.get("previewed_table", "")
        if preview.result.table_index is not None and previewed != str(
            preview.result.table_index
        ):
            messages.error(
                self.request,
                nothing
                + _(
                    "所选的统计表与预览的不同：下面是所选统计表的预览，请核对后再确认。"
                ),
            )
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
                **preview.original(),
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
                % {"what": found_summary(preview.result)},
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
            context.update(preview_context(preview, report_values(self.report)))
            context["version"] = self.report.version
        return TemplateResponse(self.request, self.template, context, status=status)


def _name(filename: str, default: str = "统计表.xlsx") -> str:
    """A file's own name, without any path, no longer than a name may be."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[-100:] or default
