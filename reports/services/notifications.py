"""Telling the other side: submission reaches the reviewers, return and
approval reach the clerks.

Each transition leaves a ``Notification`` for every recipient (shown on their
start page) and, for those with an e-mail address, a mail sent through
Django's e-mail framework once the transaction commits.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction

from agencies.models import Agency, Membership
from reports.models import AnnualReport, Notification, ReviewEvent

if TYPE_CHECKING:
    from reports.services.review import Transition

SUBJECT_PREFIX = "【年报】"


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
            ).distinct()
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
    return list(clerks.distinct())


def describe(event: ReviewEvent, transition: "Transition") -> str:
    who = "系统"
    if event.user is not None:
        who = event.user.get_full_name() or event.user.get_username()
    text = f"{event.report}：{who}{transition.done}"
    if event.comment:
        text += f"。意见：{event.comment}"
    return text[:300]


def notify(*, event: ReviewEvent, transition: "Transition") -> list[Notification]:
    report = event.report
    to_reviewers = transition.role == "clerk"
    users = [
        u
        for u in recipients(report, to_reviewers=to_reviewers)
        if u.pk != event.user_id
    ]
    text = describe(event, transition)
    notices = Notification.objects.bulk_create(
        Notification(user=user, report=report, event=event, text=text) for user in users
    )
    mails = [
        (SUBJECT_PREFIX + text[:60], text, settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in users
        if user.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return notices
