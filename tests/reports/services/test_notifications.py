"""Who hears of a transition: a notice on the start page for each recipient, a
mail (after commit) for those with an address."""

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from agencies.models import Membership
from reports.models import AnnualReport, Notification
from reports.services import (
    report_approve,
    report_reopen,
    report_return,
    report_save_values,
    report_submit,
    report_withdraw,
    system_actor,
)
from reports.services.notifications import (
    TEXT_LIMIT,
    notification_mark_read,
    unread_notifications,
)
from reports.tables import SIGNATORIES
from tests.conftest import World
from tests.factories import make_agency, make_member, make_report

ROOT = Path(__file__).resolve().parents[3]


class ExplodingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: list) -> int:
        raise OSError("connection refused")


def with_address(user: AbstractUser, email: str) -> AbstractUser:
    user.email = email
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def people(world: World) -> dict[str, AbstractUser]:
    """Besides the world's personas: a reviewer of the province (an ancestor
    higher up), a reviewer of a sibling subtree, a second clerk of the agency
    without an address, a reviewer of the agency itself (who may not review
    it) and an inactive reviewer of an ancestor."""
    sibling = make_agency(parent=world.province, name="吉林省财政厅", code="t-jl-cz")
    inactive = make_member(agency=world.city_bureau, role=Membership.Role.REVIEWER)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    return {
        "clerk": with_address(world.clerk, "clerk@example.cn"),
        "reviewer": with_address(world.reviewer, "reviewer@example.cn"),
        "outsider": with_address(world.outsider, "outsider@example.cn"),
        "province_reviewer": make_member(
            agency=world.province, role=Membership.Role.REVIEWER
        ),
        "sibling_reviewer": with_address(
            make_member(agency=sibling, role=Membership.Role.REVIEWER),
            "sibling@example.cn",
        ),
        "second_clerk": make_member(agency=world.district),
        "own_reviewer": with_address(
            make_member(agency=world.district, role=Membership.Role.REVIEWER),
            "own@example.cn",
        ),
        "inactive": with_address(inactive, "inactive@example.cn"),
    }


def complete(world: World) -> AnnualReport:
    """A format A report of 龙潭分局 with nothing missing and no finding."""
    report = make_report(agency=world.district, year=2017)
    table_format = report.table_format
    return report_save_values(
        report=report,
        user=world.clerk,
        expected_version=report.version,
        values=dict.fromkeys(table_format.cells, "0"),
        sections={s.key: "内容" for s in table_format.sections},
        signatories={key: "2018-03-01" if key == "filled_on" else "某人"
                     for key, _label in SIGNATORIES},
    ).report  # fmt: skip


def recipients_of(report: AnnualReport) -> set[str]:
    return set(
        Notification.objects.filter(report=report).values_list(
            "user__username", flat=True
        )
    )


def mailed() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_submit_notifies_reviewers_of_ancestors_only(
    world: World, people: dict, django_capture_on_commit_callbacks: Callable
) -> None:
    report = complete(world)
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, user=world.clerk, expected_version=report.version)

    assert recipients_of(report) == {
        people["reviewer"].username,
        people["province_reviewer"].username,
    }
    # Only those with an address get a mail, one each.
    assert [m.to for m in mail.outbox] == [["reviewer@example.cn"]]
    message = mail.outbox[0]
    assert message.subject == f"【年报】{report}：提交审核"
    assert "请登录系统审核" in message.body
    # Reviewers are sent to the review page.
    assert f"/admin/reports/annualreport/{report.pk}/review/" in message.body


def test_return_and_approve_notify_the_clerks_of_the_agency(
    world: World, people: dict, django_capture_on_commit_callbacks: Callable
) -> None:
    report = complete(world)
    report = report_submit(
        report=report, user=world.clerk, expected_version=report.version
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        report = report_return(
            report=report,
            user=world.reviewer,
            expected_version=report.version,
            comment="第三部分的数字请核对。",
        )
    clerks = {people["clerk"].username, people["second_clerk"].username}
    assert recipients_of(report) == clerks
    assert mailed() == {"clerk@example.cn"}
    assert "第三部分的数字请核对。" in Notification.objects.first().text

    Notification.objects.all().delete()
    mail.outbox.clear()
    report = report_submit(
        report=report, user=world.clerk, expected_version=report.version
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(
            report=report, user=world.reviewer, expected_version=report.version
        )
    assert recipients_of(report) == clerks
    assert mailed() == {"clerk@example.cn"}
    assert "已通过审核并锁定" in mail.outbox[0].body


def test_the_submitter_hears_of_the_decision_even_from_elsewhere(
    world: World, people: dict, django_capture_on_commit_callbacks: Callable
) -> None:
    """A clerk of an ancestor who submitted for the agency is told too."""
    upper_clerk = with_address(
        make_member(agency=world.city_bureau), "upper@example.cn"
    )
    report = complete(world)
    report = report_submit(
        report=report, user=upper_clerk, expected_version=report.version
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_return(
            report=report,
            user=world.reviewer,
            expected_version=report.version,
            comment="请补充说明。",
        )
    assert upper_clerk.username in recipients_of(report)
    assert "upper@example.cn" in mailed()


def test_withdraw_and_reopen_reach_the_other_side(
    world: World, people: dict, django_capture_on_commit_callbacks: Callable
) -> None:
    report = complete(world)
    report = report_submit(
        report=report, user=world.clerk, expected_version=report.version
    )
    Notification.objects.all().delete()
    report = report_withdraw(
        report=report, user=world.clerk, expected_version=report.version
    )
    assert recipients_of(report) == {
        people["reviewer"].username,
        people["province_reviewer"].username,
    }
    report = report_submit(
        report=report, user=world.clerk, expected_version=report.version
    )
    report = report_approve(
        report=report, user=world.reviewer, expected_version=report.version
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        report_reopen(
            report=report,
            user=world.reviewer,
            expected_version=report.version,
            comment="发现错漏，请更正。",
        )
    assert recipients_of(report) == {
        people["clerk"].username,
        people["second_clerk"].username,
    }


def test_the_mail_links_to_the_report_on_the_configured_site(
    world: World,
    people: dict,
    settings: object,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    settings.NIANBAO_SITE_URL = "https://nianbao.example.gov.cn/"  # type: ignore[attr-defined]
    report = complete(world)
    report = report_submit(
        report=report, user=world.clerk, expected_version=report.version
    )
    long_comment = "请核对。" * 200
    with django_capture_on_commit_callbacks(execute=True):
        report_return(
            report=report,
            user=world.reviewer,
            expected_version=report.version,
            comment=long_comment,
        )
    body = mail.outbox[-1].body
    assert (
        f"https://nianbao.example.gov.cn/admin/reports/annualreport/{report.pk}/change/"
        in body
    )
    assert "https://nianbao.example.gov.cn/admin/" in body
    assert long_comment in body  # the mail carries the whole comment
    notice = Notification.objects.filter(user=world.clerk).get()
    assert len(notice.text) == TEXT_LIMIT and notice.text.endswith("…")


def test_no_mail_without_a_commit(
    world: World, people: dict, django_capture_on_commit_callbacks: Callable
) -> None:
    report = complete(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_submit(report=report, user=world.clerk, expected_version=report.version)
    assert mail.outbox == []  # sent only once the transaction commits
    assert len(callbacks) == 1


def test_a_mail_server_failure_is_logged_not_raised(
    world: World,
    people: dict,
    settings: object,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    settings.MAILERS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": f"{__name__}.ExplodingBackend"}
    }
    report = complete(world)
    with (
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = report_submit(
            report=report, user=world.clerk, expected_version=report.version
        )
    assert report.status == AnnualReport.Status.SUBMITTED
    assert "邮件发送失败" in caplog.text
    assert unread_notifications(world.reviewer).count() == 1


def test_the_system_actor_is_named_as_such(world: World, people: dict) -> None:
    report = complete(world)
    report_submit(report=report, user=system_actor(), expected_version=report.version)
    notice = Notification.objects.filter(user=world.reviewer).get()
    assert notice.text == f"{report}：系统 提交审核"


def test_mark_read_touches_only_the_users_own_notices(
    world: World, people: dict
) -> None:
    report = complete(world)
    report_submit(report=report, user=world.clerk, expected_version=report.version)
    notice = Notification.objects.get(user=world.reviewer)

    assert notification_mark_read(user=people["province_reviewer"], pk=notice.pk) == 0
    assert notification_mark_read(user=world.outsider) == 0
    assert unread_notifications(world.reviewer).count() == 1

    assert notification_mark_read(user=world.reviewer, pk=notice.pk) == 1
    assert unread_notifications(world.reviewer).count() == 0
    assert unread_notifications(people["province_reviewer"]).count() == 1


def _settings_of(**env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "NIANBAO_EMAIL_BACKEND", "DEBUG", "SECRET_KEY"}
    }
    # As `make run` has it, unless a case says otherwise (the default is off).
    environ.update({"DEBUG": "1", **env}, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(  # noqa: S603 - our own interpreter and settings
        [
            sys.executable,
            "-c",
            "from django.conf import settings;"
            "print(settings.MAILERS['default']['BACKEND'].split('.')[-2]);"
            "print(settings.DEFAULT_FROM_EMAIL)",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "console"),  # make run: DEBUG is on
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "smtp"),
        ({"DEBUG": "0", "SECRET_KEY": "x" * 50, "NIANBAO_EMAIL_BACKEND": "console"},
         "console"),
        ({"NIANBAO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"},
         "filebased"),
    ],
)  # fmt: skip
def test_mail_backend_from_the_environment(env: dict[str, str], backend: str) -> None:
    result = _settings_of(**env, DEFAULT_FROM_EMAIL="年报 <nianbao@example.cn>")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [backend, "年报 <nianbao@example.cn>"]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"NIANBAO_EMAIL_BACKEND": "pigeon"}, "NIANBAO_EMAIL_BACKEND"),
        ({"NIANBAO_SITE_URL": "nianbao.example.cn"}, "NIANBAO_SITE_URL"),
        ({"NIANBAO_EMAIL_BACKEND": "smtp", "EMAIL_PORT": "x"}, "EMAIL_PORT"),
    ],
)
def test_a_malformed_mail_setting_is_named(env: dict[str, str], named: str) -> None:
    result = _settings_of(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr
