"""The review page (reports/views/review.py) and the clerk's side of a return.

A reviewer of 吉林市统计局 reads the 2017 report of 龙潭分局 beside its 2016
report, returns it with a comment pinned to a cell, and approves it once the
clerk has fixed and resubmitted it.
"""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import AbstractUser
from django.http import HttpResponse
from django.test import Client

from agencies.models import Membership
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import (
    finding_key,
    report_approve,
    report_findings,
    report_return,
    report_save_values,
    report_submit,
)
from reports.tables import SIGNATORIES
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_report, make_user

Status = AnnualReport.Status
LIST = "/admin/reports/annualreport/"
INSTRUCTION = "提交审核前须补齐缺项"
OVERVIEW = (
    "强化领导，增强政务公开的规范性；精心组织，稳步推进政务公开工作，"
    "全年主动公开政府信息。"
)


def change_url(report: AnnualReport) -> str:
    return f"{LIST}{report.pk}/change/"


def review_url(report: AnnualReport) -> str:
    return f"{LIST}{report.pk}/review/"


def visible(page: str) -> str:
    """The text a user reads: no tags, attributes, scripts or styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def complete_values(report: AnnualReport, **changes: str) -> dict[str, str]:
    values = dict.fromkeys(report.table_format.cells, "0")
    values.update(a1_total="5", a1_website="5", a8_staff="5", a8_staff_fulltime="5")
    values.update(changes)
    return values


def filled(
    report: AnnualReport,
    user: AbstractUser,
    *,
    overview: str = OVERVIEW,
    **changes: str,
) -> AnnualReport:
    """The report with nothing missing and no error, saved by ``user``."""
    table_format = report.table_format
    return report_save_values(
        report=report,
        user=user,
        expected_version=report.version,
        values=complete_values(report, **changes),
        sections={s.key: "内容" for s in table_format.sections}
        | {"overview": overview},
        signatories={k: "2018-03-01" if k == "filled_on" else "宋玉玲"
                     for k, _label in SIGNATORIES},
        table_year=2016,  # a warning the clerk explains
    ).report  # fmt: skip


@pytest.fixture
def last_year(world: World) -> AnnualReport:
    report = make_report(agency=world.district, year=2016)
    return filled(report, world.clerk, a8_staff_fulltime="4", a8_staff_parttime="1")


@pytest.fixture
def submitted(world: World, last_year: AnnualReport) -> AnnualReport:
    """Submitted by the clerk: a1_total 50 against 5 last year, the overview
    copied from last year's, the table-year warning explained."""
    report = make_report(agency=world.district, year=2017)
    report = filled(report, world.clerk, a1_total="50", a1_website="50")
    explanations = {
        finding_key(f): "原表年度标注有误，所填为2017年度数据。"
        for f in report_findings(report)
        if f.severity == "warning"
    }
    return report_submit(
        report=report,
        user=world.clerk,
        expected_version=report.version,
        explanations=explanations,
    )


@pytest.fixture
def sibling(world: World) -> AbstractUser:
    """A clerk of 船营分局, 龙潭分局's sibling under 吉林市统计局."""
    agency = make_agency(parent=world.city_bureau, name="吉林市统计局船营分局")
    return make_member(agency=agency, username="sibling")


@pytest.fixture
def own_reviewer(world: World) -> AbstractUser:
    """A reviewer of 龙潭分局 itself: nobody reviews their own agency."""
    return make_member(
        agency=world.district, role=Membership.Role.REVIEWER, username="own"
    )


def post(
    user: AbstractUser | Client, report: AnnualReport, **data: object
) -> HttpResponse:
    """Post the review form as the page holds it (the version seen now)."""
    report.refresh_from_db()
    data.setdefault("expected_version", report.version)
    client = user if isinstance(user, Client) else client_for(user)
    return client.post(review_url(report), data)


# ---- who sees what -------------------------------------------------------


def test_the_reviewer_gets_the_review_page_at_the_change_url(
    world: World, submitted: AnnualReport
) -> None:
    for url in (change_url(submitted), review_url(submitted)):
        response = client_for(world.reviewer).get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="nb-review-form"' in page
        # Read-only, visibly: values as text, no inputs of cells or sections.
        assert 'class="nb-cell' not in page and '<textarea name="section' not in page
        assert '<span class="nb-now">50</span>' in page
        buttons = re.findall(r'name="transition" value="(\w+)"', page)
        assert buttons == ["approve", "return"]  # from available(): no withdraw
        assert INSTRUCTION not in page


def test_the_clerk_keeps_the_form_and_may_read_the_review_page(
    world: World, submitted: AnnualReport
) -> None:
    client = client_for(world.clerk)
    form = client.get(change_url(submitted)).content.decode()
    assert 'id="nb-form"' in form and 'id="nb-review-form"' not in form
    assert 'id="nb-review-link"' not in form  # the clerk reviews nothing
    page = client.get(review_url(submitted)).content.decode()
    assert 'name="transition"' not in page
    assert "您不是这份报告的审核人，只能查看。" in page


@pytest.mark.parametrize("who", ["outsider", "sibling"])
def test_out_of_scope_the_review_page_is_not_found(
    world: World, submitted: AnnualReport, sibling: AbstractUser, who: str
) -> None:
    user = sibling if who == "sibling" else world.outsider
    client = client_for(user)
    assert client.get(review_url(submitted)).status_code == 404
    refused = client.post(
        review_url(submitted),
        {"transition": "approve", "expected_version": submitted.version},
    )
    assert refused.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_reviewer_of_the_agency_itself_may_only_read(
    world: World, submitted: AnnualReport, own_reviewer: AbstractUser
) -> None:
    page = client_for(own_reviewer).get(review_url(submitted)).content.decode()
    assert 'name="transition"' not in page
    refused = post(own_reviewer, submitted, transition="approve")
    assert refused.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and submitted.events.count() == 1


def test_a_clerk_cannot_approve_through_the_review_url(
    world: World, submitted: AnnualReport
) -> None:
    assert post(world.clerk, submitted, transition="approve").status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_who_may_file_and_review_gets_the_form_with_a_link(
    submitted: AnnualReport,
) -> None:
    page = (
        client_for(make_user(superuser=True))
        .get(change_url(submitted))
        .content.decode()
    )
    assert 'id="nb-form"' in page
    assert f'href="{review_url(submitted)}"' in page


# ---- what the reviewer reads ---------------------------------------------


def test_the_review_page_shows_what_to_check(
    world: World, submitted: AnnualReport
) -> None:
    page = client_for(world.reviewer).get(review_url(submitted)).content.decode()
    text = visible(page)
    # The clerk's explanation of the warning.
    assert "填报人说明： 原表年度标注有误，所填为2017年度数据。" in text
    # Last year's value and a tenfold change, beside the cell.
    cell = re.search(r'<button[^>]*id="nb-f-a1_total".*?</button>', page, re.S)[0]
    assert "上年 5" in visible(cell) and "+45" in cell and "×10↑" in cell
    # The overview is last year's: its share is said.
    assert "正文「概述」与上年报告的相同文字约占 100%" in text
    # The history of changes, by label.
    assert "主动公开政府信息数" in text and "修改记录" in text
    # Users never read cell codes.
    for code in ("a1_total", "a8_staff", "section:overview", "signatory:"):
        assert code not in text


def test_a_table_identical_to_last_year_is_flagged(
    world: World, last_year: AnnualReport
) -> None:
    report = make_report(agency=world.district, year=2017)
    report = filled(report, world.clerk, a8_staff_fulltime="4", a8_staff_parttime="1")
    assert report_values(report) == report_values(last_year)
    page = client_for(world.reviewer).get(review_url(report)).content.decode()
    assert "与上年报告完全相同" in visible(page)
    different = report_save_values(
        report=report,
        user=world.clerk,
        expected_version=report.version,
        values={"a9_trainees": "3"},
    ).report
    page = client_for(world.reviewer).get(review_url(different)).content.decode()
    assert "与上年报告完全相同" not in visible(page)


def test_without_last_years_report_the_page_says_so(world: World) -> None:
    report = filled(make_report(agency=world.district, year=2017), world.clerk)
    page = client_for(world.reviewer).get(review_url(report)).content.decode()
    assert "该单位没有 2016 年度的报告，无从比较。" in visible(page)
    assert "上年" not in visible(
        re.search(r'id="nb-block-a".*?</section>', page, re.S)[0]
    )


def test_a_draft_has_no_buttons(world: World, last_year: AnnualReport) -> None:
    page = client_for(world.reviewer).get(review_url(last_year)).content.decode()
    assert 'name="transition"' not in page
    assert "填报人提交审核后才能审核" in visible(page)


# ---- the transitions -----------------------------------------------------


def test_return_with_a_comment_pinned_to_cells(
    world: World, submitted: AnnualReport
) -> None:
    client = client_for(world.reviewer)
    response = post(
        client,
        submitted,
        transition="return",
        comment="主动公开数比上年多了十倍，请核实。",
        cells="a1_total,section:overview",
    )
    assert response.status_code == 302
    assert response["Location"] == review_url(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    event = submitted.events.latest("at")
    assert event.comment == "主动公开数比上年多了十倍，请核实。"
    assert event.cells == ["a1_total", "section:overview"]
    page = client.get(review_url(submitted)).content.decode()
    text = visible(page)
    assert "已退回：" in text and "主动公开数比上年多了十倍，请核实。" in text
    assert "所指项目： 主动公开政府信息数 、 概述" in re.sub(r"\s+", " ", text)
    assert re.findall(r'name="transition" value="(\w+)"', page) == []


@pytest.mark.parametrize("name", ["return", "reopen"])
def test_a_comment_is_required(
    world: World, submitted: AnnualReport, name: str
) -> None:
    if name == "reopen":
        report_approve(
            report=submitted, user=world.reviewer, expected_version=submitted.version
        )
    submitted.refresh_from_db()
    before = (submitted.status, submitted.version)
    response = post(world.reviewer, submitted, transition=name, comment="  ")
    assert response.status_code == 400
    assert "须写明意见" in visible(response.content.decode())
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == before


def test_approve_then_reopen(world: World, submitted: AnnualReport) -> None:
    assert post(world.reviewer, submitted, transition="approve").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED and submitted.decided_at is not None
    page = client_for(world.reviewer).get(review_url(submitted)).content.decode()
    assert re.findall(r'name="transition" value="(\w+)"', page) == ["reopen"]
    response = post(
        world.reviewer, submitted, transition="reopen", comment="联系电话有误。",
        cells="signatory:contact_phone",
    )  # fmt: skip
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    form = client_for(world.clerk).get(change_url(submitted)).content.decode()
    banner = re.search(r'id="nb-returned".*?重新提交', form, re.S)[0]
    assert "重新打开了已通过的报告" in banner and "联系电话有误。" in banner
    assert re.search(r'<div class="nb-pinned"><label for="id_contact_phone"', form)


def test_a_stale_page_is_refused_with_what_happened(
    world: World, submitted: AnnualReport
) -> None:
    seen = submitted.version
    report_return(
        report=submitted,
        user=make_member(
            agency=world.province, role=Membership.Role.REVIEWER, username="other"
        ),
        expected_version=seen,
        comment="先退回。",
    )
    response = client_for(world.reviewer).post(
        review_url(submitted),
        {"transition": "approve", "expected_version": seen},
    )
    assert response.status_code == 409
    text = visible(response.content.decode())
    assert f"您看到的是第 {seen} 版" in text and "已退回" in text
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED


@pytest.mark.parametrize(
    "data",
    [
        {"transition": "approve", "expected_version": "abc"},
        {"transition": "approve", "expected_version": ""},
        {"transition": "submit"},
        {"transition": "withdraw"},
        {"transition": "nonsense"},
        {},
        {"transition": "return", "comment": "x", "cells": "no_such_cell"},
        {"transition": "return", "comment": "x", "cells": "signatory:\x00"},
        {"transition": "return", "comment": "\x00"},
        {"transition": "return", "comment": "长" * 2001},
    ],
)
def test_malformed_posts_are_refused_with_a_message(
    world: World, submitted: AnnualReport, data: dict
) -> None:
    response = post(world.reviewer, submitted, **data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and submitted.events.count() == 1


def test_a_refused_post_keeps_the_comment_and_the_pins(
    world: World, submitted: AnnualReport
) -> None:
    response = post(world.reviewer, submitted, transition="nonsense",
                    comment="请核实主动公开数。", cells="a1_total")  # fmt: skip
    page = response.content.decode()
    assert ">请核实主动公开数。</textarea>" in page
    assert 'id="nb-cells" value="a1_total"' in page
    assert re.search(r'<li data-field="a1_total"><a href="#nb-f-a1_total">', page)


# ---- the clerk's side ----------------------------------------------------


def returned(world: World, report: AnnualReport) -> AnnualReport:
    return report_return(
        report=report,
        user=world.reviewer,
        expected_version=report.version,
        comment="主动公开数比上年多了十倍，请核实。",
        cells=["a1_total", "section:overview"],
    )


def test_the_clerk_sees_the_return_comment_and_the_pinned_fields(
    world: World, submitted: AnnualReport
) -> None:
    report = returned(world, submitted)
    page = client_for(world.clerk).get(change_url(report)).content.decode()
    banner = re.search(r'id="nb-returned".*?重新提交', page, re.S)
    assert banner, "no return banner"
    text = re.sub(r"\s+", " ", visible(banner[0]))
    assert "reviewer 于" in text and "退回修改" in text
    assert "主动公开数比上年多了十倍，请核实。" in text
    assert 'href="#id_a1_total"' in banner[0] and "主动公开政府信息数" in text
    assert 'href="#id_section__overview"' in banner[0] and "概述" in text
    assert re.search(r'class="nb-cellwrap[^"]*nb-pinned" data-code="a1_total"', page)
    assert not re.search(r'nb-pinned" data-code="a1_website"', page)
    assert re.search(
        r'class="nb-section-field nb-pinned">\s*<label for="id_section__overview"', page
    )
    assert INSTRUCTION in page  # editable again: the clerk is told what to do


def test_the_banner_goes_once_resubmitted_and_the_thread_stays(
    world: World, submitted: AnnualReport
) -> None:
    report = returned(world, submitted)
    fixed = report_save_values(
        report=report, user=world.clerk, expected_version=report.version,
        values={"a1_total": "6", "a1_website": "6"},
    ).report  # fmt: skip
    explanations = dict(fixed.explanations)
    report_submit(report=fixed, user=world.clerk, expected_version=fixed.version,
                  explanations=explanations)  # fmt: skip
    page = client_for(world.clerk).get(change_url(report)).content.decode()
    assert 'class="nb-returned"' not in page and "nb-pinned" not in page
    assert "主动公开数比上年多了十倍，请核实。" in visible(page)  # the thread
    history = client_for(world.clerk).get(f"{LIST}{report.pk}/history/")
    assert "主动公开数比上年多了十倍，请核实。" in history.content.decode()
    # The reviewer sees what changed since the return.
    review = client_for(world.reviewer).get(review_url(report)).content.decode()
    assert "上次退回后填报人修改了 2 项" in visible(review)
    assert re.search(
        r'class="nb-rv nb-pin[^"]*nb-rv-fixed[^"]*" id="nb-f-a1_total"', review
    )


def test_the_clerk_withdraws_a_submitted_report(
    world: World, submitted: AnnualReport
) -> None:
    client = client_for(world.clerk)
    page = client.get(change_url(submitted)).content.decode()
    assert 'name="_withdraw"' in page and 'name="_save"' not in page
    assert INSTRUCTION not in page  # read-only: nothing to do yet
    stale = client.post(
        change_url(submitted), {"_withdraw": "1", "version": submitted.version - 1}
    )
    assert stale.status_code == 409
    response = client.post(
        change_url(submitted), {"_withdraw": "1", "version": submitted.version}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT
    page = client.get(change_url(submitted)).content.decode()
    assert 'name="_withdraw"' not in page and 'name="_save"' in page


def test_nobody_else_withdraws(
    world: World, submitted: AnnualReport, sibling: AbstractUser
) -> None:
    data = {"_withdraw": "1", "version": submitted.version}
    assert (
        client_for(world.outsider).post(change_url(submitted), data).status_code == 404
    )
    assert client_for(sibling).post(change_url(submitted), data).status_code == 404
    # The reviewer's change URL is the review page: no such button there.
    assert (
        client_for(world.reviewer).post(change_url(submitted), data).status_code == 400
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_an_approved_report_is_locked_for_the_clerk(
    world: World, submitted: AnnualReport, own_reviewer: AbstractUser
) -> None:
    report_approve(
        report=submitted, user=world.reviewer, expected_version=submitted.version
    )
    client = client_for(world.clerk)
    page = client.get(change_url(submitted)).content.decode()
    assert re.search(r'id="nb-status" class="[^"]*nb-status-approved">已通过<', page)
    assert "已通过审核并锁定，不能修改" in visible(page)
    for button in ('name="_save"', 'name="_submit"', 'name="_withdraw"',
                   "import-source", "nb-fill-zero"):  # fmt: skip
        assert button not in page
    assert INSTRUCTION not in page
    assert "原表年度标注有误" in visible(page)  # the explanation, as text
    values = report_values(submitted)
    data = dict.fromkeys(submitted.table_format.cells, "7")
    refused = client.post(
        change_url(submitted), {**data, "version": submitted.version + 1, "_save": "1"}
    )
    assert refused.status_code == 409
    assert "已通过审核并锁定" in visible(refused.content.decode())
    assert report_values(submitted) == values
    # Who may not file for it is refused outright.
    assert client_for(own_reviewer).post(change_url(submitted), data).status_code == 403
    assert client.get(f"{LIST}{submitted.pk}/import-source/").status_code == 409
    assert report_values(submitted) == values
    assert values["a1_total"] == Decimal(50)
