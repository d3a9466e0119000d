"""Writing a checked bulk import: reports, values and change records, in a
handful of statements (``reports.services.bulk`` does the fast row writes).

``reports.services.imports`` plans and checks; only when every row passed does
it hand its plans here.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from reports.importers.incoming import IncomingReport
from reports.models import AnnualReport, ReportValue
from reports.services.actors import actor
from reports.services.bulk import ChangeRow, ValueRow, insert_changes, upsert_values
from reports.services.changes import as_shown
from reports.services.counts import revalidate_next_years
from reports.services.reports import SIGNATORY_LABELS
from reports.tables import NA, CellValue, format_for_year

if TYPE_CHECKING:
    from reports.services.imports import RowOutcome

BATCH = 2000


@dataclass
class Planned:
    outcome: "RowOutcome"
    incoming: IncomingReport
    report: AnnualReport | None
    values: dict[str, CellValue]  # the cleaned values of the file
    stored: dict[str, CellValue]
    merged: dict[str, CellValue]
    sections: dict[str, str]
    edits: dict[str, tuple[object, object]]
    signatories: dict[str, Any]
    previous: dict[str, CellValue] | None = None


def write_planned(
    planned: list[Planned], *, user: AbstractBaseUser, source: str
) -> None:
    """Upsert reports, upsert and delete values, record changes."""
    actor_user = actor(user)
    now = timezone.now()
    reports: list[AnnualReport] = []
    for plan in planned:
        outcome = plan.outcome
        if outcome.action == "unchanged":
            continue
        counts = outcome.counts
        report = plan.report or AnnualReport(
            agency=outcome.agency,
            year=outcome.year,
            format=format_for_year(outcome.year).code,  # type: ignore[arg-type]
            created_at=now,
        )
        report.version = (plan.report.version + 1) if plan.report else 1
        report.missing_count = counts["missing"]
        report.error_count = counts["error"]
        report.warning_count = counts["warning"]
        report.sections = plan.sections
        for key, value in plan.signatories.items():
            setattr(report, key, value)
        if plan.incoming.table_year is not None:
            report.table_year = plan.incoming.table_year
        report.source = source
        report.updated_by = actor_user
        report.updated_at = now
        reports.append(report)
    update_fields = [
        "version",
        "missing_count",
        "error_count",
        "warning_count",
        "sections",
        *SIGNATORY_LABELS,
        "table_year",
        "source",
        "updated_by",
        "updated_at",
    ]
    AnnualReport.objects.bulk_create(
        reports,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["agency", "year"],
        update_fields=update_fields,
    )
    missing_ids = [r for r in reports if r.pk is None]
    if missing_ids:  # backends that do not return ids from upserts
        found = {
            (r.agency_id, r.year): r.pk
            for r in AnnualReport.objects.filter(
                agency_id__in={r.agency_id for r in missing_ids},
                year__in={r.year for r in missing_ids},
            )
        }
        for report in missing_ids:
            report.pk = found[report.agency_id, report.year]
    by_key = {(r.agency_id, r.year): r for r in reports}
    blanks: list[Q] = []
    changes: list[ChangeRow] = []
    actor_id = actor_user.pk if actor_user is not None else None
    written: list[tuple[AnnualReport, Planned]] = []
    for plan in planned:
        outcome = plan.outcome
        if outcome.action == "unchanged":
            continue
        report = by_key[outcome.agency.pk, outcome.year]  # type: ignore[union-attr]
        outcome.report_id = report.pk
        written.append((report, plan))
        pk, version = report.pk, report.version
        blanked = [
            code
            for code in outcome.changed
            if code in plan.values and plan.values[code] is None
        ]
        if blanked:
            blanks.append(Q(report_id=pk, code__in=blanked))
        if outcome.action == "new":
            # One entry for a whole new report: 58 to 200 rows of "blank → x"
            # would say nothing more than "imported".
            summary = f"导入 {len(plan.values)} 个单元格"
            changes.append((pk, version, "import", "", summary, actor_id, now))
            continue
        changes.extend(
            (pk, version, name, as_shown(name, old), as_shown(name, new), actor_id, now)
            for name, (old, new) in plan.edits.items()
        )
    for start in range(0, len(blanks), 500):
        query = Q(pk__in=[])
        for part in blanks[start : start + 500]:
            query |= part
        ReportValue.objects.filter(query).delete()
    upsert_values(_value_rows(written))
    insert_changes(changes)
    revalidate_next_years(
        [report for report, _plan in written],
        {report.pk: plan.merged for report, plan in written},
    )


def _value_rows(written: list[tuple[AnnualReport, Planned]]) -> Iterator[ValueRow]:
    """The changed cells that hold a value or "not applicable", one at a time:
    a list of them would hold 580,000 tuples (44 MB) at the import's peak."""
    for report, plan in written:
        for code in plan.outcome.changed:
            value = plan.values.get(code)
            if value is NA:
                yield (report.pk, code, None, True)
            elif value is not None:
                yield (report.pk, code, value, False)  # type: ignore[misc]
