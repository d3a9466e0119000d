"""The audit trail in the admin: read only; superusers see all, reviewers
their subtree and their own events, clerks and outsiders nothing."""

import pytest
from django.test import Client

from agencies.models import Membership
from audit.admin import visible_events
from audit.models import AuditEvent
from audit.services import Kind, audit_record
from tests.conftest import World
from tests.factories import make_member, make_user

LIST = "/admin/audit/auditevent/"


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def events(world: World) -> dict[str, AuditEvent]:
    AuditEvent.objects.all().delete()  # the fixture's own agencies and members
    return {
        "district": audit_record(
            kind=Kind.REVIEW, agency=world.district, summary="龙潭分局的事件"
        ),
        "province": audit_record(
            kind=Kind.AGENCY, agency=world.province, summary="吉林省的事件"
        ),
        "other": audit_record(
            kind=Kind.REVIEW, agency=world.other_bureau, summary="湖南的事件"
        ),
        "reviewer_login": audit_record(
            kind=Kind.LOGIN, user=world.reviewer, summary="审核人登录"
        ),
        "reviewer_failed": audit_record(
            kind=Kind.LOGIN_FAILED, username="reviewer", summary="审核人登录失败"
        ),
        "clerk_login": audit_record(
            kind=Kind.LOGIN, user=world.clerk, summary="填报人登录"
        ),
    }


def seen(user: object) -> set[str]:
    return {e.summary for e in visible_events(user)}


def test_a_superuser_sees_every_event(world: World, events: dict) -> None:
    root = make_user(username="root", superuser=True)
    assert seen(root) == {e.summary for e in events.values()}
    page = signed_in(root).get(LIST)
    assert page.status_code == 200
    assert "湖南的事件" in page.content.decode()


def test_a_reviewer_sees_the_subtree_and_own_logins(world: World, events: dict) -> None:
    assert seen(world.reviewer) == {
        "龙潭分局的事件",
        "审核人登录",
        "审核人登录失败",
    }
    page = signed_in(world.reviewer).get(LIST).content.decode()
    assert "龙潭分局的事件" in page
    assert "吉林省的事件" not in page  # above their agency
    assert "湖南的事件" not in page
    assert "填报人登录" not in page


def test_a_sibling_reviewer_sees_only_their_own_subtree(
    world: World, events: dict
) -> None:
    sibling = make_member(
        agency=world.other_province, role=Membership.Role.REVIEWER, username="hn"
    )
    visible = seen(sibling)
    assert "湖南的事件" in visible  # and the event of their own membership
    assert not visible & {"龙潭分局的事件", "吉林省的事件", "审核人登录", "填报人登录"}
    other = AuditEvent.objects.get(summary="龙潭分局的事件")
    page = signed_in(sibling).get(f"{LIST}{other.pk}/change/")
    assert page.status_code in (302, 404)  # not there for them


@pytest.mark.parametrize("persona", ["clerk", "outsider"])
def test_clerks_and_outsiders_cannot_open_the_trail(
    world: World, events: dict, persona: str
) -> None:
    client = signed_in(getattr(world, persona))
    assert client.get(LIST).status_code == 403


def test_nobody_adds_changes_or_deletes_an_event(world: World, events: dict) -> None:
    root = make_user(username="root", superuser=True)
    client = signed_in(root)
    event = events["district"]
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.get(f"{LIST}{event.pk}/delete/").status_code == 403
    page = client.get(f"{LIST}{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    posted = client.post(f"{LIST}{event.pk}/change/", {"summary": "改过"})
    assert posted.status_code == 403
    bulk = client.post(
        LIST, {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert bulk.status_code in (200, 302)
    event.refresh_from_db()
    assert event.summary == "龙潭分局的事件"
    assert AuditEvent.objects.filter(pk=event.pk).exists()
