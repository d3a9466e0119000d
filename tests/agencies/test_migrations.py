"""Migration 0003 derives the role groups of the users already there."""

import importlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group

from agencies.models import Membership
from tests.conftest import World

sync = importlib.import_module("agencies.migrations.0003_sync_role_groups")


def _groups(user: AbstractUser) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_existing_users_get_the_groups_of_their_memberships(world: World) -> None:
    User = get_user_model()
    # As the admin used to leave them: a membership without a group, and a
    # group without a membership.
    added = User.objects.create_user("added-in-admin")
    Membership.objects.create(user=added, agency=world.district, role="reviewer")
    stray = User.objects.create_user("stray", is_staff=True)
    stray.groups.add(Group.objects.get(name="填报人"))
    sync.sync_role_groups(apps, None)
    assert _groups(added) == {"审核人"}
    assert User.objects.get(pk=added.pk).is_staff
    assert _groups(stray) == set()
    assert _groups(world.clerk) == {"填报人"}
    assert _groups(world.reviewer) == {"审核人"}
