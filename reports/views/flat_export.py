"""The flat export in the report admin: the 导出 button, two list actions,
and background exports with their progress page and download.

django-import-export's ``ExportMixin`` gives the URL (``export/``), the
permission (view) and the report list's 导出 button, which carries the
list's filters and search; this module replaces its form page, which offers
a field picker this export has no use for. What is exported is always the
admin's own scoped list (``get_changelist_instance``: the same filters, the
same refusals of bad parameters), and ``ReportExportResource`` limits it to
the user's scope once more. Up to ``INTERACTIVE_REPORTS`` reports, the file
comes straight back; above, an ``ExportJob`` is queued and the user follows
it on its page, from which only its owner can download the file.
"""

import io
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin
from import_export.formats.base_formats import Format

from reports.models import AnnualReport, ExportJob
from reports.resources import FlatCSV, FlatXLSX, ReportExportResource
from reports.tasks import expire_exports, export_job_start, fail_stalled_exports

# Above this many reports an export runs in the background (ExportJob).
INTERACTIVE_REPORTS = 2000
RECENT_JOBS = 10
FORMATS = {"xlsx": FlatXLSX, "csv": FlatCSV}


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("文件格式"),
        choices=ExportJob.Kind.choices,
        initial=ExportJob.Kind.XLSX,
        widget=forms.RadioSelect,
    )


class FlatExportMixin(ExportMixin):
    """The flat export for ReportAdmin, after its scoping mixin."""

    actions = ["export_selected_xlsx", "export_selected_csv"]

    def get_export_formats(self) -> list[type[Format]]:
        return [FlatXLSX, FlatCSV]

    def get_export_resource_classes(self, request: HttpRequest) -> list[type]:
        return [ReportExportResource]

    def get_export_resource_kwargs(
        self, request: HttpRequest, **kwargs: Any
    ) -> dict[str, Any]:
        return {"user": request.user}

    def get_export_queryset(self, request: HttpRequest) -> QuerySet[AnnualReport]:
        """The list as the user sees it: scoped, filtered, searched."""
        return self.get_changelist_instance(request).queryset  # type: ignore[attr-defined]

    def get_export_data(
        self,
        file_format: Format,
        request: HttpRequest,
        queryset: QuerySet[AnnualReport],
        **kwargs: Any,
    ) -> bytes:
        if not self.has_export_permission(request):
            raise PermissionDenied
        buffer = io.BytesIO()
        resource = ReportExportResource(user=request.user)
        resource.write(queryset, buffer, kind=file_format.get_extension())
        return buffer.getvalue()

    def get_export_filename(
        self, request: HttpRequest, queryset: QuerySet, file_format: Format
    ) -> str:
        now = timezone.localtime()
        return f"年度报告-{now:%Y%m%d-%H%M}.{file_format.get_extension()}"

    def export_action(self, request: HttpRequest) -> HttpResponse:
        """The 导出 button's page: how many reports, which format, recent jobs."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            reports = self.get_export_queryset(request)
            count = reports.count()
        except IncorrectLookupParameters:
            messages.error(request, _("筛选条件无效，请在报告列表重新筛选后再导出。"))
            changelist = reverse("admin:reports_annualreport_changelist")
            return HttpResponseRedirect(f"{changelist}?e=1")
        form = ExportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return self.export_reports(
                request, reports, kind=form.cleaned_data["kind"], count=count
            )
        fail_stalled_exports()
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.opts,  # type: ignore[attr-defined]
            "title": _("导出年度报告"),
            "form": form,
            "count": count,
            "limit": INTERACTIVE_REPORTS,
            "jobs": ExportJob.objects.filter(user=request.user)[:RECENT_JOBS],
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/export.html", context
        )

    @admin.action(
        description=gettext_lazy("导出所选报告（XLSX）"), permissions=["export"]
    )
    def export_selected_xlsx(
        self, request: HttpRequest, queryset: QuerySet[AnnualReport]
    ) -> HttpResponse:
        return self.export_reports(request, queryset, kind="xlsx")

    @admin.action(
        description=gettext_lazy("导出所选报告（CSV）"), permissions=["export"]
    )
    def export_selected_csv(
        self, request: HttpRequest, queryset: QuerySet[AnnualReport]
    ) -> HttpResponse:
        return self.export_reports(request, queryset, kind="csv")

    def export_reports(
        self,
        request: HttpRequest,
        reports: QuerySet[AnnualReport],
        *,
        kind: str,
        count: int | None = None,
    ) -> HttpResponse:
        """The file of ``reports``, or a background job for many of them."""
        count = reports.count() if count is None else count
        if not count:
            messages.warning(request, _("没有符合条件的报告，没有导出。"))
            return HttpResponseRedirect(
                reverse("admin:reports_annualreport_changelist")
            )
        if count > INTERACTIVE_REPORTS:
            job = export_job_start(user=request.user, reports=reports, kind=kind)
            messages.info(
                request,
                _(
                    "共 %(count)s 份报告，超过 %(limit)s 份，已转入后台导出；"
                    "完成后在本页下载，您也可以先离开此页面。"
                )
                % {"count": count, "limit": INTERACTIVE_REPORTS},
            )
            return HttpResponseRedirect(
                reverse("admin:reports_annualreport_export_job", args=[job.pk])
            )
        file_format = FORMATS[kind]()
        response = HttpResponse(
            self.get_export_data(file_format, request, reports),
            content_type=file_format.get_content_type(),
        )
        response["Content-Disposition"] = content_disposition_header(
            True, self.get_export_filename(request, reports, file_format)
        )
        return response

    # Background exports ------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view  # type: ignore[attr-defined]
        return [
            path(
                "export-job/<int:pk>/",
                wrap(self.export_job_view),
                name="reports_annualreport_export_job",
            ),
            path(
                "export-job/<int:pk>/status/",
                wrap(self.export_job_status_view),
                name="reports_annualreport_export_job_status",
            ),
            path(
                "export-job/<int:pk>/download/",
                wrap(self.export_job_download_view),
                name="reports_annualreport_export_job_download",
            ),
            *super().get_urls(),
        ]

    def _export_job(self, request: HttpRequest, pk: int) -> ExportJob:
        """The user's own job; anyone else's is not there (404)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        fail_stalled_exports()
        expire_exports()
        return get_object_or_404(ExportJob.objects.filter(user=request.user), pk=pk)

    def export_job_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._export_job(request, pk)
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.opts,  # type: ignore[attr-defined]
            "title": _("后台导出：%(job)s") % {"job": job},
            "job": job,
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/export_job.html", context
        )

    def export_job_status_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = self._export_job(request, pk)
        download = ""
        if job.status == ExportJob.Status.DONE and job.file:
            download = reverse(
                "admin:reports_annualreport_export_job_download", args=[job.pk]
            )
        return JsonResponse({**job.progress(), "download": download})

    def export_job_download_view(self, request: HttpRequest, pk: int) -> FileResponse:
        job = self._export_job(request, pk)
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404(_("该导出没有可下载的文件（未完成，或文件已过期删除）。"))
        try:
            handle = job.file.open("rb")
        except OSError:
            raise Http404(_("导出的文件已不存在，请重新导出。")) from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=job.filename,
            content_type=FORMATS[job.kind]().get_content_type(),
        )
