"""The review of a report: its statuses, who may move it, and the one function
that does.

``TRANSITIONS`` declares every move (from, to, who may, comment required);
buttons, the queue's filters and the tests read it. ``transition_apply``
applies any of them, whole or not at all: it locks the report, checks the
version the user saw, the role and scope, records a ``ReviewEvent`` and
notifies the other side. An approved report is locked against every write
path, because every write path asks ``is_editable``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agencies import permissions
from audit.services import Kind as AuditKind
from audit.services import audit_record
from reports.models import AnnualReport, ReviewEvent
from reports.services.actors import actor, is_system
from reports.services.counts import finding_key, report_findings, store_counts
from reports.services.errors import ReportError
from reports.services.notifications import notify
from reports.tables import SIGNATORIES
from reports.validation import count_findings

Status = AnnualReport.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
COMMENT_LIMIT = 2000


def is_editable(report: AnnualReport) -> bool:
    """Only a draft or a returned report may be changed, imported into or
    deleted; submitted and approved reports are locked."""
    return report.status in EDITABLE


def not_editable_message(report: AnnualReport) -> str:
    """The one message for a write refused by the report's status."""
    if report.status == Status.APPROVED:
        return f"{report} 已通过审核并锁定，不能修改；如需更正，请审核人重新打开。"
    return (
        f"{report} 状态为“{report.get_status_display()}”，不能修改；"
        "如需修改，请先撤回（或由审核人退回）。"
    )


class StaleTransitionError(ReportError):
    """The report changed after the user looked: nothing was done."""


class Role(StrEnum):
    CLERK = "clerk"  # 填报人 of the report's agency (or an ancestor)
    REVIEWER = "reviewer"  # 审核人 of a proper ancestor


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button
    sources: tuple[str, ...]
    target: str
    role: Role
    comment_required: bool = False
    done: str = ""  # what the event says happened, for messages


TRANSITIONS: Mapping[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            "提交审核",
            (Status.DRAFT, Status.RETURNED),
            Status.SUBMITTED,
            Role.CLERK,
            done="提交审核",
        ),
        Transition(
            "withdraw",
            "撤回",
            (Status.SUBMITTED,),
            Status.DRAFT,
            Role.CLERK,
            done="撤回",
        ),
        Transition(
            "approve",
            "通过",
            (Status.SUBMITTED,),
            Status.APPROVED,
            Role.REVIEWER,
            done="审核通过",
        ),
        Transition(
            "return",
            "退回修改",
            (Status.SUBMITTED,),
            Status.RETURNED,
            Role.REVIEWER,
            comment_required=True,
            done="退回",
        ),
        Transition(
            "reopen",
            "重新打开",
            (Status.APPROVED,),
            Status.RETURNED,
            Role.REVIEWER,
            comment_required=True,
            done="重新打开（退回）",
        ),
    )
}


def may_act(
    user: AbstractBaseUser, report: AnnualReport, transition: Transition
) -> bool:
    """Whether the user holds the transition's role for the report's agency."""
    if is_system(user):
        return True
    if transition.role is Role.CLERK:
        return permissions.can_file(user, report.agency)
    return permissions.can_review(user, report.agency)


def available(user: AbstractBaseUser, report: AnnualReport) -> list[Transition]:
    """The transitions this user may apply to the report as it is now."""
    return [
        t
        for t in TRANSITIONS.values()
        if report.status in t.sources and may_act(user, report, t)
    ]


def _refusal(report: AnnualReport, expected_version: int) -> str:
    """What happened since the user looked: the latest status change, if any."""
    text = (
        f"没有执行：您看到的是第 {expected_version} 版，报告此后已变为第 "
        f"{report.version} 版，当前状态“{report.get_status_display()}”"
    )
    event = report.events.select_related("user").order_by("-at", "-pk").first()
    if event is not None:
        who = "系统"
        if event.user is not None and not is_system(event.user):
            who = event.user.get_full_name() or event.user.get_username()
        when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")
        text += (
            f"（{when} {who}：{event.get_from_status_display()} → "
            f"{event.get_to_status_display()}）"
        )
    return text + "。请刷新页面后再操作。"


def transition_apply(
    *,
    name: str,
    report: AnnualReport,
    user: AbstractBaseUser,
    expected_version: int,
    comment: str = "",
    cells: Sequence[str] = (),
    explanations: Mapping[str, str] | None = None,
) -> AnnualReport:
    """Apply one transition of ``TRANSITIONS``, whole or not at all."""
    transition = TRANSITIONS[name]
    actor(user)  # an actor is required
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=report.pk)
        )
        if not may_act(user, locked, transition):
            raise PermissionDenied(f"您无权对{locked}执行“{transition.label}”。")
        if locked.version != expected_version:
            raise StaleTransitionError(_refusal(locked, expected_version))
        if locked.status not in transition.sources:
            raise ReportError(
                f"报告状态为“{locked.get_status_display()}”，不能“{transition.label}”。"
            )
        if transition.comment_required and not comment:
            raise ReportError(f"“{transition.label}”须写明意见。")
        if len(comment) > COMMENT_LIMIT:
            raise ReportError(f"意见不能超过 {COMMENT_LIMIT} 字。")
        if name == "approve" and locked.updated_by_id == getattr(user, "pk", None):
            raise ReportError(
                "您最后修改过这份报告，不能由您审核通过；请另一位审核人审核。"
            )
        if name == "submit":
            _check_complete(locked, explanations or {})
        unknown = [c for c in cells if not _is_field(locked, c)]
        if unknown:
            raise ReportError("意见所指的单元格不存在。")
        previous = locked.status
        locked.status = transition.target
        locked.version += 1
        now = timezone.now()
        if name == "submit":
            locked.submitted_at = now
            locked.decided_at = None
        elif name == "withdraw":
            locked.submitted_at = None
        else:
            locked.decided_at = now
        locked.save()
        event = ReviewEvent.objects.create(
            report=locked,
            from_status=previous,
            to_status=locked.status,
            comment=comment,
            cells=list(cells),
            user=actor(user),
        )
        notify(event=event, transition=transition)
        audit_record(
            kind=AuditKind.REVIEW,
            user=user,
            report=locked,
            action=name,
            summary=f"{transition.label}：{locked}（{event.get_from_status_display()}"
            f" → {event.get_to_status_display()}）",
            detail={"event": event.pk, "version": locked.version},
        )
    report.refresh_from_db()
    return report


def _is_field(report: AnnualReport, name: str) -> bool:
    if name in report.table_format.cells:
        return True
    kind, _sep, key = name.partition(":")
    if kind == "section":
        return key in {s.key for s in report.table_format.sections}
    if kind == "signatory":
        return key in dict(SIGNATORIES)
    return name == "table_year"


def _check_complete(report: AnnualReport, explanations: Mapping[str, str]) -> None:
    """Submit needs nothing missing, no error, and every warning explained."""
    findings = report_findings(report)
    counts = count_findings(findings)
    if counts["missing"] or counts["error"]:
        raise ReportError(
            f"还有 {counts['missing']} 个缺项、{counts['error']} 个错误，"
            "不能提交审核；请补齐并改正后再提交。"
        )
    warnings = {finding_key(f): f for f in findings if f.severity == "warning"}
    lacking = [
        f"请说明：{f.message}"
        for key, f in warnings.items()
        if not (explanations.get(key) or "").strip()
    ]
    if lacking:
        raise ReportError(lacking)
    report.explanations = {k: explanations[k].strip() for k in warnings}
    store_counts(report, findings)


def report_submit(
    *,
    report: AnnualReport,
    user: AbstractBaseUser,
    expected_version: int,
    explanations: Mapping[str, str] | None = None,
) -> AnnualReport:
    """Clerk: 草稿 or 已退回 → 已提交, once nothing is missing or wrong."""
    return transition_apply(
        name="submit",
        report=report,
        user=user,
        expected_version=expected_version,
        explanations=explanations,
    )


def report_withdraw(
    *, report: AnnualReport, user: AbstractBaseUser, expected_version: int
) -> AnnualReport:
    """Clerk: 已提交 → 草稿, until a reviewer has acted."""
    return transition_apply(
        name="withdraw", report=report, user=user, expected_version=expected_version
    )


def report_approve(
    *,
    report: AnnualReport,
    user: AbstractBaseUser,
    expected_version: int,
    comment: str = "",
) -> AnnualReport:
    """Reviewer of an ancestor: 已提交 → 已通过; the report is then locked."""
    return transition_apply(
        name="approve",
        report=report,
        user=user,
        expected_version=expected_version,
        comment=comment,
    )


def report_return(
    *,
    report: AnnualReport,
    user: AbstractBaseUser,
    expected_version: int,
    comment: str,
    cells: Sequence[str] = (),
) -> AnnualReport:
    """Reviewer: 已提交 → 已退回, with a comment, optionally pinned to cells."""
    return transition_apply(
        name="return",
        report=report,
        user=user,
        expected_version=expected_version,
        comment=comment,
        cells=cells,
    )


def report_reopen(
    *,
    report: AnnualReport,
    user: AbstractBaseUser,
    expected_version: int,
    comment: str,
    cells: Sequence[str] = (),
) -> AnnualReport:
    """Reviewer: 已通过 → 已退回, with the reason."""
    return transition_apply(
        name="reopen",
        report=report,
        user=user,
        expected_version=expected_version,
        comment=comment,
        cells=cells,
    )
