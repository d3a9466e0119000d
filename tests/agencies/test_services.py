"""Role groups follow memberships, and nothing else."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group

from agencies.models import Membership
from agencies.services import (
    membership_ensure,
    membership_save,
    memberships_delete,
    user_groups_sync,
)
from tests.conftest import World


def _groups(user: AbstractUser) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_groups_are_derived_from_the_memberships(world: World) -> None:
    user = get_user_model().objects.create_user("multi")
    other = Group.objects.create(name="其他用户组")
    user.groups.add(other, Group.objects.get(name="审核人"))
    membership_ensure(user=user, agency=world.district, role="clerk")
    # The stray reviewer group went; groups that are not roles stay.
    assert _groups(user) == {"填报人", "其他用户组"}
    user.refresh_from_db()
    assert user.is_staff
    membership_ensure(user=user, agency=world.other_bureau, role="reviewer")
    assert _groups(user) == {"填报人", "审核人", "其他用户组"}
    Membership.objects.filter(user=user, role="clerk").delete()
    user_groups_sync(user=user)
    assert _groups(user) == {"审核人", "其他用户组"}


def test_saving_and_deleting_memberships_moves_the_groups(world: World) -> None:
    membership = Membership.objects.get(user=world.clerk)
    membership.user = world.reviewer
    membership_save(membership=membership)
    assert _groups(world.clerk) == set()
    assert _groups(world.reviewer) == {"填报人", "审核人"}
    memberships_delete(memberships=Membership.objects.filter(user=world.reviewer))
    assert _groups(world.reviewer) == set()
    assert _groups(world.outsider) == {"填报人"}
