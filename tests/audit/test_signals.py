"""Logins, failed logins, agencies and memberships are recorded."""

from django.test import Client

from agencies.models import Membership
from agencies.services import agencies_delete, membership_ensure, memberships_delete
from audit.models import AuditEvent
from tests.conftest import World
from tests.factories import PASSWORD, make_agency, make_user

Kind = AuditEvent.Kind
LOGIN = "/admin/login/"


def test_a_login_is_recorded_with_the_address(world: World) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    response = client.post(
        LOGIN, {"username": "clerk", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=Kind.LOGIN)
    assert (event.user, event.username) == (world.clerk, "clerk")
    assert event.address == "203.0.113.9"
    assert event.at is not None


def test_a_failed_login_is_recorded_with_the_name_typed(world: World) -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    response = client.post(LOGIN, {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (event.user, event.username, event.address) == (
        None,
        "clerk",
        "203.0.113.10",
    )
    assert "wrong" not in str(event.detail) + event.summary
    assert not AuditEvent.objects.filter(kind=Kind.LOGIN).exists()


def test_membership_changes_are_recorded(world: World) -> None:
    user = make_user(username="newcomer")
    membership = membership_ensure(
        user=user, agency=world.district, role=Membership.Role.CLERK
    )
    mine = AuditEvent.objects.filter(kind=Kind.MEMBERSHIP, detail__user_id=user.pk)
    added = mine.get(action="created")
    assert added.agency == world.district
    assert "newcomer" in added.summary and "填报人" in added.summary
    memberships_delete(memberships=[membership])
    removed = mine.get(action="deleted")
    assert removed.agency is None  # deleted events keep the path and name only
    assert removed.agency_path == world.district.path
    assert removed.agency_name == world.district.name


def test_agency_changes_are_recorded_and_outlive_the_agency(world: World) -> None:
    agency = make_agency(parent=world.district, name="临时机关", code="t-tmp")
    created = AuditEvent.objects.get(kind=Kind.AGENCY, agency=agency)
    assert created.agency == agency and "临时机关" in created.summary
    agency.name = "临时机关（改名）"
    agency.save()
    assert AuditEvent.objects.filter(kind=Kind.AGENCY, action="changed").exists()
    path = agency.path
    agencies_delete(agencies=[agency])
    deleted = AuditEvent.objects.get(kind=Kind.AGENCY, action="deleted")
    assert (deleted.agency, deleted.agency_path) == (None, path)
    # The earlier events stay, their link cleared, their path kept.
    created.refresh_from_db()
    assert (created.agency, created.agency_path) == (None, path)


def test_a_membership_change_in_the_admin_names_who_did_it(world: World) -> None:
    admin = make_user(username="root", superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/agencies/membership/add/",
        {"user": world.outsider.pk, "agency": world.district.pk, "role": "clerk"},
        REMOTE_ADDR="192.0.2.50",
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    event = AuditEvent.objects.get(
        kind=Kind.MEMBERSHIP, agency=world.district, detail__user_id=world.outsider.pk
    )
    assert (event.user, event.address) == (admin, "192.0.2.50")
