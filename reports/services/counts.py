"""The stored counts of findings, one home for keeping them true.

Each report stores its counts of missing cells, errors and warnings so that the
changelist filters on them. Next year's cross-year rules read this year's
values, so every write of values (one report or many) refreshes next year's
counts too, through ``revalidate_next_years``.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from types import EllipsisType
from typing import Any

from reports.models import AnnualReport, ReportValue
from reports.selectors import (
    previous_values,
    report_signatories,
    report_values,
    values_from_rows,
)
from reports.tables import CellValue, Finding
from reports.tables.base import PreviousYear
from reports.validation import count_findings, validate_report

BATCH = 2000


def findings_for(
    report: AnnualReport,
    values: Mapping[str, CellValue],
    *,
    previous: Mapping[str, CellValue] | None,
) -> list[Finding]:
    """The validator's findings on a report with these values."""
    return validate_report(
        table_format=report.table_format,
        values=values,
        sections=report.sections,
        signatories=report_signatories(report),
        year=report.year,
        table_year=report.table_year,
        previous=previous,
    )


def report_findings(
    report: AnnualReport,
    *,
    values: Mapping[str, CellValue] | None = None,
    previous: Mapping[str, CellValue] | None | EllipsisType = ...,
) -> list[Finding]:
    """The findings of a stored report, as the validator sees it now.

    A caller that has already read the report's values, or last year's
    (``None`` when there is no report last year), passes them in.
    """
    return findings_for(
        report,
        report_values(report) if values is None else values,
        previous=previous_values(report) if previous is ... else previous,
    )


def finding_key(finding: Finding) -> str:
    """A stable key for a warning, under which its explanation is stored."""
    return f"{finding.rule}|{'/'.join(finding.cells)}"


def store_counts(report: AnnualReport, findings: list[Finding]) -> None:
    counts = count_findings(findings)
    report.missing_count = counts["missing"]
    report.error_count = counts["error"]
    report.warning_count = counts["warning"]


def revalidate_next_years(
    reports: Iterable[AnnualReport], values: Mapping[int, Mapping[str, CellValue]]
) -> int:
    """Refresh the counts of the reports filed the year after ``reports``.

    ``values`` holds the just-written values of each report by id. Returns how
    many reports' counts were refreshed.
    """
    written = {(r.agency_id, r.year + 1): r.pk for r in reports}
    if not written:
        return 0
    candidates = AnnualReport.objects.filter(
        agency_id__in={agency for agency, _year in written},
        year__in={year for _agency, year in written},
    )
    following = [
        r
        for r in candidates
        if (r.agency_id, r.year) in written
        and any(isinstance(rule, PreviousYear) for rule in r.table_format.rules)
    ]
    if not following:
        return 0
    stored: dict[int, list[Any]] = defaultdict(list)
    ids = [r.pk for r in following]
    for start in range(0, len(ids), BATCH):
        rows = ReportValue.objects.filter(report_id__in=ids[start : start + BATCH])
        for report_id, *row in rows.values_list(
            "report_id", "code", "value", "not_applicable"
        ):
            stored[report_id].append(row)
    for report in following:
        previous = values[written[report.agency_id, report.year]]
        findings = findings_for(
            report, values_from_rows(stored[report.pk]), previous=previous
        )
        store_counts(report, findings)
    AnnualReport.objects.bulk_update(
        following,
        ["missing_count", "error_count", "warning_count"],
        batch_size=BATCH,
    )
    return len(following)
