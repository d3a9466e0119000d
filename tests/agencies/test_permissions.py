"""Who may see, file for and review which agency."""

from agencies import permissions
from tests.conftest import World
from tests.factories import make_user


def codes(qs) -> set[str]:  # noqa: ANN001 - any Agency queryset
    return set(qs.values_list("code", flat=True))


def test_clerk_of_a_leaf_sees_only_the_leaf(world: World) -> None:
    assert codes(permissions.visible_agencies(world.clerk)) == {"t-jl-lt"}
    assert codes(permissions.filing_agencies(world.clerk)) == {"t-jl-lt"}
    assert codes(permissions.reviewable_agencies(world.clerk)) == set()


def test_reviewer_sees_the_subtree_and_reviews_below_it(world: World) -> None:
    assert codes(permissions.visible_agencies(world.reviewer)) == {
        "t-jl-tjj",
        "t-jl-lt",
    }
    assert codes(permissions.reviewable_agencies(world.reviewer)) == {"t-jl-lt"}
    assert codes(permissions.filing_agencies(world.reviewer)) == set()
    assert permissions.can_review(world.reviewer, world.district)
    assert not permissions.can_review(world.reviewer, world.city_bureau)


def test_outsider_sees_nothing_of_the_other_subtree(world: World) -> None:
    visible = codes(permissions.visible_agencies(world.outsider))
    assert visible == {"t-hn-tjj"}
    for agency in (world.province, world.city_bureau, world.district):
        assert not permissions.can_see(world.outsider, agency)
        assert not permissions.can_file(world.outsider, agency)


def test_scope_is_the_union_of_memberships(world: World) -> None:
    from agencies.services import membership_ensure
    from tests.factories import make_member

    user = make_member(agency=world.district)
    membership_ensure(user=user, agency=world.other_bureau, role="clerk")
    user.refresh_from_db()
    fresh = type(user).objects.get(pk=user.pk)
    assert codes(permissions.visible_agencies(fresh)) == {"t-jl-lt", "t-hn-tjj"}


def test_superuser_sees_everything_and_a_user_without_membership_nothing(
    world: World,
) -> None:
    admin = make_user(superuser=True)
    assert codes(permissions.visible_agencies(admin)) >= {"t-jl", "t-hn", "t-jl-lt"}
    nobody = make_user()
    assert codes(permissions.visible_agencies(nobody)) == set()
    assert list(permissions.scope_roots(world.reviewer)) == [world.city_bureau]
