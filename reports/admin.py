"""The report admin: the scoped changelist, one-click creation, the form page."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import permissions
from agencies.admin import ScopedAdminMixin
from reports.filters import FormatFilter, HasErrorsFilter, HasMissingFilter, YearFilter
from reports.forms import NewReportForm
from reports.models import AnnualReport
from reports.services import ReportError, ReportExistsError, report_create
from reports.tables import FORMATS
from reports.views import ReportEditor

NEW_REPORT_SHORTCUTS = 10


def _change_url(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_change", args=[report.pk])


@admin.register(AnnualReport)
class ReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
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

    def agency_choices_q(self, request: HttpRequest) -> Q | None:
        return permissions.filing_q(request.user)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), **self._shortcuts(request)}
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
        return ReportEditor(self, request, report).respond()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("agency")
