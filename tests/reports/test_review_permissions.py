"""Permission probes over the review: the page, the transitions, the queue, the
board and its export.

A submitted report of 龙潭分局 is probed by five personas who must not review
it: an outsider (湖南省统计局), a clerk of a sibling agency (船营分局), the
report's own clerk trying to approve, a reviewer of a sibling subtree
(吉林省财政厅) and a reviewer of the report's own agency. Each gets 403 or 404
(or, on list pages, an empty page) and sees no data; no probe changes the
report.
"""

import pytest

from agencies.models import Membership
from reports.models import AnnualReport
from reports.services import report_save_values, report_submit, system_actor
from reports.tables import SIGNATORIES
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_report

BASE = "/admin/reports/annualreport/"
HIDDEN_TEXT = "龙潭分局秘密概述"


@pytest.fixture
def probes(world: World) -> dict:
    sibling = make_agency(parent=world.city_bureau, name="吉林市统计局船营分局")
    other_subtree = make_agency(parent=world.province, name="吉林省财政厅")
    report = make_report(agency=world.district, year=2017)
    table_format = report.table_format
    report = report_save_values(
        report=report,
        user=system_actor(),
        expected_version=report.version,
        values=dict.fromkeys(table_format.cells, "0"),
        sections={s.key: HIDDEN_TEXT for s in table_format.sections},
        signatories={k: "2018-03-01" if k == "filled_on" else "某人"
                     for k, _label in SIGNATORIES},
    ).report  # fmt: skip
    report = report_submit(
        report=report, user=world.clerk, expected_version=report.version
    )
    return {
        "report": report,
        "personas": {
            "outsider": world.outsider,
            "sibling clerk": make_member(agency=sibling, username="sibling_clerk"),
            "own clerk": world.clerk,
            "sibling-subtree reviewer": make_member(
                agency=other_subtree,
                role=Membership.Role.REVIEWER,
                username="other_reviewer",
            ),
            "own-agency reviewer": make_member(
                agency=world.district,
                role=Membership.Role.REVIEWER,
                username="self_reviewer",
            ),
        },
    }


PERSONAS = [
    "outsider",
    "sibling clerk",
    "own clerk",
    "sibling-subtree reviewer",
    "own-agency reviewer",
]
# Personas who may not even see the report (the own clerk and the reviewer of
# the own agency see it, but may not act on it).
OUTSIDE = {"outsider", "sibling clerk", "sibling-subtree reviewer"}


def _state(report: AnnualReport) -> tuple:
    report.refresh_from_db()
    return report.status, report.version, report.events.count()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("transition", ["approve", "return", "reopen"])
def test_no_transition(probes: dict, persona: str, transition: str) -> None:
    report = probes["report"]
    before = _state(report)
    response = client_for(probes["personas"][persona]).post(
        f"{BASE}{report.pk}/review/",
        {
            "transition": transition,
            "expected_version": report.version,
            "comment": "越权",
            "cells": ["a1_total"],
        },
    )
    assert response.status_code in (400, 403, 404)
    assert _state(report) == before
    if persona in OUTSIDE:
        assert response.status_code == 404
        assert HIDDEN_TEXT not in response.content.decode()


@pytest.mark.parametrize("persona", sorted(OUTSIDE))
@pytest.mark.parametrize("suffix", ["review/", "change/", "history/"])
def test_no_review_page(probes: dict, persona: str, suffix: str) -> None:
    report = probes["report"]
    response = client_for(probes["personas"][persona]).get(
        f"{BASE}{report.pk}/{suffix}"
    )
    assert response.status_code == 404
    assert HIDDEN_TEXT not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_queue_lists_nothing_of_it(probes: dict, persona: str) -> None:
    response = client_for(probes["personas"][persona]).get(f"{BASE}queue/")
    assert response.status_code in (200, 403)
    assert f"/{probes['report'].pk}/" not in response.content.decode()


@pytest.mark.parametrize("persona", sorted(OUTSIDE))
def test_the_queue_filtered_to_it_shows_nothing(
    probes: dict, persona: str, world: World
) -> None:
    response = client_for(probes["personas"][persona]).get(
        f"{BASE}queue/", {"agency": world.district.pk, "status": "submitted"}
    )
    assert response.status_code in (200, 400, 403, 404)
    assert f"/{probes['report'].pk}/" not in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "sibling-subtree reviewer"])
@pytest.mark.parametrize("suffix", ["board/", "board/export/"])
def test_the_board_of_a_subtree_outside_the_scope(
    probes: dict, persona: str, suffix: str, world: World
) -> None:
    response = client_for(probes["personas"][persona]).get(
        f"{BASE}{suffix}", {"agency": world.city_bureau.pk, "year": 2017}
    )
    assert response.status_code in (403, 404)
    assert "龙潭分局" not in response.content.decode(errors="replace")


def test_the_reviewer_of_the_ancestor_may(probes: dict, world: World) -> None:
    """The control: the same requests by the right reviewer work."""
    report = probes["report"]
    queue = client_for(world.reviewer).get(f"{BASE}queue/").content.decode()
    assert f"/{report.pk}/" in queue
    response = client_for(world.reviewer).post(
        f"{BASE}{report.pk}/review/",
        {"transition": "approve", "expected_version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED
