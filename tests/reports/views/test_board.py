"""The completeness board: scope, statuses, lateness, drill-down and its cost.

The year is 2017 (format A): every agency's report was due on 2018-03-31,
long past, so an agency that has not filed by then is late.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, Membership
from reports.models import AnnualReport, Deadline
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_report, make_user

URL = "/admin/reports/annualreport/board/"
Status = AnnualReport.Status


def on(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def put(report: AnnualReport, status: str, submitted: dt.datetime | None) -> None:
    """Test setup: a report as review would leave it."""
    AnnualReport.objects.filter(pk=report.pk).update(
        status=status, submitted_at=submitted
    )


def rows(response: object) -> dict[str, dict[str, object]]:
    """The board's rows by agency name: its own status, late flag, counts."""
    html = response.content.decode()  # type: ignore[attr-defined]
    assert 'id="board"' in html, html[:2000]
    body = html.split('id="board"')[1].split("</tbody>")[0]
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(cells) < 3:
            continue
        name = re.sub(r"<[^>]+>|&rsaquo;", "", cells[0]).strip()
        status = re.sub(r"<[^>]+>", "", cells[1]).strip()
        found[name] = {
            "status": status.replace("逾期", "").strip(),
            "late": "逾期" in status,
            "counts": [c.strip() for c in cells[2:-1]],
            "drill": 'href="' in cells[0],
        }
    return found


def totals(response: object) -> dict[str, str]:
    html = response.content.decode()  # type: ignore[attr-defined]
    block = html.split('id="board-totals"')[1].split("</div>\n  </div>")[0]
    pairs = re.findall(r"<span>([^<]+)</span><b>([^<]+)</b>", block)
    return dict(pairs)


@dataclass
class Tree:
    sibling_agency: Agency  # 吉林省财政厅, the city bureau's sibling
    sibling: AbstractUser  # its reviewer


@pytest.fixture
def tree(world: World) -> Tree:
    """吉林省: province draft, 市统计局 none, 龙潭分局 submitted on time,
    财政厅 approved but submitted two days late; 湖南 apart."""
    sibling_agency = make_agency(parent=world.province, name="吉林省财政厅")
    put(make_report(agency=world.province), Status.DRAFT, None)
    put(
        make_report(agency=world.district),
        Status.SUBMITTED,
        on(dt.date(2018, 1, 5)),
    )
    put(
        make_report(agency=sibling_agency),
        Status.APPROVED,
        on(dt.date(2018, 4, 2)),
    )
    put(
        make_report(agency=world.other_bureau), Status.RETURNED, on(dt.date(2018, 1, 1))
    )
    sibling = make_member(
        agency=sibling_agency, role=Membership.Role.REVIEWER, username="sibling"
    )
    return Tree(sibling_agency=sibling_agency, sibling=sibling)


def board(user: AbstractUser, **params: object) -> object:
    response = client_for(user).get(URL, {"year": "2017", **params})
    assert response.status_code == 200, response.content[:500]
    return response


def test_each_persona_starts_at_its_scope(world: World, tree: Tree) -> None:
    reviewer = board(world.reviewer)
    assert "完成情况：吉林市统计局" in reviewer.content.decode()
    assert rows(reviewer) == {
        "吉林市统计局（本级）": {
            "status": "未开始",
            "late": True,
            "counts": ["1", "", "", "", "", "", ""],
            "drill": False,
        },
        "吉林市统计局龙潭分局": {
            "status": "已提交",
            "late": False,
            "counts": ["1", "0", "0", "1", "0", "0", "0"],
            "drill": False,
        },
    }
    clerk = board(world.clerk)
    assert list(rows(clerk)) == ["吉林市统计局龙潭分局（本级）"]
    assert "没有下级机关" in clerk.content.decode()
    assert list(rows(board(world.outsider))) == ["湖南省统计局（本级）"]
    assert list(rows(board(tree.sibling))) == ["吉林省财政厅（本级）"]
    top = rows(board(make_user(superuser=True)))
    assert list(top) == ["吉林省人民政府", "湖南省人民政府"]
    # 吉林: 4 agencies, one in each state but 已退回, 3 late (all but 龙潭)
    assert top["吉林省人民政府"]["counts"] == ["4", "1", "1", "1", "0", "1", "3"]
    assert top["湖南省人民政府"]["counts"] == ["2", "1", "0", "0", "1", "0", "2"]


def test_nothing_outside_the_scope_is_shown_or_found(world: World, tree: Tree) -> None:
    outside = {
        "reviewer": (world.reviewer, [world.province, tree.sibling_agency]),
        "clerk": (world.clerk, [world.city_bureau, world.other_bureau]),
        "outsider": (world.outsider, [world.province, world.district]),
        "sibling": (tree.sibling, [world.city_bureau, world.district]),
    }
    for _name, (user, agencies) in outside.items():
        client = client_for(user)
        page = client.get(URL, {"year": "2017"})
        shown = {name.removesuffix("（本级）") for name in rows(page)}
        for agency in agencies:
            assert agency.name not in shown
            assert f"agency={agency.pk}&" not in page.content.decode()
            response = client.get(URL, {"agency": agency.pk, "year": "2017"})
            assert response.status_code == 404
            assert agency.name not in response.content.decode()
    assert client_for(world.reviewer).get(URL, {"agency": 999999}).status_code == 404


def test_drill_down_a_level_at_a_time(world: World, tree: Tree) -> None:
    admin = make_user(superuser=True)
    top = board(admin).content.decode()
    link = f"?agency={world.province.pk}&amp;year=2017"
    assert link in top
    province = board(admin, agency=world.province.pk)
    assert rows(province) == {
        "吉林省人民政府（本级）": {
            "status": "草稿",
            "late": True,
            "counts": ["1", "", "", "", "", "", ""],
            "drill": False,
        },
        "吉林市统计局": {
            "status": "未开始",
            "late": True,
            "counts": ["2", "1", "0", "1", "0", "0", "1"],
            "drill": True,
        },
        "吉林省财政厅": {
            "status": "已通过",
            "late": True,  # approved, but submitted after the due date
            "counts": ["1", "0", "0", "0", "0", "1", "1"],
            "drill": False,
        },
    }
    assert totals(province)["机关数"] == "4"
    assert totals(province)["逾期"] == "3"
    city = board(admin, agency=world.city_bureau.pk).content.decode()
    assert "吉林市统计局龙潭分局" in city
    assert f"?agency={world.province.pk}&amp;year=2017" in city  # the way up


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.DRAFT, "草稿"),
        (Status.SUBMITTED, "已提交"),
        (Status.RETURNED, "已退回"),
        (Status.APPROVED, "已通过"),
    ],
)
def test_each_status_is_named(world: World, status: str, label: str) -> None:
    put(make_report(agency=world.district), status, on(dt.date(2018, 1, 5)))
    shown = rows(board(world.reviewer))["吉林市统计局龙潭分局"]
    assert shown["status"] == label
    assert shown["late"] is (status not in (Status.SUBMITTED, Status.APPROVED))


def test_the_report_link_goes_to_the_review_page_for_a_reviewer(
    world: World, tree: Tree
) -> None:
    report = AnnualReport.objects.get(agency=world.district)
    page = board(world.reviewer).content.decode()
    assert f'href="/admin/reports/annualreport/{report.pk}/review/"' in page
    page = board(world.clerk).content.decode()
    assert f'href="/admin/reports/annualreport/{report.pk}/change/"' in page


def test_an_administrators_deadline_moves_the_late_flag(
    world: World, tree: Tree
) -> None:
    admin = make_user(superuser=True)
    response = client_for(admin).post(
        "/admin/reports/deadline/add/",
        {
            "year": "2017",
            "government_due": "2018-03-31",
            "department_due": "2018-04-30",
        },
    )
    assert response.status_code == 302, response.content[:800]
    province = rows(board(admin, agency=world.province.pk))
    assert province["吉林省财政厅"]["late"] is False  # a department: due 04-30
    assert province["吉林省人民政府（本级）"]["late"] is True  # a government: 03-31
    assert "（管理员设定）" in board(admin).content.decode()


def test_nobody_is_late_before_the_due_date(world: World, tree: Tree) -> None:
    Deadline.objects.create(
        year=2017,
        government_due=timezone.localdate(),
        department_due=timezone.localdate() + dt.timedelta(days=30),
    )
    top = rows(board(make_user(superuser=True)))
    assert top["吉林省人民政府"]["counts"][-1] == "0"


def test_years_without_reports_show_everyone_not_started(
    world: World, tree: Tree
) -> None:
    shown = rows(board(world.reviewer, year="2016"))
    assert {r["status"] for r in shown.values()} == {"未开始"}


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "1999"},
        {"year": "99999999999999999999"},
        {"year": "\x00"},
        {"agency": "abc"},
        {"agency": "-1"},
        {"agency": "0"},
        {"agency": "9" * 40},
        {"agency": "\x00"},
        {"agency": "x" * 2000},
    ],
)
def test_malformed_values_are_form_errors(
    world: World, tree: Tree, params: dict[str, str]
) -> None:
    for path in (URL, URL + "export/"):
        response = client_for(world.reviewer).get(path, {"year": "2017", **params})
        assert response.status_code == 400
        assert "吉林市统计局龙潭分局" not in response.content.decode()


def test_a_post_is_refused(world: World) -> None:
    assert client_for(world.reviewer).post(URL, {"year": "2017"}).status_code == 405


def test_query_count_does_not_grow_with_the_agencies(world: World) -> None:
    def queries(n: int, user: AbstractUser, parent: Agency | None) -> int:
        for i in range(n):
            agency = make_agency(parent=parent)
            make_agency(parent=agency)
            if i % 2:
                put(
                    make_report(agency=agency),
                    Status.SUBMITTED,
                    on(dt.date(2018, 1, 5)),
                )
        client = client_for(user)
        client.get(URL)  # the session, once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"year": "2017"})
        assert response.status_code == 200
        return len(captured)

    # a reviewer's board: children of 吉林市统计局, 3 then 30 (and as many below)
    assert queries(3, world.reviewer, world.city_bureau) == queries(
        27, world.reviewer, world.city_bureau
    )
    assert len(rows(board(world.reviewer))) == 30 + 2
    # a superuser's: the roots of the tree, 2 + 3 then 2 + 30
    admin = make_user(superuser=True)
    assert queries(3, admin, None) == queries(27, admin, None)
    assert len(rows(board(admin))) == 32


def test_several_scope_roots_each_get_a_row(world: World, tree: Tree) -> None:
    """Memberships at different depths (龙潭分局 and 湖南省人民政府), and at
    the same depth (吉林市统计局 and 湖南省统计局): a row per subtree."""
    mixed = make_member(agency=world.district, username="mixed")
    Membership.objects.create(
        user=mixed, agency=world.other_province, role=Membership.Role.REVIEWER
    )
    shown = rows(board(mixed))
    assert list(shown) == ["吉林市统计局龙潭分局", "湖南省人民政府"]
    assert shown["吉林市统计局龙潭分局"]["counts"][0] == "1"
    assert shown["湖南省人民政府"]["counts"][:2] == ["2", "1"]
    level = make_member(agency=world.city_bureau, username="level")
    Membership.objects.create(
        user=level, agency=world.other_bureau, role=Membership.Role.CLERK
    )
    shown = rows(board(level))
    assert list(shown) == ["吉林市统计局", "湖南省统计局"]
    assert shown["吉林市统计局"]["counts"] == ["2", "1", "0", "1", "0", "0", "1"]
    assert shown["湖南省统计局"]["counts"] == ["1", "0", "0", "0", "1", "0", "1"]
