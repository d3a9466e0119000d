"""The review queue: whose reports it lists, its filters, its order, its cost."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Membership
from reports import filters
from reports.filters import AGENCY_CHOICES, awaiting_review, queue_statuses
from reports.models import AnnualReport
from reports.services.review import TRANSITIONS
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_report, make_user

URL = "/admin/reports/annualreport/queue/"
Status = AnnualReport.Status


def at(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2018, 1, day, 9, 30))


def put(report: AnnualReport, status: str, submitted: dt.datetime | None) -> None:
    """Test setup: a report as review would leave it (statuses are the review
    service's business and tested there)."""
    AnnualReport.objects.filter(pk=report.pk).update(
        status=status, submitted_at=submitted
    )


def listed(response: object) -> list[int]:
    """The report ids of the queue's rows, in order."""
    html = response.content.decode()  # type: ignore[attr-defined]
    table = html.split('id="queue"', 1)[1] if 'id="queue"' in html else ""
    ids = re.findall(r'href="/admin/reports/annualreport/(\d+)/review/"', table)
    return list(dict.fromkeys(int(i) for i in ids))


@dataclass
class Queue:
    district: AnnualReport  # 龙潭分局, submitted: in the reviewer's queue
    city: AnnualReport  # 吉林市统计局 itself, submitted: not its own reviewer's
    other: AnnualReport  # 湖南省统计局, submitted
    sibling_child: AnnualReport  # below 吉林省财政厅, submitted
    sibling: AbstractUser  # reviewer of 吉林省财政厅, the city bureau's sibling
    sibling_agency: Agency


@pytest.fixture
def queue(world: World) -> Queue:
    sibling_agency = make_agency(parent=world.province, name="吉林省财政厅")
    sibling_child = make_agency(parent=sibling_agency, name="财政厅直属机关")
    reports = [
        make_report(agency=a, year=2017)
        for a in (world.district, world.city_bureau, world.other_bureau, sibling_child)
    ]
    for day, report in enumerate(reports, 1):
        put(report, Status.SUBMITTED, at(day))
    sibling = make_member(
        agency=sibling_agency, role=Membership.Role.REVIEWER, username="sibling"
    )
    return Queue(*reports, sibling=sibling, sibling_agency=sibling_agency)


def test_each_persona_sees_only_its_review_scope(world: World, queue: Queue) -> None:
    province_reviewer = make_member(
        agency=world.province, role=Membership.Role.REVIEWER, username="province"
    )
    seen = {
        "reviewer": listed(client_for(world.reviewer).get(URL)),
        "clerk": listed(client_for(world.clerk).get(URL)),
        "outsider": listed(client_for(world.outsider).get(URL)),
        "sibling": listed(client_for(queue.sibling).get(URL)),
        "province": listed(client_for(province_reviewer).get(URL)),
        "superuser": listed(client_for(make_user(superuser=True)).get(URL)),
    }
    assert seen == {
        "reviewer": [queue.district.pk],  # not its own agency's report
        "clerk": [],
        "outsider": [],
        "sibling": [queue.sibling_child.pk],
        "province": [queue.district.pk, queue.city.pk, queue.sibling_child.pk],
        "superuser": [
            queue.district.pk,
            queue.city.pk,
            queue.other.pk,
            queue.sibling_child.pk,
        ],
    }


def test_a_clerk_is_told_there_is_nothing_to_review(world: World, queue: Queue) -> None:
    page = client_for(world.clerk).get(URL).content.decode()
    assert "您没有审核任务" in page
    assert "吉林市统计局龙潭分局" not in page.split('id="queue-filters"')[1]


def test_anonymous_users_are_sent_to_log_in(client: object, queue: Queue) -> None:
    response = client.get(URL)  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_default_is_submitted_oldest_first_with_counts(world: World) -> None:
    agencies = [
        make_agency(parent=world.city_bureau, name=f"机关{i}") for i in "甲乙丙丁"
    ]
    reports = [make_report(agency=a) for a in agencies]
    put(reports[0], Status.SUBMITTED, at(20))
    put(reports[1], Status.SUBMITTED, at(3))
    put(reports[2], Status.DRAFT, None)
    put(reports[3], Status.APPROVED, at(1))
    AnnualReport.objects.filter(pk=reports[0].pk).update(
        missing_count=2, error_count=1, warning_count=3
    )
    response = client_for(world.reviewer).get(URL)
    assert response.status_code == 200
    assert listed(response) == [reports[1].pk, reports[0].pk]
    table = response.content.decode().split('id="queue"')[1]
    row = table.split("机关甲")[1].split("</tr>")[0]
    assert re.findall(r'class="num[^"]*">(\d+)<', row) == ["2", "1", "3"]
    assert "2018-01-20 09:30" in row


def test_default_status_and_choices_come_from_the_transitions() -> None:
    assert awaiting_review() == TRANSITIONS["submit"].target == Status.SUBMITTED
    declared = {s for t in TRANSITIONS.values() for s in (*t.sources, t.target)}
    assert {value for value, _label in queue_statuses()} == declared


def test_rows_link_to_the_review_page(world: World, queue: Queue) -> None:
    page = client_for(world.reviewer).get(URL).content.decode()
    review = reverse("admin:reports_annualreport_review", args=[queue.district.pk])
    assert f'href="{review}"' in page


@pytest.fixture
def spread(world: World) -> dict[str, AnnualReport]:
    """Reports of the reviewer's subtree differing in one respect each."""
    county = make_agency(
        parent=world.city_bureau, name="某县统计局", level=Agency.Level.COUNTY
    )
    town = make_agency(parent=county, name="某乡", level=Agency.Level.TOWNSHIP)
    other = make_agency(parent=world.city_bureau, name="另一局")
    made = {
        "y2016": make_report(agency=other, year=2016),
        "approved": make_report(agency=other, year=2017),
        "county": make_report(agency=county, year=2017),
        "town": make_report(agency=town, year=2017),
    }
    put(made["y2016"], Status.SUBMITTED, at(5))
    put(made["approved"], Status.APPROVED, at(6))
    put(made["county"], Status.SUBMITTED, at(7))
    put(made["town"], Status.SUBMITTED, at(8))
    AnnualReport.objects.filter(pk=made["town"].pk).update(warning_count=1)
    return made


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["y2016", "county", "town"]),
        ({"year": "2016"}, ["y2016"]),
        ({"status": "approved"}, ["approved"]),
        ({"status": ""}, ["y2016", "approved", "county", "town"]),
        ({"level": "township"}, ["town"]),
        ({"since": "2018-01-07"}, ["county", "town"]),
        ({"warnings": "yes"}, ["town"]),
        ({"warnings": "no"}, ["y2016", "county"]),
        ({"agency": "county"}, ["county", "town"]),
        ({"agency": "county", "warnings": "no"}, ["county"]),
    ],
)
def test_filters(
    world: World,
    spread: dict[str, AnnualReport],
    params: dict[str, str],
    expected: list[str],
) -> None:
    if params.get("agency") == "county":
        params = {**params, "agency": str(spread["county"].agency_id)}
    response = client_for(world.reviewer).get(URL, params)
    assert response.status_code == 200
    assert listed(response) == [spread[name].pk for name in expected]


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"year": "1999"},
        {"status": "deleted"},
        {"status": "\x00"},
        {"agency": "abc"},
        {"agency": "-1"},
        {"agency": "9" * 40},
        {"agency": "\x00"},
        {"agency": "999999"},
        {"level": "x" * 2000},
        {"since": "2018-13-45"},
        {"since": "0001-01-01"},
        {"since": "\x00"},
        {"warnings": "maybe"},
    ],
)
def test_malformed_values_are_form_errors(
    world: World, queue: Queue, params: dict[str, str]
) -> None:
    response = client_for(world.reviewer).get(URL, {**params, "p": "abc"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert listed(response) == []


def test_an_agency_outside_the_review_scope_is_an_error_without_data(
    world: World, queue: Queue
) -> None:
    for agency in (world.other_bureau, queue.sibling_agency, world.city_bureau):
        response = client_for(world.reviewer).get(URL, {"agency": agency.pk})
        if agency == world.city_bureau:  # the reviewer's own: its subtree
            assert listed(response) == [queue.district.pk]
            continue
        assert response.status_code == 400
        assert listed(response) == []
        assert agency.name not in response.content.decode()


def test_agency_choices_are_in_scope_and_capped(
    world: World, queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = [make_agency(parent=world.district, name=f"派出所{i}") for i in range(3)]
    page = client_for(world.reviewer).get(URL).content.decode()
    select = page.split('name="agency"')[1].split("</select>")[0]
    for agency in (world.city_bureau, world.district, *extra):
        assert f'value="{agency.pk}"' in select
    for agency in (world.province, world.other_bureau, queue.sibling_agency):
        assert f'value="{agency.pk}"' not in select

    monkeypatch.setattr(filters, "AGENCY_CHOICES", 3)
    client = client_for(world.reviewer)
    select = client.get(URL).content.decode().split('name="agency"')[1]
    offered = re.findall(r'value="(\d+)"', select.split("</select>")[0])
    # agencies with agencies below them first, then the shallowest
    assert offered == [
        str(world.city_bureau.pk),
        str(world.district.pk),
        str(extra[0].pk),
    ]
    response = client.get(URL, {"agency": extra[2].pk})
    select = response.content.decode().split('name="agency"')[1].split("</select>")[0]
    offered = re.findall(r'value="(\d+)"', select)
    # the chosen one stays shown, still no more than the cap
    assert offered == [
        str(world.city_bureau.pk),
        str(world.district.pk),
        str(extra[2].pk),
    ]
    assert f'value="{extra[2].pk}" selected' in select
    assert AGENCY_CHOICES == 200


def test_pages_keep_the_filters(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reports.views.queue.QUEUE_PAGE", 2)
    for i in range(5):
        put(
            make_report(agency=make_agency(parent=world.city_bureau)),
            "submitted",
            at(i + 1),
        )
    page = client_for(world.reviewer).get(URL, {"year": "2017"}).content.decode()
    assert "第 1 / 3 页" in page
    assert "?year=2017&amp;p=2" in page


def test_query_count_does_not_grow_with_the_rows(world: World) -> None:
    def queries(n: int) -> int:
        for _ in range(n):
            agency = make_agency(parent=world.city_bureau)
            put(make_report(agency=agency), Status.SUBMITTED, at(1))
        client = client_for(world.reviewer)
        client.get(URL)  # the session, once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"year": "2017"})
        assert response.status_code == 200
        return len(captured)

    few = queries(3)
    many = queries(27)
    assert AnnualReport.objects.filter(status="submitted").count() == 30
    assert few == many
