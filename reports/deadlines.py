"""When a year's reports are due, and which agencies are late: the one rule.

An administrator may set a year's two dates (``reports.models.Deadline``);
without a row the defaults apply: for format A years every agency files by
31 March of the next year; from the 2019 formats on, people's governments
file by 31 March and every other agency by 31 January.

A report is on time when it was submitted (and is now submitted or approved)
no later than the due date; an agency is late once the due date has passed
and it has not. ``due_date`` answers for one agency; ``with_status`` annotates
a queryset of agencies with their report of a year and the late flag, in SQL,
for the completeness board and its export.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db.models import (
    BooleanField,
    Case,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies.models import Agency
from reports.models import AnnualReport, Deadline
from reports.tables import format_for_year

Status = AnnualReport.Status
# A report in one of these states has been handed in; submitted_at says when.
FILED = (Status.SUBMITTED, Status.APPROVED)
UNFILED = tuple(s for s in Status if s not in FILED)
GOVERNMENT = Agency.Kind.GOVERNMENT
NOT_GOVERNMENT = tuple(k for k in Agency.Kind if k != GOVERNMENT)
NOT_STARTED = "none"  # an agency without a report for the year


BOARD_STATES = (NOT_STARTED, *Status.values)


def board_statuses() -> list[tuple[str, str]]:
    """What the completeness board calls an agency's state for a year:
    未开始, then the report statuses in their declared order."""
    return list(_labelled(get_language()))


@lru_cache
def _labelled(language: str | None) -> tuple[tuple[str, str], ...]:
    # Built once per language: the board asks for every row.
    return ((NOT_STARTED, str(_("未开始"))), *((s.value, str(s.label)) for s in Status))


def status_label(status: str | None) -> str:
    """The board's name for a report status (None: no report)."""
    return dict(_labelled(get_language()))[status or NOT_STARTED]


@dataclass(frozen=True)
class Dues:
    """A year's two due dates."""

    year: int
    government: date
    others: date
    custom: bool = False  # set by an administrator (a Deadline row)

    def for_kind(self, kind: str) -> date:
        return self.government if kind == GOVERNMENT else self.others


def default_dues(year: int) -> Dues:
    """The dates that apply when no administrator has set the year's."""
    march = date(year + 1, 3, 31)
    if format_for_year(year).code == "A":
        return Dues(year, government=march, others=march)
    return Dues(year, government=march, others=date(year + 1, 1, 31))


def year_dues(year: int) -> Dues:
    """The year's due dates: the administrator's, or the defaults (one query)."""
    row = Deadline.objects.filter(year=year).first()
    if row is None:
        return default_dues(year)
    return Dues(year, row.government_due, row.department_due, custom=True)


def due_date(agency: Agency, year: int) -> date:
    """When ``agency``'s report for ``year`` is due."""
    return year_dues(year).for_kind(agency.kind)


def cutoff(due: date) -> datetime:
    """The first moment after the due date, in the site's time zone."""
    return timezone.make_aware(datetime.combine(due + timedelta(days=1), time.min))


def is_late(
    *,
    due: date,
    status: str | None,
    submitted_at: datetime | None,
    today: date | None = None,
) -> bool:
    """The rule for one report (``status`` None: no report): past the due
    date and not handed in by it. A filed report without a submission time
    (imported as filed) counts as on time."""
    today = today or timezone.localdate()
    if today <= due:
        return False
    if status not in FILED:
        return True
    return submitted_at is not None and submitted_at >= cutoff(due)


def late_expression(
    dues: Dues, *, today: date, kind: str, status: str, submitted_at: str
) -> Case:
    """``is_late`` as SQL over rows whose agency kind, report status and
    submission time are the lookups ``kind``, ``status`` and ``submitted_at``
    (a missing report reads as a NULL status)."""
    whens = []
    for kinds, due in ((GOVERNMENT,), dues.government), (NOT_GOVERNMENT, dues.others):
        if today <= due:
            continue  # nobody of these kinds is late yet
        not_filed = Q(**{f"{status}__isnull": True}) | Q(**{f"{status}__in": UNFILED})
        filed_late = Q(**{f"{status}__in": FILED, f"{submitted_at}__gte": cutoff(due)})
        whens.append(
            When(Q(**{f"{kind}__in": kinds}) & (not_filed | filed_late), then=True)
        )
    return Case(*whens, default=Value(False), output_field=BooleanField())


def with_status(
    agencies: QuerySet[Agency], *, dues: Dues, today: date | None = None
) -> QuerySet[Agency]:
    """``agencies`` with their report of ``dues.year``: ``report_id``,
    ``report_status`` (None when not started), ``submitted_at`` and ``late``.
    One LEFT JOIN, whatever the number of agencies."""
    today = today or timezone.localdate()
    return agencies.annotate(
        year_report=FilteredRelation("reports", condition=Q(reports__year=dues.year)),
        report_id=F("year_report__id"),
        report_status=F("year_report__status"),
        submitted_at=F("year_report__submitted_at"),
        late=late_expression(
            dues,
            today=today,
            kind="kind",
            status="year_report__status",
            submitted_at="year_report__submitted_at",
        ),
    )
