"""Memberships in the admin: adding, changing or deleting one gives or takes
its role's permissions (Membership.role is the one source of the groups).

Personas: the clerk of 龙潭分局, the reviewer of 吉林市统计局 above it, the
outsider from 湖南省统计局, and the clerk of the sibling 船营分局.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client

from agencies.models import Agency, Membership
from tests.agencies.conftest import grant
from tests.conftest import World
from tests.factories import client_for, make_user

LIST = "/admin/agencies/agency/"


def _can_open_reports(user: AbstractUser) -> bool:
    client = Client()
    client.force_login(type(user).objects.get(pk=user.pk))
    return client.get("/admin/reports/annualreport/").status_code == 200


def test_membership_added_in_the_admin_gives_the_roles_permissions(
    world: World,
) -> None:
    newcomer = get_user_model().objects.create_user("newcomer", password="x" * 12)
    assert not _can_open_reports(newcomer)
    admin = client_for(make_user(superuser=True))
    response = admin.post(
        "/admin/agencies/membership/add/",
        {"user": newcomer.pk, "agency": world.district.pk, "role": "clerk"},
    )
    assert response.status_code == 302
    assert _can_open_reports(newcomer)
    membership = Membership.objects.get(user=newcomer)
    admin.post(f"/admin/agencies/membership/{membership.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not _can_open_reports(newcomer)


def test_membership_changed_or_bulk_deleted_in_the_admin_moves_the_groups(
    world: World,
) -> None:
    admin = client_for(make_user(superuser=True))
    membership = Membership.objects.get(user=world.clerk)
    # Handed to the outsider: the clerk's role goes with it.
    admin.post(
        f"/admin/agencies/membership/{membership.pk}/change/",
        {"user": world.outsider.pk, "agency": world.district.pk, "role": "clerk"},
    )
    assert not _can_open_reports(world.clerk)
    assert _can_open_reports(world.outsider)
    admin.post(
        "/admin/agencies/membership/",
        {
            "action": "delete_selected",
            "_selected_action": list(
                Membership.objects.filter(user=world.outsider).values_list(
                    "pk", flat=True
                )
            ),
            "post": "yes",
        },
    )
    assert not _can_open_reports(world.outsider)
    assert _can_open_reports(world.reviewer)


def test_scoped_membership_admins_give_roles_only_inside_their_scope(
    world: World, sibling: AbstractUser
) -> None:
    url = "/admin/agencies/membership/add/"
    for user, allowed in [
        (world.clerk, True),
        (world.reviewer, True),
        (world.outsider, False),
        (sibling, False),
    ]:
        newcomer = get_user_model().objects.create_user(f"new-{user.username}")
        client = client_for(grant(user, "add_membership"))
        response = client.post(
            url, {"user": newcomer.pk, "agency": world.district.pk, "role": "clerk"}
        )
        assert (response.status_code == 302) is allowed, user
        assert _can_open_reports(newcomer) is allowed, user


def test_deleting_an_agency_takes_the_role_from_its_members(world: World) -> None:
    admin = client_for(make_user(superuser=True))
    admin.post(f"{LIST}{world.district.pk}/delete/", {"post": "yes"})
    assert not Agency.objects.filter(pk=world.district.pk).exists()
    assert not _can_open_reports(world.clerk)
    assert _can_open_reports(world.reviewer)
    admin.post(
        LIST,
        {
            "action": "delete_selected",
            "_selected_action": [world.province.pk],
            "post": "yes",
        },
    )
    assert not _can_open_reports(world.reviewer)
    assert _can_open_reports(world.outsider)


@pytest.mark.parametrize("agency", ["abc", "99999999999999999999", "1 OR 1"])
def test_membership_form_with_a_malformed_agency_says_so(
    world: World, agency: str
) -> None:
    client = Client(raise_request_exception=False)  # it used to answer 500
    client.force_login(make_user(superuser=True))
    response = client.post(
        "/admin/agencies/membership/add/",
        {"user": world.outsider.pk, "agency": agency, "role": "clerk"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
