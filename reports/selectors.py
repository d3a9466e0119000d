"""Reads of report data that several views, exporters and services share."""

from datetime import datetime

from django.db.models import QuerySet

from reports.models import AnnualReport, ReportChange, ReportValue, ReviewEvent
from reports.tables import NA, SIGNATORIES, CellValue


def report_values(report: AnnualReport) -> dict[str, CellValue]:
    """The report's cells by code; blanks are absent (read as None)."""
    return values_from_rows(
        ReportValue.objects.filter(report=report).values_list(
            "code", "value", "not_applicable"
        )
    )


def values_from_rows(rows: QuerySet | list) -> dict[str, CellValue]:
    result: dict[str, CellValue] = {}
    for code, value, not_applicable in rows:
        if not_applicable:
            result[code] = NA
        elif value is not None:
            result[code] = value
    return result


def previous_report(report: AnnualReport) -> AnnualReport | None:
    return AnnualReport.objects.filter(
        agency_id=report.agency_id, year=report.year - 1
    ).first()


def previous_values(report: AnnualReport) -> dict[str, CellValue] | None:
    """Last year's values of the same agency, None when it filed no report."""
    previous = previous_report(report) if report.agency_id else None
    return report_values(previous) if previous is not None else None


def next_report(report: AnnualReport) -> AnnualReport | None:
    return AnnualReport.objects.filter(
        agency_id=report.agency_id, year=report.year + 1
    ).first()


def report_signatories(report: AnnualReport) -> dict[str, object]:
    return {key: getattr(report, key) for key, _label in SIGNATORIES}


def changes_since(report: AnnualReport, version: int) -> QuerySet[ReportChange]:
    """Changes saved after ``version``: what a stale editor has not seen."""
    return (
        ReportChange.objects.filter(report=report, version__gt=version)
        .select_related("user")
        .order_by("version", "field")
    )


def latest_return(report: AnnualReport) -> ReviewEvent | None:
    """The latest return (or reopen) of the report, with its comment."""
    return (
        report.events.filter(to_status=AnnualReport.Status.RETURNED)
        .select_related("user")
        .order_by("-at", "-pk")
        .first()
    )


def fields_changed_since(report: AnnualReport, when: datetime) -> set[str]:
    """The fields (cell codes, ``section:``/``signatory:`` names) changed
    after ``when``: what the clerk fixed since a return."""
    return set(
        ReportChange.objects.filter(report=report, changed_at__gt=when).values_list(
            "field", flat=True
        )
    )
