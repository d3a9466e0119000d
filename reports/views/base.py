"""What every page about one report shares."""

from collections.abc import Iterable
from typing import Any

from django.contrib.admin import ModelAdmin
from django.http import HttpRequest

from agencies import permissions
from reports.models import AnnualReport, ReportChange, ReviewEvent
from reports.services import is_editable
from reports.services.actors import is_system
from reports.tables import TableFormat, field_label


def who(user: Any) -> str:
    """A user as pages name them; the system actor (or nobody) is 系统."""
    if user is None or is_system(user):
        return "系统"
    return user.get_full_name() or user.get_username()


def described[Record: (ReportChange, ReviewEvent)](
    records: Iterable[Record], table_format: TableFormat
) -> list[Record]:
    """Change records and review events with ``who`` and, for changes, the
    official ``label`` of the field: users never read cell codes."""
    result = list(records)
    for record in result:
        record.who = who(record.user)  # type: ignore[union-attr]
        if isinstance(record, ReportChange):
            record.label = field_label(table_format, record.field)  # type: ignore[attr-defined]
    return result


class ReportPage:
    """One request on a page about one report, with who may change it."""

    def __init__(
        self, model_admin: ModelAdmin, request: HttpRequest, report: AnnualReport
    ) -> None:
        self.model_admin = model_admin
        self.request = request
        self.report = report
        self.can_edit = (
            is_editable(report)
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
