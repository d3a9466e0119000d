"""One report out: the official-layout XLSX, the Word report, the print page.

Served by ``ReportAdmin.get_urls`` (``export_urls``) at ``<id>/export/xlsx/``,
``<id>/export/docx/`` and ``<id>/print/``, and scoped as the change page is:
a report outside the user's scope, or none, is 404 with nothing of it shown;
a user in scope without the view permission gets 403. Only GET and HEAD.
"""

import re
from collections.abc import Callable

from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csp import get_nonce
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header

from reports.exporters.docx import DOCX_TYPE, report_docx
from reports.exporters.official import XLSX_TYPE, report_workbook
from reports.exporters.print import render_print
from reports.models import AnnualReport

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def export_filename(report: AnnualReport, what: str, extension: str) -> str:
    """吉林市统计局龙潭分局2017年度统计表.xlsx: the agency, year and content."""
    stem = _UNSAFE.sub("_", f"{report.agency.name}{report.year}年度{what}")
    return f"{stem.strip(' ._') or 'report'}.{extension}"


def _report(
    model_admin: ModelAdmin, request: HttpRequest, object_id: str
) -> AnnualReport:
    report = model_admin.get_object(request, unquote(object_id))  # 404 out of scope
    if not model_admin.has_view_or_change_permission(request, report):
        raise PermissionDenied
    return report


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx(report: AnnualReport, request: HttpRequest) -> HttpResponse:
    return _download(
        report_workbook(report), XLSX_TYPE, export_filename(report, "统计表", "xlsx")
    )


def _docx(report: AnnualReport, request: HttpRequest) -> HttpResponse:
    return _download(
        report_docx(report), DOCX_TYPE, export_filename(report, "报告", "docx")
    )


def _print(report: AnnualReport, request: HttpRequest) -> HttpResponse:
    back = reverse("admin:reports_annualreport_change", args=[report.pk])
    # The page's <style> carries the request's Content-Security-Policy nonce.
    context = {"back_url": back, "csp_nonce": get_nonce(request)}
    response = HttpResponse(render_print(report, context))
    response["Cache-Control"] = "private, no-store"
    return response


def _view(
    model_admin: ModelAdmin, render: Callable[[AnnualReport, HttpRequest], HttpResponse]
) -> Callable[[HttpRequest, str], HttpResponse]:
    def view(request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return render(_report(model_admin, request, object_id), request)

    return view


def export_urls(model_admin: ModelAdmin) -> list[URLPattern]:
    """The three URLs, for ``ReportAdmin.get_urls`` (before Django's own)."""
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            f"<path:object_id>/{route}",
            wrap(_view(model_admin, render)),
            name=f"reports_annualreport_{name}",
        )
        for route, name, render in (
            ("export/xlsx/", "export_xlsx", _xlsx),
            ("export/docx/", "export_docx", _docx),
            ("print/", "print", _print),
        )
    ]
