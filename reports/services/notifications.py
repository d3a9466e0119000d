"""Telling the other side: submission reaches the reviewers, return and
approval reach the clerks.

Each transition leaves a ``Notification`` for every recipient (shown on their
start page) and, for those with an e-mail address, a mail sent through
Django's e-mail framework once the transaction commits. Mail links are
absolute, built from ``NIANBAO_SITE_URL``: a mail has no request to ask.
"""

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agencies.models import Agency, Membership
from reports.models import AnnualReport, Notification, ReviewEvent
from reports.services.actors import is_system

if TYPE_CHECKING:
    from reports.services.review import Transition

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "【年报】"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
TEXT_LIMIT = 300  # Notification.text
SIGNATURE = "nianbao 政府信息公开工作年度报告填报系统（本邮件由系统自动发送，请勿回复）"

# What the recipient is asked to do, by transition name.
NEXT_STEP = {
    "submit": "请登录系统审核这份报告。",
    "withdraw": "填报人已撤回，暂时无需审核。",
    "approve": "报告已通过审核并锁定。",
    "return": "请按意见修改后重新提交审核。",
    "reopen": "请按意见修改后重新提交审核。",
}


def recipients(report: AnnualReport, *, to_reviewers: bool) -> list:
    """Reviewers of the agency's ancestors, or the clerks of the agency itself
    and whoever submitted the report."""
    users = get_user_model().objects.filter(is_active=True)
    if to_reviewers:
        ancestors = Agency.objects.get_ancestors(report.agency)
        return list(
            users.filter(
                memberships__role=Membership.Role.REVIEWER,
                memberships__agency__in=ancestors,
            )
            .distinct()
            .order_by("pk")
        )
    submitter = (
        report.events.filter(to_status=AnnualReport.Status.SUBMITTED)
        .order_by("-at", "-pk")
        .values_list("user_id", flat=True)
        .first()
    )
    clerks = users.filter(
        memberships__role=Membership.Role.CLERK, memberships__agency=report.agency
    )
    if submitter is not None:
        clerks = clerks | users.filter(pk=submitter)
    return list(clerks.distinct().order_by("pk"))


def goes_to_reviewers(transition: "Transition") -> bool:
    """A clerk's move (submit, withdraw) goes to the reviewers, a reviewer's
    to the clerks."""
    return transition.role == "clerk"


def display_name(user: AbstractBaseUser | None) -> str:
    """A user as messages name them; the system actor (or nobody) is 系统."""
    if user is None or is_system(user):
        return "系统"
    return user.get_full_name() or user.get_username()


def describe(event: ReviewEvent, transition: "Transition") -> str:
    """The one-line notice on the start page."""
    text = f"{event.report}：{display_name(event.user)} {transition.done}"
    if event.comment:
        text += f"。意见：{event.comment}"
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 1] + "…"
    return text


def site_url() -> str:
    return (getattr(settings, "NIANBAO_SITE_URL", "") or DEFAULT_SITE_URL).rstrip("/")


def report_url(report: AnnualReport, *, review: bool = False) -> str:
    """The report's page, absolute, for mails: its review page for reviewers
    (once that page exists), its own page for clerks."""
    if review:
        try:
            return site_url() + reverse(
                "admin:reports_annualreport_review", args=[report.pk]
            )
        except NoReverseMatch:
            pass
    return site_url() + reverse("admin:reports_annualreport_change", args=[report.pk])


def mail_subject(event: ReviewEvent, transition: "Transition") -> str:
    return f"{SUBJECT_PREFIX}{event.report}：{transition.done}"


def mail_body(
    event: ReviewEvent, transition: "Transition", user: AbstractBaseUser
) -> str:
    """The mail to one recipient: what happened, the whole comment, the link."""
    when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")
    lines = [
        f"{display_name(user)}，您好：",
        "",
        f"{display_name(event.user)} 于 {when} 对{event.report}"
        f"执行了“{transition.done}”。",
    ]
    if event.comment:
        lines += ["", "意见：", event.comment]
    lines += [
        "",
        NEXT_STEP.get(transition.name, ""),
        f"报告页面：{report_url(event.report, review=goes_to_reviewers(transition))}",
        f"我的待办：{site_url()}{reverse('admin:index')}",
        "",
        "——",
        SIGNATURE,
    ]
    return "\n".join(lines)


def _send(mails: list[EmailMessage]) -> None:
    """Send after commit, one mail per recipient (nobody sees the others'
    addresses). A mail server's failure must not undo or hide the transition:
    it is logged, and the start-page notice is there either way."""
    try:
        mailers.default.send_messages(mails)
    except Exception:  # any backend's failure: SMTP, socket, file
        logger.exception("年报通知邮件发送失败（%d 封）", len(mails))


def notify(*, event: ReviewEvent, transition: "Transition") -> list[Notification]:
    """A notice for each recipient but the actor; a mail to those with an
    address, once the transaction commits."""
    report = event.report
    users = [
        u
        for u in recipients(report, to_reviewers=goes_to_reviewers(transition))
        if u.pk != event.user_id
    ]
    text = describe(event, transition)
    notices = Notification.objects.bulk_create(
        Notification(user=user, report=report, event=event, text=text) for user in users
    )
    subject = mail_subject(event, transition)
    mails = [
        EmailMessage(
            subject=subject,
            body=mail_body(event, transition, user),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        for user in users
        if user.email
    ]
    if mails:
        transaction.on_commit(lambda: _send(mails))
    return notices


def unread_notifications(user: AbstractBaseUser) -> QuerySet[Notification]:
    """The user's own unread notices, newest first."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True)


def notification_mark_read(*, user: AbstractBaseUser, pk: int | None = None) -> int:
    """Mark one of the user's own notices read (or all of them, without
    ``pk``); returns how many changed. Someone else's notice is never found."""
    notices = unread_notifications(user)
    if pk is not None:
        notices = notices.filter(pk=pk)
    return notices.update(read_at=timezone.now())
