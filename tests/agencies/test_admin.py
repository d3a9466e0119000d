"""Scoping in the agency admin: list, change page, history, autocomplete, choices.

Every test runs the three personas: a clerk of the leaf 龙潭分局, a reviewer
of its ancestor 吉林市统计局, and an outsider from 湖南省统计局.
"""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from agencies.admin import MembershipAdmin
from agencies.models import Agency, Membership
from tests.conftest import World
from tests.factories import client_for, make_user

LIST = "/admin/agencies/agency/"


def test_tree_starts_at_the_top_of_each_users_scope(world: World) -> None:
    page = client_for(world.clerk).get(LIST).content.decode()
    assert "吉林市统计局龙潭分局" in page
    assert "湖南省统计局" not in page
    assert "吉林省人民政府" not in page

    page = client_for(world.reviewer).get(LIST).content.decode()
    assert "吉林市统计局" in page
    assert "湖南省" not in page

    page = client_for(world.outsider).get(LIST).content.decode()
    assert "湖南省统计局" in page
    assert "吉林" not in page


def test_search_finds_only_agencies_in_scope(world: World) -> None:
    page = client_for(world.reviewer).get(LIST, {"q": "统计局"}).content.decode()
    assert "吉林市统计局龙潭分局" in page
    assert "湖南省统计局" not in page
    page = client_for(world.outsider).get(LIST, {"q": "统计局"}).content.decode()
    assert "湖南省统计局" in page
    assert "龙潭" not in page


def test_children_of_a_node_outside_the_scope_are_not_disclosed(world: World) -> None:
    url = f"{LIST}children/{world.other_province.pk}/"
    response = client_for(world.reviewer).get(url)
    assert "湖南省统计局" not in response.content.decode("unicode_escape")
    url = f"{LIST}children/{world.city_bureau.pk}/"
    response = client_for(world.reviewer).get(url)
    assert "龙潭分局" in response.json()["result_html"]


@pytest.mark.parametrize("suffix", ["change/", "history/", "delete/"])
def test_pages_of_an_agency_outside_the_scope_answer_404(
    world: World, suffix: str
) -> None:
    url = f"{LIST}{world.district.pk}/{suffix}"
    outsider = client_for(world.outsider).get(url)
    assert outsider.status_code == 404
    assert "龙潭" not in outsider.content.decode()
    # The clerk of 龙潭分局 may view (not delete) it; the reviewer above too.
    expected = 403 if suffix == "delete/" else 200
    assert client_for(world.clerk).get(url).status_code == expected
    assert client_for(world.reviewer).get(url).status_code == expected
    # Upwards is outside the clerk's scope.
    up = f"{LIST}{world.city_bureau.pk}/{suffix}"
    assert client_for(world.clerk).get(up).status_code == 404


def test_autocomplete_offers_only_agencies_in_scope(world: World) -> None:
    params = {
        "app_label": "agencies",
        "model_name": "membership",
        "field_name": "agency",
        "term": "统计局",
    }

    def names(user) -> set[str]:  # noqa: ANN001
        response = client_for(user).get("/admin/autocomplete/", params)
        assert response.status_code == 200
        return {row["text"] for row in response.json()["results"]}

    assert names(world.clerk) == {"吉林市统计局龙潭分局"}
    assert names(world.reviewer) == {"吉林市统计局", "吉林市统计局龙潭分局"}
    assert names(world.outsider) == {"湖南省统计局"}


def test_foreign_key_choices_are_scoped(world: World) -> None:
    model_admin = MembershipAdmin(Membership, site)
    field = Membership._meta.get_field("agency")

    def choices(user) -> set[str]:  # noqa: ANN001
        request = RequestFactory().get("/")
        request.user = user
        formfield = model_admin.formfield_for_foreignkey(field, request)
        return set(formfield.queryset.values_list("code", flat=True))

    assert choices(world.clerk) == {"t-jl-lt"}
    assert choices(world.reviewer) == {"t-jl-tjj", "t-jl-lt"}
    assert choices(world.outsider) == {"t-hn-tjj"}


def test_membership_list_is_scoped(world: World) -> None:
    page = client_for(world.reviewer).get("/admin/agencies/membership/")
    text = page.content.decode()
    assert "吉林市统计局龙潭分局" in text and "湖南省统计局" not in text
    page = client_for(world.outsider).get("/admin/agencies/membership/")
    text = page.content.decode()
    assert "湖南省统计局" in text and "龙潭" not in text


def test_move_into_a_subtree_outside_the_scope_is_refused(world: World) -> None:
    from django.contrib.auth.models import Permission

    world.reviewer.user_permissions.add(
        Permission.objects.get(codename="change_agency")
    )
    client = client_for(world.reviewer)
    response = client.post(
        f"{LIST}move/",
        {
            "node": world.district.pk,
            "target": world.other_province.pk,
            "relation": "child",
        },
    )
    assert response.status_code == 403
    district = Agency.objects.get(pk=world.district.pk)
    assert Agency.objects.get_parent(district) == world.city_bureau
    outsider = client_for(world.outsider).post(
        f"{LIST}move/",
        {
            "node": world.district.pk,
            "target": world.other_bureau.pk,
            "relation": "child",
        },
    )
    assert outsider.status_code == 403


def test_superuser_moves_a_subtree_in_the_admin(world: World) -> None:
    admin = make_user(superuser=True)
    response = client_for(admin).post(
        f"{LIST}move/",
        {
            "node": world.city_bureau.pk,
            "target": world.other_province.pk,
            "relation": "child",
        },
    )
    assert response.status_code == 200
    district = Agency.objects.get(pk=world.district.pk)
    assert (
        Agency.objects.get_ancestors(district)
        .filter(pk=world.other_province.pk)
        .exists()
    )


def test_agency_form_offers_only_reference_nodes_in_the_scope(world: World) -> None:
    from django.contrib.auth.models import Permission

    world.reviewer.user_permissions.add(
        Permission.objects.get(codename="change_agency")
    )
    response = client_for(world.reviewer).get(f"{LIST}{world.district.pk}/change/")
    choices = response.context["adminform"].form.fields["treebeard_ref_node"].queryset
    assert set(choices.values_list("code", flat=True)) == {"t-jl-tjj"}
    assert response.context["adminform"].form.fields["treebeard_ref_node"].required
