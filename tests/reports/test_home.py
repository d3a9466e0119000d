"""The start page: each persona sees their own work and nobody else's."""

import datetime
import re

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.utils import timezone

from agencies.models import Agency, Membership
from reports.forms import NewReportForm
from reports.models import AnnualReport, Deadline, Notification
from reports.services import (
    report_approve,
    report_return,
    report_save_values,
    report_submit,
    system_actor,
)
from reports.tables import SIGNATORIES
from reports.views.home import next_step
from reports.views.queue import review_url
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_report, make_user

Status = AnnualReport.Status
HOME = "/admin/"


@pytest.fixture
def season() -> int:
    return NewReportForm.default_year()


@pytest.fixture
def sibling(world: World) -> Agency:
    """Another branch of 吉林市统计局, next to 龙潭分局."""
    return make_agency(
        parent=world.city_bureau,
        name="吉林市统计局船营分局",
        code="t-jl-cy",
        kind=Agency.Kind.DISPATCHED,
        level=Agency.Level.COUNTY,
    )


def fill(report: AnnualReport, user: object) -> AnnualReport:
    """Every cell, section and signatory: nothing missing, no finding."""
    table_format = report.table_format
    return report_save_values(
        report=report,
        user=user,
        expected_version=report.version,
        values=dict.fromkeys(table_format.cells, "0"),
        sections={s.key: "内容" for s in table_format.sections},
        signatories={key: f"{report.year + 1}-01-05" if key == "filled_on"
                     else "某人" for key, _label in SIGNATORIES},
    ).report  # fmt: skip


def complete(agency: Agency, year: int, user: object) -> AnnualReport:
    """A report ready to submit."""
    return fill(make_report(agency=agency, year=year), user)


def submit(report: AnnualReport, user: AbstractUser) -> AnnualReport:
    return report_submit(report=report, user=user, expected_version=report.version)


def page(user: AbstractUser) -> str:
    response = client_for(user).get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, code: str) -> str:
    """The start page's row of one agency's report."""
    found = re.search(rf'<tr data-agency="{code}".*?</tr>', html, re.S)
    assert found, f"no row for {code}"
    return found.group(0)


def module(html: str, ident: str) -> str:
    found = re.search(rf'<div class="module" id="{ident}">.*?</div>', html, re.S)
    return found.group(0) if found else ""


def test_anonymous_is_sent_to_the_login(db: None) -> None:
    response = Client().get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_clerk_sees_their_agency_and_nobody_elses(
    world: World, sibling: Agency, season: int
) -> None:
    make_report(agency=world.other_bureau, year=season)
    make_report(agency=sibling, year=season)
    html = page(world.clerk)

    line = row(html, world.district.code)
    assert 'data-step="create"' in line and "新建" in line
    assert f'name="year" value="{season}"' in line
    assert f"{season} 年度报告" in html
    for other in (world.other_bureau, sibling, world.city_bureau):
        assert f'data-agency="{other.code}"' not in html
    assert "湖南省统计局" not in html and "船营分局" not in html
    assert 'id="nb-queue"' not in html  # a clerk reviews nothing


def test_the_sibling_and_the_outsider_see_only_their_own(
    world: World, sibling: Agency, season: int
) -> None:
    make_report(agency=world.district, year=season)
    sibling_clerk = make_member(agency=sibling)
    for user, own in ((sibling_clerk, sibling), (world.outsider, world.other_bureau)):
        html = page(user)
        assert f'data-agency="{own.code}"' in html
        assert "龙潭分局" not in html


@pytest.mark.parametrize(
    ("report", "code", "text"),
    [
        (None, "create", "新建"),
        (AnnualReport(status=Status.DRAFT, missing_count=5), "fill", "填写"),
        (
            AnnualReport(status=Status.DRAFT, missing_count=5, error_count=3),
            "fix",
            "改正 3 处问题",
        ),
        (AnnualReport(status=Status.DRAFT), "submit", "提交审核"),
        (
            AnnualReport(
                status=Status.SUBMITTED,
                submitted_at=datetime.datetime(2026, 2, 3, 1, 0, tzinfo=datetime.UTC),
            ),
            "waiting",
            "已于 2026-02-03 提交，等待审核",
        ),
        (AnnualReport(status=Status.APPROVED), "approved", "已通过"),
    ],
)
def test_next_step(report: AnnualReport | None, code: str, text: str) -> None:
    step = next_step(report)
    assert (step.code, step.text) == (code, text)


def test_a_returned_report_shows_the_comment(world: World, season: int) -> None:
    step = next_step(
        AnnualReport(status=Status.RETURNED, error_count=1), return_comment="请核对"
    )
    assert (step.code, step.text) == ("returned", "已退回：请核对")
    assert "1 个错误" in step.detail


def test_the_clerks_next_step_follows_the_report(world: World, season: int) -> None:
    report = make_report(agency=world.district, year=season)
    assert 'data-step="fill"' in row(page(world.clerk), world.district.code)

    AnnualReport.objects.filter(pk=report.pk).update(error_count=2)
    assert "改正 2 处问题" in row(page(world.clerk), world.district.code)

    report = fill(report, world.clerk)
    assert 'data-step="submit"' in row(page(world.clerk), world.district.code)

    report = submit(report, world.clerk)
    line = row(page(world.clerk), world.district.code)
    today = timezone.localdate().isoformat()
    assert f"已于 {today} 提交，等待审核" in line
    assert "—" in line  # no countdown once submitted

    report = report_return(
        report=report,
        user=world.reviewer,
        expected_version=report.version,
        comment="第二部分请补充说明。",
    )
    line = row(page(world.clerk), world.district.code)
    assert "已退回：第二部分请补充说明。" in line
    assert f'href="/admin/reports/annualreport/{report.pk}/change/"' in line

    report = submit(report, world.clerk)
    report_approve(report=report, user=world.reviewer, expected_version=report.version)
    assert 'data-step="approved"' in row(page(world.clerk), world.district.code)


@pytest.mark.parametrize(
    ("offset", "text"), [(10, "还有 10 天"), (0, "今天截止"), (-3, "已逾期 3 天")]
)
def test_days_to_the_deadline(
    world: World, season: int, offset: int, text: str
) -> None:
    today = timezone.localdate()
    Deadline.objects.create(
        year=season,
        government_due=today + datetime.timedelta(days=100),
        department_due=today + datetime.timedelta(days=offset),
    )
    make_report(agency=world.district, year=season)
    line = row(page(world.clerk), world.district.code)
    assert text in line
    assert ("nb-overdue" in line) == (offset < 0)


def test_reviewer_sees_the_waiting_reports_of_their_scope_oldest_first(
    world: World, sibling: Agency, season: int
) -> None:
    newer = submit(complete(world.district, season, world.clerk), world.clerk)
    older = submit(
        complete(sibling, season, system_actor()), make_member(agency=sibling)
    )
    AnnualReport.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=5)
    )
    outside = complete(world.other_bureau, season, world.outsider)
    submit(outside, world.outsider)
    draft = make_report(agency=world.district, year=season - 1)

    queue = module(page(world.reviewer), "nb-queue")
    assert "共有 <strong>2</strong> 份报告等待您审核" in queue
    assert queue.index(str(older)) < queue.index(str(newer))
    assert "5 天" in queue
    assert f'href="{review_url(older.pk)}"' in queue
    assert "湖南省统计局" not in queue
    assert f"/admin/reports/annualreport/{draft.pk}/" not in queue

    # The outsider reviews nothing; the sibling's clerk neither.
    assert 'id="nb-queue"' not in page(world.outsider)


def test_the_queue_shows_the_ten_oldest(world: World) -> None:
    years = range(2009, 2021)
    for year in years:
        report = make_report(agency=world.district, year=year)
        AnnualReport.objects.filter(pk=report.pk).update(
            status=Status.SUBMITTED,
            submitted_at=timezone.now() - datetime.timedelta(days=2021 - year),
        )
    queue = module(page(world.reviewer), "nb-queue")
    assert "共有 <strong>12</strong> 份" in queue and "最早提交的 10 份" in queue
    assert "2009年度报告" in queue and "2018年度报告" in queue
    assert "2019年度报告" not in queue


def test_completeness_of_the_reviewers_subtree(
    world: World, sibling: Agency, season: int
) -> None:
    make_report(agency=world.district, year=season)
    make_report(agency=world.other_bureau, year=season)
    today = timezone.localdate()
    deadline = Deadline.objects.create(
        year=season,
        government_due=today + datetime.timedelta(days=30),
        department_due=today + datetime.timedelta(days=30),
    )
    html = page(world.reviewer)
    line = module(html, "nb-completeness")
    assert f"?year={season}&amp;agency={world.city_bureau.pk}" in line
    assert ">吉林市统计局</a></strong>（须填报 2 个机关）" in line
    assert "<span>未开始 1</span><span>草稿 1</span><span>已提交 0</span>" in line
    assert "逾期" not in line and "湖南" not in line

    # The links lead to the board of that root and the queue, both answering.
    client = client_for(world.reviewer)
    links = re.findall(r'href="([^"]*/(?:board|queue)/[^"]*)"', html)
    assert len(links) == 3
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link

    # Past the deadline, neither the draft nor the missing report is on time.
    deadline.department_due = today - datetime.timedelta(days=1)
    deadline.save()
    line = module(page(world.reviewer), "nb-completeness")
    assert "逾期 2" in line

    # A reviewer of a sibling subtree sees only theirs.
    other = make_member(agency=world.other_province, role=Membership.Role.REVIEWER)
    line = module(page(other), "nb-completeness")
    assert ">湖南省人民政府</a></strong>（须填报 1 个机关）" in line
    assert "<span>草稿 1</span>" in line and "吉林" not in line


def test_superuser_keeps_the_app_list(world: World, season: int) -> None:
    admin = make_user(superuser=True)
    html = page(admin)
    assert 'href="/admin/auth/user/"' in html
    assert 'href="/admin/reports/annualreport/"' in html
    completeness = module(html, "nb-completeness")
    assert "吉林省人民政府" in completeness and "湖南省人民政府" in completeness
    assert "（系统管理员）" in html


def test_header_names_the_user_and_their_agencies(world: World) -> None:
    world.clerk.first_name = "王小明"
    world.clerk.save(update_fields=["first_name"])
    html = page(world.clerk)
    header = re.search(r'<div id="user-tools">.*?</div>', html, re.S).group(0)
    assert "王小明" in header and "吉林市统计局龙潭分局填报人" in header
    assert "欢迎" not in header and "clerk" not in header
    assert "吉林市统计局审核人" in page(world.reviewer)


def test_unread_notifications_and_marking_them_read(world: World, season: int) -> None:
    report = submit(complete(world.district, season, world.clerk), world.clerk)
    notice = Notification.objects.get(user=world.reviewer)
    html = page(world.reviewer)
    assert "未读通知（1）" in html and notice.text in html
    # The reviewer's notice leads to the review page, the clerk's to the report.
    assert f'href="{review_url(report.pk)}"' in module(html, "nb-notices")
    assert "未读通知" not in page(world.outsider)

    url = f"/admin/notifications/{notice.pk}/read/"
    # Someone else's notice is not found, whoever asks.
    for user in (world.clerk, world.outsider):
        assert client_for(user).post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    assert client_for(world.reviewer).get(url).status_code == 405

    response = client_for(world.reviewer).post(url)
    assert response.status_code == 302 and response["Location"] == HOME
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "未读通知" not in page(world.reviewer)
    assert report.pk  # the report stays as it was


def test_mark_all_read_is_the_users_own(world: World, season: int) -> None:
    report = submit(complete(world.district, season, world.clerk), world.clerk)
    report_return(
        report=report, user=world.reviewer, expected_version=report.version,
        comment="请改正。",
    )  # fmt: skip
    change = f'href="/admin/reports/annualreport/{report.pk}/change/"'
    assert change in module(page(world.clerk), "nb-notices")
    response = client_for(world.reviewer).post("/admin/notifications/read/")
    assert response.status_code == 302
    assert Notification.objects.filter(user=world.reviewer, read_at=None).count() == 0
    assert Notification.objects.filter(user=world.clerk, read_at=None).count() == 1


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "9" * 40, "%00", "1.5"])
def test_a_malformed_notice_id_is_not_found(world: World, pk: str) -> None:
    response = client_for(world.reviewer).post(f"/admin/notifications/{pk}/read/")
    assert response.status_code == 404


def test_a_user_without_memberships_is_told_whom_to_ask(db: None) -> None:
    html = page(make_user())
    assert "您还没有任何机关的填报或审核身份" in html
    assert 'id="nb-filing"' not in html and 'id="nb-queue"' not in html
