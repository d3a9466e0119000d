"""The agency tree: create, move a subtree, the subtree query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency
from tests.conftest import World
from tests.factories import make_agency


def test_children_are_created_below_their_parent(world: World) -> None:
    assert Agency.objects.get_parent(world.district) == world.city_bureau
    assert world.province.depth == 1
    assert world.district.depth == 3
    assert [a.name for a in Agency.objects.get_descendants(world.province)] == [
        "吉林市统计局",
        "吉林市统计局龙潭分局",
    ]


def test_subtree_is_one_query_and_holds_only_the_subtree(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        names = sorted(a.name for a in world.city_bureau.subtree())
    assert len(queries) == 1
    assert names == ["吉林市统计局", "吉林市统计局龙潭分局"]


def test_moving_a_subtree_carries_its_descendants(world: World) -> None:
    leaf = make_agency(parent=world.district, name="龙潭分局下属站", code="t-leaf")
    world.city_bureau.refresh_from_db()
    world.other_province.refresh_from_db()
    Agency.objects.move(world.city_bureau, world.other_province, pos="last-child")
    moved = Agency.objects.get(pk=world.city_bureau.pk)
    leaf.refresh_from_db()
    assert Agency.objects.get_parent(moved) == world.other_province
    assert (
        Agency.objects.get_ancestors(leaf).filter(pk=world.other_province.pk).exists()
    )
    assert set(world.other_province.subtree().values_list("code", flat=True)) == {
        "t-hn",
        "t-hn-tjj",
        "t-jl-tjj",
        "t-jl-lt",
        "t-leaf",
    }
    assert (
        not Agency.objects.get(pk=world.province.pk)
        .subtree()
        .filter(code="t-leaf")
        .exists()
    )


@pytest.mark.django_db
def test_agency_code_is_unique() -> None:
    from django.db import IntegrityError, transaction

    make_agency(code="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.add_root(
            {"name": "另一个", "code": "same", "kind": "other", "level": "city"}
        )
