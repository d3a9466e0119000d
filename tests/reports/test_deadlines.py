"""When reports are due, who is late, and who may set the dates."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from agencies.models import Agency
from reports.deadlines import (
    Dues,
    default_dues,
    due_date,
    is_late,
    with_status,
    year_dues,
)
from reports.models import AnnualReport, Deadline
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_report, make_user

Status = AnnualReport.Status
D = dt.date


@pytest.mark.parametrize(
    ("year", "government", "others"),
    [
        (2008, D(2009, 3, 31), D(2009, 3, 31)),  # format A
        (2017, D(2018, 3, 31), D(2018, 3, 31)),  # format A
        (2018, D(2019, 3, 31), D(2019, 3, 31)),  # format A, its last year
        (2019, D(2020, 3, 31), D(2020, 1, 31)),  # format B2019
        (2021, D(2022, 3, 31), D(2022, 1, 31)),  # format B
        (2024, D(2025, 3, 31), D(2025, 1, 31)),
    ],
)
def test_default_dates(year: int, government: dt.date, others: dt.date) -> None:
    assert default_dues(year) == Dues(year, government, others)


def test_due_date_by_kind_and_the_administrators_override(world: World) -> None:
    # 吉林省人民政府 is a government, 吉林市统计局 a department, 龙潭分局 dispatched
    assert due_date(world.province, 2021) == D(2022, 3, 31)
    assert due_date(world.city_bureau, 2021) == D(2022, 1, 31)
    assert due_date(world.district, 2021) == D(2022, 1, 31)
    Deadline.objects.create(
        year=2021, government_due=D(2022, 4, 15), department_due=D(2022, 2, 28)
    )
    assert due_date(world.province, 2021) == D(2022, 4, 15)
    assert due_date(world.district, 2021) == D(2022, 2, 28)
    assert year_dues(2021).custom
    assert not year_dues(2020).custom  # other years keep their defaults


def moment(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


DUE = D(2018, 3, 31)


@pytest.mark.parametrize(
    ("status", "submitted_at", "today", "late"),
    [
        (None, None, D(2018, 3, 31), False),  # not yet due: nobody is late
        (Status.DRAFT, None, D(2018, 3, 31), False),
        (None, None, D(2018, 4, 1), True),  # no report past the due date
        (Status.DRAFT, None, D(2018, 4, 1), True),
        (Status.RETURNED, moment(D(2018, 3, 1)), D(2018, 4, 1), True),
        (Status.SUBMITTED, moment(D(2018, 3, 31), 23), D(2018, 4, 1), False),
        (Status.APPROVED, moment(D(2018, 3, 1)), D(2019, 1, 1), False),
        (Status.SUBMITTED, moment(D(2018, 4, 1), 0), D(2018, 4, 2), True),
        (Status.APPROVED, moment(D(2018, 5, 1)), D(2019, 1, 1), True),
        (Status.APPROVED, None, D(2019, 1, 1), False),  # imported as filed
    ],
)
def test_is_late(
    status: str | None, submitted_at: dt.datetime | None, today: dt.date, late: bool
) -> None:
    assert (
        is_late(due=DUE, status=status, submitted_at=submitted_at, today=today) is late
    )


def test_the_sql_form_agrees_with_the_rule(world: World) -> None:
    """Every kind × status × submission time × day, both ways."""
    statuses = [None, *Status]
    times = [None, moment(D(2022, 1, 31), 23), moment(D(2022, 2, 1), 0)]
    days = [D(2022, 1, 31), D(2022, 2, 1), D(2022, 4, 1)]
    expected = {}
    for kind, status, submitted_at in itertools.product(
        Agency.Kind.values, statuses, times
    ):
        agency = make_agency(parent=world.other_bureau, kind=kind)
        if status is not None:
            report = make_report(agency=agency, year=2021)
            AnnualReport.objects.filter(pk=report.pk).update(
                status=status, submitted_at=submitted_at
            )
        expected[agency.pk] = (kind, status, submitted_at)
    dues = year_dues(2021)
    for today in days:
        annotated = with_status(
            Agency.objects.filter(pk__in=expected), dues=dues, today=today
        )
        for agency in annotated:
            kind, status, submitted_at = expected[agency.pk]
            assert agency.report_status == status
            rule = is_late(
                due=dues.for_kind(kind),
                status=status,
                submitted_at=submitted_at,
                today=today,
            )
            assert agency.late is rule, (kind, status, submitted_at, today)


ADMIN_URL = "/admin/reports/deadline/"


def test_only_administrators_set_deadlines(world: World) -> None:
    sibling = make_member(agency=make_agency(parent=world.province), username="sib")
    for user in (world.clerk, world.reviewer, world.outsider, sibling):
        client = client_for(user)
        assert client.get(ADMIN_URL).status_code == 403
        response = client.post(
            ADMIN_URL + "add/",
            {
                "year": "2017",
                "government_due": "2018-03-31",
                "department_due": "2018-03-31",
            },
        )
        assert response.status_code == 403
        assert "报送截止日期" not in client.get("/admin/").content.decode()
    assert not Deadline.objects.exists()
    admin = client_for(make_user(superuser=True))
    assert admin.get(ADMIN_URL).status_code == 200
    response = admin.post(
        ADMIN_URL + "add/",
        {
            "year": "2017",
            "government_due": "2018-04-30",
            "department_due": "2018-03-15",
        },
    )
    assert response.status_code == 302
    assert due_date(world.province, 2017) == D(2018, 4, 30)
    assert due_date(world.city_bureau, 2017) == D(2018, 3, 15)
    listing = admin.get(ADMIN_URL).content.decode()
    assert "人民政府 2018-03-31，其他 2018-03-31" in listing  # the defaults beside


@pytest.mark.parametrize(
    "data",
    [
        {
            "year": "2007",
            "government_due": "2008-03-31",
            "department_due": "2008-03-31",
        },
        {
            "year": "2017",
            "government_due": "2017-03-31",
            "department_due": "2018-03-31",
        },
        {"year": "abc", "government_due": "x", "department_due": "\x00"},
    ],
)
def test_a_bad_deadline_is_refused(db: None, data: dict[str, str]) -> None:
    admin = client_for(make_user(superuser=True))
    response = admin.post(ADMIN_URL + "add/", data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Deadline.objects.exists()


def test_a_malformed_selection_in_the_list_is_refused(db: None) -> None:
    Deadline.objects.create(
        year=2017, government_due=D(2018, 3, 31), department_due=D(2018, 3, 31)
    )
    admin = client_for(make_user(superuser=True))
    for selected in ("abc", "\x00", "9" * 40):
        response = admin.post(
            ADMIN_URL,
            {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
        )
        assert response.status_code == 302
    assert Deadline.objects.count() == 1
