"""reports.views.exports: the three export URLs of one report, scoped as the
change page is, and the 导出 menu on the change and review pages.

Personas: the clerk of the report's agency, a reviewer of an ancestor, a
superuser (all may), an outsider of another subtree, a clerk of a sibling
agency, a reviewer of the report's own agency (nobody reviews their own
agency, but it is in their scope: they may see and export it), and nobody
logged in. Out of scope is 404 with nothing of the report in the answer.
"""

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse

from agencies.models import Membership
from reports.models import AnnualReport
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_user
from tests.reports.exporters.filled import filled_report

URLS = (
    "admin:reports_annualreport_export_xlsx",
    "admin:reports_annualreport_export_docx",
    "admin:reports_annualreport_print",
)
HEAD_NAME = "龙潭分局专属负责人"


@pytest.fixture
def report(world: World) -> AnnualReport:
    signatories = {"signed_head": HEAD_NAME, "contact_phone": "0432-1234567"}
    return filled_report(agency=world.district, code="B", signatories=signatories)


def sibling_clerk(world: World) -> AbstractUser:
    sibling = make_agency(parent=world.city_bureau, name="吉林市统计局船营分局")
    return make_member(agency=sibling, username="sibling")


def persona(world: World, name: str) -> AbstractUser:
    return {
        "clerk": lambda: world.clerk,
        "reviewer": lambda: world.reviewer,
        "superuser": lambda: make_user(username="root", superuser=True),
        "own_reviewer": lambda: make_member(
            agency=world.district, role=Membership.Role.REVIEWER, username="own"
        ),
        "outsider": lambda: world.outsider,
        "sibling": lambda: sibling_clerk(world),
        "province_clerk_of_other_tree": lambda: make_member(
            agency=world.other_province, username="hn-clerk"
        ),
    }[name]()


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("name", ["clerk", "reviewer", "superuser", "own_reviewer"])
def test_in_scope_users_get_the_export(
    world: World, report: AnnualReport, url: str, name: str
) -> None:
    response = client_for(persona(world, name)).get(reverse(url, args=[report.pk]))

    assert response.status_code == 200
    if url.endswith("print"):
        assert HEAD_NAME in response.content.decode()
    else:
        assert "attachment" in response["Content-Disposition"]
        assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "name", ["outsider", "sibling", "province_clerk_of_other_tree"]
)
def test_out_of_scope_is_404_without_data(
    world: World, report: AnnualReport, url: str, name: str
) -> None:
    response = client_for(persona(world, name)).get(reverse(url, args=[report.pk]))

    assert response.status_code == 404
    body = response.content.decode()
    assert HEAD_NAME not in body and "龙潭分局" not in body
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("url", URLS)
def test_nobody_logged_in_is_sent_to_log_in(report: AnnualReport, url: str) -> None:
    response = Client().get(reverse(url, args=[report.pk]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("object_id", ["999999", "abc", "1%00", "-1", "9" * 30])
def test_unknown_or_malformed_ids_are_404(
    world: World, report: AnnualReport, url: str, object_id: str
) -> None:
    path = reverse(url, args=[report.pk]).replace(f"/{report.pk}/", f"/{object_id}/")
    response = client_for(world.clerk).get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_only_get(world: World, report: AnnualReport, url: str) -> None:
    response = client_for(world.clerk).post(reverse(url, args=[report.pk]))

    assert response.status_code == 405


def test_a_user_without_the_view_permission_is_refused(
    world: World, report: AnnualReport
) -> None:
    """Staff with a membership but none of the report permissions: 403."""
    user = world.clerk
    user.groups.clear()
    user.user_permissions.clear()
    client = client_for(type(user).objects.get(pk=user.pk))
    for url in URLS:
        response = client.get(reverse(url, args=[report.pk]))
        assert response.status_code == 403
        assert HEAD_NAME not in response.content.decode()


def test_download_names_say_agency_year_and_content(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    xlsx = client.get(reverse(URLS[0], args=[report.pk]))
    docx = client.get(reverse(URLS[1], args=[report.pk]))

    assert xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "filename*=utf-8''" in xlsx["Content-Disposition"]
    assert "%E7%BB%9F%E8%AE%A1%E8%A1%A8.xlsx" in xlsx["Content-Disposition"]  # 统计表
    assert "%E6%8A%A5%E5%91%8A.docx" in docx["Content-Disposition"]  # 报告


def test_the_change_and_review_pages_offer_the_export_menu(
    world: World, report: AnnualReport
) -> None:
    links = [reverse(url, args=[report.pk]) for url in URLS]
    change = client_for(world.clerk).get(
        reverse("admin:reports_annualreport_change", args=[report.pk])
    )
    review = client_for(world.reviewer).get(
        reverse("admin:reports_annualreport_review", args=[report.pk])
    )

    for page in (change, review):
        assert page.status_code == 200
        html = page.content.decode()
        assert all(f'href="{link}"' in html for link in links)
        assert "Excel 统计表" in html and "Word 报告" in html and ">打印<" in html
