"""The report admin: the scoped changelist, one-click creation, the form page."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin

from agencies import permissions
from agencies.admin import ScopedAdminMixin
from reports import admin_deadlines  # noqa: F401 - registers DeadlineAdmin
from reports.filters import FormatFilter, HasErrorsFilter, HasMissingFilter, YearFilter
from reports.forms import ImportJobForm, LimitedImportForm, NewReportForm
from reports.models import AnnualReport, ImportJob
from reports.resources import ReportImportResource, SafeCSV, SafeXLSX
from reports.services import (
    ReportError,
    ReportExistsError,
    report_create,
    report_deletable,
    report_delete,
)
from reports.tables import FORMATS
from reports.tasks import fail_stalled_jobs, retry_job, run_import_job
from reports.views import ReportEditor
from reports.views.base import described
from reports.views.board import board_export_view, board_view
from reports.views.exports import export_urls
from reports.views.flat_export import FlatExportMixin
from reports.views.flat_import import FlatImport, import_template
from reports.views.imports import SourceImport
from reports.views.queue import queue_view
from reports.views.review import ReportReview
from reports.views.rollup import rollup_urls

NEW_REPORT_SHORTCUTS = 10


def _change_url(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_change", args=[report.pk])


@admin.register(AnnualReport)
class ReportAdmin(ScopedAdminMixin, FlatExportMixin, ImportMixin, admin.ModelAdmin):
    resource_classes = [ReportImportResource]
    import_formats = [SafeXLSX, SafeCSV]
    import_form_class = LimitedImportForm
    # Both buttons, 导入 and 导出 (FlatExportMixin, reports/views/flat_export.py).
    import_export_change_list_template = (
        "admin/import_export/change_list_import_export.html"
    )
    skip_admin_log = True  # ReportChange records every change already
    list_display = [
        "agency_name",
        "year",
        "format_name",
        "status",
        "missing_count",
        "error_count",
        "warning_count",
        "updated_at",
    ]
    list_display_links = ["agency_name", "year"]
    list_filter = [
        YearFilter,
        "status",
        FormatFilter,
        ("agency__level", admin.ChoicesFieldListFilter),
        HasMissingFilter,
        HasErrorsFilter,
    ]
    search_fields = ["agency__name", "agency__short_name", "=agency__code"]
    list_select_related = ["agency"]
    list_per_page = 50
    show_full_result_count = False
    ordering = ["-year", "agency__path"]
    change_list_template = "admin/reports/annualreport/change_list.html"

    @admin.display(description=gettext_lazy("填报单位"), ordering="agency__name")
    def agency_name(self, report: AnnualReport) -> str:
        return report.agency.name

    @admin.display(description=gettext_lazy("格式"), ordering="format")
    def format_name(self, report: AnnualReport) -> str:
        table_format = FORMATS.get(report.format)
        return table_format.code if table_format else report.format

    def has_delete_permission(
        self, request: HttpRequest, obj: AnnualReport | None = None
    ) -> bool:
        # Once submitted, a report and its history stay (report_deletable).
        return super().has_delete_permission(request, obj) and (
            obj is None or report_deletable(obj)
        )

    def get_actions(
        self,
        request: HttpRequest,
        action_location: ActionLocation = ActionLocation.CHANGE_LIST,
    ) -> dict[str, Any]:
        # Bulk delete would bypass the per-report check: delete one at a time.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request: HttpRequest, obj: AnnualReport) -> None:
        report_delete(report=obj, user=request.user)

    def agency_choices_q(self, request: HttpRequest) -> Q | None:
        return permissions.filing_q(request.user)

    def has_import_permission(self, request: HttpRequest) -> bool:
        # Importing is filing: clerks (and superusers), never reviewers alone.
        return super().has_import_permission(request) and (
            permissions.filing_q(request.user) is None
            or permissions.filing_agencies(request.user).exists()
        )

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The flat import's upload and preview (reports/views/flat_import.py)."""
        return FlatImport(self, request).preview()

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Its confirmation: only of the user's own stored preview."""
        return FlatImport(self, request).confirm()

    def import_template_view(
        self, request: HttpRequest, code: str, ext: str
    ) -> HttpResponse:
        """An empty flat sheet for one table format (XLSX or CSV)."""
        return import_template(self, request, code, ext)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            **self._shortcuts(request),
            "has_import_job": self.has_import_permission(request),
            # The queue is for reviewers: a clerk alone has nothing to review.
            "has_review": permissions.review_q(request.user) is None
            or permissions.reviewable_agencies(request.user).exists(),
        }
        return super().changelist_view(request, extra_context)

    def _shortcuts(self, request: HttpRequest) -> dict[str, Any]:
        """One-click buttons: a report for last year for each filing agency."""
        if not self.has_add_permission(request):
            return {}
        year = NewReportForm.default_year()
        agencies = list(
            permissions.filing_agencies(request.user)
            .exclude(reports__year=year)
            .order_by("path")[:NEW_REPORT_SHORTCUTS]
        )
        return {"new_report_year": year, "new_report_agencies": agencies}

    def add_view(
        self,
        request: HttpRequest,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        agencies = permissions.filing_agencies(request.user).order_by("path")
        form = NewReportForm(
            request.POST or None,
            agencies=agencies,
            initial={"year": NewReportForm.default_year()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                report = report_create(
                    agency=form.cleaned_data["agency"],
                    year=form.cleaned_data["year"],
                    user=request.user,
                )
            except ReportExistsError as exists:
                messages.error(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        str(exists),
                        _change_url(exists.existing),
                        _("打开已有的报告"),
                    ),
                )
            except ReportError as refused:
                for message in refused.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("已新建 %(report)s。") % {"report": report})
                return HttpResponseRedirect(_change_url(report))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("新建年度报告"),
            "form": form,
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/new_report.html", context
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        report = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, report):
            raise PermissionDenied
        # A reviewer who may not file reviews here; one who may do both gets
        # the form, which links to the review page.
        if permissions.can_review(
            request.user, report.agency
        ) and not permissions.can_file(request.user, report.agency):
            return ReportReview(self, request, report).respond()
        return ReportEditor(self, request, report).respond()

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The report read-only with the reviewer's checks and buttons."""
        report = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, report):
            raise PermissionDenied
        return ReportReview(self, request, report).respond()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("agency")

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("queue/", wrap(queue_view(self)), name="reports_annualreport_queue"),
            path("board/", wrap(board_view(self)), name="reports_annualreport_board"),
            path(
                "board/export/",
                wrap(board_export_view(self)),
                name="reports_annualreport_board_export",
            ),
            path(
                "import-template/<slug:code>.<slug:ext>",
                wrap(self.import_template_view),
                name="reports_annualreport_import_template",
            ),
            path(
                "import-job/",
                wrap(self.import_job_view),
                name="reports_annualreport_import_job",
            ),
            path(
                "import-job/<int:pk>/",
                wrap(self.import_job_detail_view),
                name="reports_annualreport_import_job_detail",
            ),
            path(
                "<path:object_id>/review/",
                wrap(self.review_view),
                name="reports_annualreport_review",
            ),
            path(
                "<path:object_id>/import-source/",
                wrap(self.source_import_view),
                name="reports_annualreport_source_import",
            ),
            path(
                "import-job/<int:pk>/status/",
                wrap(self.import_job_status_view),
                name="reports_annualreport_import_job_status",
            ),
            *export_urls(self),
            *rollup_urls(self),
            *super().get_urls(),
        ]

    def history_view(
        self,
        request: HttpRequest,
        object_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Who changed which cell, section or signatory, and every status change."""
        report = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, report):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("%(report)s 的修改记录") % {"report": report},
            "report": report,
            "changes": described(
                report.changes.select_related("user").order_by("-version", "field")[
                    :1000
                ],
                report.table_format,
            ),
            "events": described(
                report.events.select_related("user"), report.table_format
            ),
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/history.html", context
        )

    def source_import_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        report = self.get_object(request, unquote(object_id))
        return SourceImport(self, request, report).respond()

    def _jobs(self, request: HttpRequest) -> QuerySet[ImportJob]:
        jobs = ImportJob.objects.all()
        return jobs if request.user.is_superuser else jobs.filter(user=request.user)

    def import_job_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a big flat sheet; it is checked and imported in the background."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportJobForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = ImportJob.objects.create(
                user=request.user, file=upload, filename=upload.name
            )
            transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
            return HttpResponseRedirect(
                reverse("admin:reports_annualreport_import_job_detail", args=[job.pk])
            )
        fail_stalled_jobs()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("后台导入大文件"),
            "form": form,
            "jobs": self._jobs(request)[:20],
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/import_job.html", context
        )

    def import_job_detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A job's progress; a failed job is imported again (重新导入) from here."""
        fail_stalled_jobs()
        job = get_object_or_404(self._jobs(request), pk=pk)
        can_retry = job.status == ImportJob.Status.FAILED and (
            self.has_import_permission(request)
        )
        if request.method == "POST":
            if not can_retry:
                messages.error(request, _("只有未导入的后台导入可以重新导入。"))
                return HttpResponseRedirect(request.path)
            retry = retry_job(job)  # the same file, for the same user
            messages.success(
                request, _("已重新开始导入 %(file)s。") % {"file": job.filename}
            )
            return HttpResponseRedirect(
                reverse("admin:reports_annualreport_import_job_detail", args=[retry.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "can_retry": can_retry,
        }
        return TemplateResponse(
            request, "admin/reports/annualreport/import_job_detail.html", context
        )

    def import_job_status_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        fail_stalled_jobs()
        job = get_object_or_404(self._jobs(request), pk=pk)
        return JsonResponse({**job.progress(), "errors": job.errors[:100]})
