"""The review queue (审核队列): the reports a reviewer is to look at.

By default the submitted reports of the user's review scope, oldest
submission first; filtered by ``reports.filters.QueueFilter``. Each row leads
to the report's review page in one click. The page reads a fixed number of
queries whatever the number of rows.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from agencies import permissions
from reports.filters import QueueFilter, awaiting_review
from reports.models import AnnualReport
from reports.tables import FORMATS

QUEUE_PAGE = 50


def review_url(report_id: int) -> str:
    """The report's review page; its change page until the review page exists."""
    try:
        return reverse("admin:reports_annualreport_review", args=[report_id])
    except NoReverseMatch:
        return reverse("admin:reports_annualreport_change", args=[report_id])


def queue_reports(request: HttpRequest) -> QuerySet[AnnualReport]:
    """The reports the user reviews, oldest submission first."""
    reports = AnnualReport.objects.all()
    q = permissions.review_q(request.user, "agency__")
    if q is not None:
        reports = reports.filter(q)
    return (
        reports.select_related("agency")
        .only(
            "year",
            "format",
            "status",
            "submitted_at",
            "missing_count",
            "error_count",
            "warning_count",
            "agency__name",
            "agency__path",
        )
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def queue_view(model_admin: ModelAdmin) -> Callable[[HttpRequest], HttpResponse]:
    """The view ``ReportAdmin.get_urls`` serves at ``queue/``."""

    def view(request: HttpRequest) -> HttpResponse:
        return ReviewQueue(model_admin, request).respond()

    return view


class ReviewQueue:
    """One request for the queue."""

    template = "admin/reports/annualreport/queue.html"

    def __init__(self, model_admin: ModelAdmin, request: HttpRequest) -> None:
        self.model_admin = model_admin
        self.request = request

    def respond(self) -> HttpResponse:
        request = self.request
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        data = request.GET.copy()
        if "status" not in data:  # an empty status is a choice: 全部
            data["status"] = awaiting_review()
        filterset = QueueFilter(data, queryset=queue_reports(request), request=request)
        valid = filterset.is_valid()
        reports = filterset.qs if valid else AnnualReport.objects.none()
        page = Paginator(reports, QUEUE_PAGE).get_page(request.GET.get("p"))
        rows = list(page.object_list)
        for report in rows:
            report.review_url = review_url(report.pk)  # type: ignore[attr-defined]
            table_format = FORMATS.get(report.format)
            report.format_name = table_format.code if table_format else report.format  # type: ignore[attr-defined]
        context: dict[str, Any] = {
            **self.model_admin.admin_site.each_context(request),
            "opts": self.model_admin.model._meta,
            "title": _("审核队列"),
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "rows": rows,
            # the agency filter offers every reviewed subtree: none, no review
            "reviews": len(filterset.form.fields["agency"].widget.choices) > 1,
        }
        return TemplateResponse(
            request, self.template, context, status=200 if valid else 400
        )
