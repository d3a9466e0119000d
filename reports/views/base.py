"""What every page about one report shares."""

from typing import Any

from django.contrib.admin import ModelAdmin
from django.http import HttpRequest

from agencies import permissions
from reports.models import AnnualReport
from reports.services import EDITABLE


class ReportPage:
    """One request on a page about one report, with who may change it."""

    def __init__(
        self, model_admin: ModelAdmin, request: HttpRequest, report: AnnualReport
    ) -> None:
        self.model_admin = model_admin
        self.request = request
        self.report = report
        self.can_edit = (
            report.status in EDITABLE
            and model_admin.has_change_permission(request, report)
            and permissions.can_file(request.user, report.agency)
        )

    def base_context(self, title: str) -> dict[str, Any]:
        return {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": self.model_admin.model._meta,
            "title": title,
            "report": self.report,
        }
