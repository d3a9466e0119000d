"""The start page (the admin index): what each user has to do now.

A clerk sees this filing season's report of each of their agencies with its
next step and the days to the deadline; a reviewer sees the reports waiting
for them, oldest first, and the completeness of their subtree; everyone sees
their unread notifications. Django's app list moves to the side column, for
superusers and whoever wants it. Every query is scoped through
``agencies.permissions`` or the user's own memberships and notifications.
Deadlines and the board's status names come from ``reports.deadlines``.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies import permissions
from agencies.models import Agency, Membership
from reports.deadlines import NOT_STARTED, Dues, board_statuses, with_status, year_dues
from reports.forms import NewReportForm
from reports.models import AnnualReport, Notification, ReviewEvent
from reports.services.notifications import (
    notification_mark_read,
    unread_notifications,
)
from reports.views.queue import review_url

Status = AnnualReport.Status
QUEUE_SHOWN = 10
NOTICES_SHOWN = 20
SOON_DAYS = 14  # the countdown turns to a warning colour this close


@dataclass(frozen=True)
class NextStep:
    """What the clerk does next; ``code`` is stable, tests read it."""

    code: str  # create, fill, fix, submit, returned, waiting, approved
    text: str
    detail: str = ""


@dataclass
class FilingRow:
    agency: Agency
    report: AnnualReport | None
    step: NextStep
    due: datetime.date
    days_left: int | None  # None once submitted or approved
    url: str = ""

    @property
    def deadline_text(self) -> str:
        return deadline_text(self.days_left)

    @property
    def deadline_class(self) -> str:
        if self.days_left is None:
            return ""
        if self.days_left < 0:
            return "nb-overdue"
        return "nb-soon" if self.days_left <= SOON_DAYS else ""


@dataclass
class QueueRow:
    report: AnnualReport
    waiting_days: int
    url: str


@dataclass
class CompletenessLine:
    root: Agency
    agencies: int  # agencies the user reviews below ``root``
    counts: dict[str, int] = field(default_factory=dict)  # by board status
    late: int = 0
    board_url: str = ""

    @property
    def parts(self) -> list[tuple[str, int]]:
        """(label, count) in the order of a report's life, as the board says."""
        return [(label, self.counts.get(key, 0)) for key, label in board_statuses()]


def safe_reverse(name: str, *args: Any) -> str:
    """The URL of a page another part of the project may not have yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def deadline_text(days_left: int | None) -> str:
    if days_left is None:
        return ""
    if days_left > 0:
        return f"还有 {days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"已逾期 {-days_left} 天"


def next_step(report: AnnualReport | None, *, return_comment: str = "") -> NextStep:
    """The next step of a clerk's report, from its status and stored counts."""
    if report is None:
        return NextStep("create", "新建")
    if report.status == Status.SUBMITTED:
        when = ""
        if report.submitted_at is not None:
            when = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d")
        return NextStep("waiting", f"已于 {when} 提交，等待审核")
    if report.status == Status.APPROVED:
        return NextStep("approved", "已通过")
    problems = _problems(report)
    if report.status == Status.RETURNED:
        return NextStep(
            "returned",
            f"已退回：{return_comment or '（无意见）'}",
            problems or "请按意见修改后重新提交审核",
        )
    if report.error_count:
        return NextStep("fix", f"改正 {report.error_count} 处问题", problems)
    if report.missing_count:
        return NextStep("fill", "填写", problems)
    return NextStep("submit", "提交审核", problems)


def _problems(report: AnnualReport) -> str:
    parts = []
    if report.missing_count:
        parts.append(f"缺 {report.missing_count} 项")
    if report.error_count:
        parts.append(f"{report.error_count} 个错误")
    if report.warning_count:
        parts.append(f"{report.warning_count} 条提示须说明")
    return "、".join(parts)


def _return_comments(reports: list[AnnualReport]) -> dict[int, str]:
    """The latest return (or reopen) comment of each returned report."""
    returned = [r.pk for r in reports if r.status == Status.RETURNED]
    comments: dict[int, str] = {}
    events = (
        ReviewEvent.objects.filter(report_id__in=returned, to_status=Status.RETURNED)
        .order_by("report_id", "-at", "-pk")
        .values_list("report_id", "comment")
    )
    for report_id, comment in events:
        comments.setdefault(report_id, comment)
    return comments


def filing_rows(
    memberships: list[Membership], *, dues: Dues, today: datetime.date
) -> list[FilingRow]:
    """The report of ``dues.year`` of each agency the user is a clerk of."""
    year = dues.year
    agencies = list(
        {
            m.agency.pk: m.agency
            for m in memberships
            if m.role == Membership.Role.CLERK
        }.values()
    )
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(agency__in=agencies, year=year)
    }
    comments = _return_comments(list(reports.values()))
    rows = []
    for agency in agencies:
        report = reports.get(agency.pk)
        due = dues.for_kind(agency.kind)
        if report is None:
            rows.append(
                FilingRow(agency, None, next_step(None), due, (due - today).days)
            )
            continue
        done = report.status in (Status.SUBMITTED, Status.APPROVED)
        rows.append(
            FilingRow(
                agency=agency,
                report=report,
                step=next_step(report, return_comment=comments.get(report.pk, "")),
                due=due,
                days_left=None if done else (due - today).days,
                url=reverse("admin:reports_annualreport_change", args=[report.pk]),
            )
        )
    return rows


def review_queue(
    user: AbstractBaseUser, *, today: datetime.date
) -> tuple[int, list[QueueRow]]:
    """How many submitted reports wait for this user, and the oldest of them."""
    waiting = AnnualReport.objects.filter(status=Status.SUBMITTED)
    scope = permissions.review_q(user, "agency__")
    if scope is not None:
        waiting = waiting.filter(scope)
    oldest = waiting.select_related("agency").order_by(
        F("submitted_at").asc(nulls_last=True), "pk"
    )
    rows = [
        QueueRow(
            report=report,
            waiting_days=(
                today - timezone.localdate(report.submitted_at)
                if report.submitted_at
                else datetime.timedelta(0)
            ).days,
            url=review_url(report.pk),
        )
        for report in oldest[:QUEUE_SHOWN]
    ]
    return waiting.count(), rows


def _review_roots(user: AbstractBaseUser, memberships: list[Membership]) -> list:
    """The top agencies of the user's review scope."""
    if user.is_superuser:
        return list(Agency.objects.get_root_nodes())
    agencies = sorted(
        {m.agency for m in memberships if m.role == Membership.Role.REVIEWER},
        key=lambda a: a.path,
    )
    roots: list[Agency] = []
    for agency in agencies:
        if not any(agency.path.startswith(root.path) for root in roots):
            roots.append(agency)
    return roots


def completeness(
    user: AbstractBaseUser,
    memberships: list[Membership],
    *,
    dues: Dues,
    today: datetime.date,
    board_url: str = "",
) -> list[CompletenessLine]:
    """Per root of the review scope: the agencies the user reviews, by the
    state of their report of ``year`` and how many are late (the board's
    rule, reports.deadlines), in one grouped query per root."""
    reviewable = permissions.reviewable_agencies(user)
    year = dues.year
    lines = []
    for root in _review_roots(user, memberships):
        grouped = (
            with_status(
                reviewable.filter(path__startswith=root.path), dues=dues, today=today
            )
            .values("report_status")
            .annotate(n=Count("pk"), late_n=Count("pk", filter=Q(late=True)))
            .order_by()
        )
        line = CompletenessLine(
            root=root,
            agencies=0,
            board_url=f"{board_url}?year={year}&agency={root.pk}" if board_url else "",
        )
        for item in grouped:
            key = item["report_status"] or NOT_STARTED
            line.counts[key] = line.counts.get(key, 0) + item["n"]
            line.agencies += item["n"]
            line.late += item["late_n"]
        lines.append(line)
    return lines


def notices(user: AbstractBaseUser) -> list[Notification]:
    """The newest unread notices, each with the page it leads to: the review
    page for a reviewer of the report, its own page for anyone else."""
    result = list(
        unread_notifications(user).select_related("report__agency")[:NOTICES_SHOWN]
    )
    for notice in result:
        if permissions.can_review(user, notice.report.agency):
            notice.url = review_url(notice.report_id)  # type: ignore[attr-defined]
        else:
            notice.url = reverse(  # type: ignore[attr-defined]
                "admin:reports_annualreport_change", args=[notice.report_id]
            )
    return result


def home_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the start page shows to ``request.user``."""
    user = request.user
    today = timezone.localdate()
    year = NewReportForm.default_year()
    dues = year_dues(year)
    memberships = list(
        Membership.objects.filter(user_id=user.pk)
        .select_related("agency")
        .order_by("agency__path", "role")
    )
    is_reviewer = user.is_superuser or any(
        m.role == Membership.Role.REVIEWER for m in memberships
    )
    context: dict[str, Any] = {
        "home": True,
        "home_year": year,
        "filing_rows": filing_rows(memberships, dues=dues, today=today),
        "can_create": user.has_perm("reports.add_annualreport"),
        "add_url": reverse("admin:reports_annualreport_add"),
        "is_reviewer": is_reviewer,
        "notices": notices(user),
        "notice_count": unread_notifications(user).count(),
        "queue_url": safe_reverse("admin:reports_annualreport_queue"),
        "board_url": safe_reverse("admin:reports_annualreport_board"),
    }
    if is_reviewer:
        waiting, queue = review_queue(user, today=today)
        context.update(
            waiting_count=waiting,
            queue=queue,
            completeness=completeness(
                user,
                memberships,
                dues=dues,
                today=today,
                board_url=context["board_url"],
            ),
        )
    return context


def index(request: HttpRequest) -> HttpResponse:
    """The admin index: the start page, with Django's app list beside it."""
    return admin.site.index(request, extra_context=home_context(request))


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """标为已读: only the user's own notice; anyone else's answers 404."""
    notice = get_object_or_404(Notification, pk=pk, user_id=request.user.pk)
    notification_mark_read(user=request.user, pk=notice.pk)
    return HttpResponseRedirect(reverse("admin:index"))


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """全部标为已读: the user's own notices."""
    notification_mark_read(user=request.user)
    return HttpResponseRedirect(reverse("admin:index"))
