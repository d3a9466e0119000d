"""Scoping in the agency admin: list, tree, moves, change page, history,
autocomplete, choices; and no answer 500 on a malformed request.

The personas: a clerk of the leaf 龙潭分局, a reviewer of its ancestor
吉林市统计局, an outsider from 湖南省统计局, and (where scope decides) the
clerk of 龙潭分局's sibling 船营分局.
"""

from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import AbstractUser
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory

from agencies.admin import MembershipAdmin
from agencies.models import Agency, Membership
from tests.agencies.conftest import grant
from tests.conftest import World
from tests.factories import client_for, make_agency, make_user

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


def test_children_of_agencies_in_the_scope_are_listed(world: World) -> None:
    url = f"{LIST}children/{world.city_bureau.pk}/"
    response = client_for(world.reviewer).get(url)
    assert response.status_code == 200
    assert "龙潭分局" in response.json()["result_html"]


def test_children_with_a_query_the_list_does_not_know_answer_400(
    world: World,
) -> None:
    url = f"{LIST}children/{world.city_bureau.pk}/"
    response = _lenient(world.reviewer).get(url, {"year": "abc"})
    assert response.status_code == 400
    assert response.json() == {"error": "筛选条件无效。"}


def test_children_of_unknown_malformed_or_foreign_ids_all_answer_the_same_404(
    world: World, sibling_agency: Agency, sibling: AbstractUser
) -> None:
    # Out of scope answers exactly like nonexistent: no existence oracle.
    foreign = {
        world.clerk: world.city_bureau,  # the clerk's parent, above the scope
        world.reviewer: world.other_province,
        world.outsider: world.city_bureau,
        sibling: world.district,  # the sibling's sibling
    }
    for user, agency in foreign.items():
        client = client_for(user)
        for parent_id in ["abc", "999999", "-1", "1.0", "²", str(agency.pk)]:
            response = client.get(f"{LIST}children/{parent_id}/")
            assert response.status_code == 404, (user, parent_id)
            assert response.json() == {"error": "没有找到该机关，或您无权访问。"}


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


def _drag(user: AbstractUser, node: Agency, target: Agency, relation: str):  # noqa: ANN202
    client = client_for(user)
    response = client.post(
        f"{LIST}move/", {"node": node.pk, "target": target.pk, "relation": relation}
    )
    shown = [str(m) for m in response.wsgi_request._messages]
    return response, shown


def _parent(agency: Agency) -> Agency | None:
    return Agency.objects.get_parent(Agency.objects.get(pk=agency.pk))


def test_drag_moves_stay_inside_the_movers_scope(
    world: World, sibling_agency: Agency, sibling: AbstractUser
) -> None:
    leaf = make_agency(parent=world.district, name="龙潭分局下属站", code="t-leaf")
    clerk, reviewer, outsider, sibling = (
        grant(u, "change_agency")
        for u in (world.clerk, world.reviewer, world.outsider, sibling)
    )
    refused = "这样放置后，机关的上级不在您的管辖范围内。"
    # Next to one's own scope root is outside the scope: refused.
    response, shown = _drag(clerk, leaf, world.district, "sibling")
    assert response.status_code == 403 and refused in shown[0]
    assert _parent(leaf) == world.district
    response, shown = _drag(reviewer, world.district, world.city_bureau, "sibling")
    assert response.status_code == 403 and refused in shown[0]
    assert _parent(world.district) == world.city_bureau
    response, shown = _drag(sibling, sibling_agency, world.district, "sibling")
    assert response.status_code == 403
    assert _parent(sibling_agency) == world.city_bureau
    # An agency outside the scope cannot be moved at all.
    response, shown = _drag(outsider, world.district, world.other_bureau, "child")
    assert response.status_code == 403
    assert shown == ["没有找到该机关，或您无权访问。"]
    assert _parent(world.district) == world.city_bureau
    # Inside the scope the move happens, and says so in Chinese.
    response, shown = _drag(reviewer, world.district, sibling_agency, "child")
    assert response.status_code == 200
    assert shown == ["已将“吉林市统计局龙潭分局”移为“吉林市统计局船营分局”的下级机关。"]
    assert _parent(world.district) == sibling_agency


def test_superuser_may_drag_an_agency_to_the_top_of_the_tree(world: World) -> None:
    admin = make_user(superuser=True)
    response, shown = _drag(admin, world.city_bureau, world.other_province, "sibling")
    assert response.status_code == 200
    assert _parent(world.city_bureau) is None
    assert shown == ["已将“吉林市统计局”移到“湖南省人民政府”之前，与它同级。"]


def test_drag_request_with_odd_digits_is_refused_not_an_error(world: World) -> None:
    # "²" passes str.isdigit() but is no number: it used to answer 500.
    client = Client(raise_request_exception=False)
    client.force_login(make_user(superuser=True))
    response = client.post(
        f"{LIST}move/", {"node": "²", "target": "²", "relation": "child"}
    )
    assert response.status_code == 403


def test_task_results_admin_is_for_superusers_only(
    world: World, sibling: AbstractUser
) -> None:
    url = "/admin/django_tasks_database/dbtaskresult/"
    for user in (world.clerk, world.reviewer, world.outsider, sibling):
        user = grant(user, "view_dbtaskresult")
        client = client_for(user)
        assert client.get(url).status_code == 403
        assert "Task Results" not in client.get("/admin/").content.decode()
    assert client_for(make_user(superuser=True)).get(url).status_code == 200


def _lenient(user: AbstractUser) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_list_posted_without_an_action_shows_the_tree_again(world: World) -> None:
    # treebeard only prepares its tree for a GET; a POST used to answer 500.
    response = _lenient(world.reviewer).post(LIST, {})
    assert response.status_code == 200
    assert "吉林市统计局" in response.content.decode()


@pytest.mark.parametrize("url", [LIST, "/admin/agencies/membership/"])
def test_action_on_a_malformed_selection_is_refused_with_a_message(
    world: World, url: str
) -> None:
    client = _lenient(make_user(superuser=True))
    response = client.post(
        url,
        {
            "action": "delete_selected",
            "_selected_action": ["abc", str(world.district.pk)],
            "index": "0",
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "所选的条目无效，没有执行任何操作。" in response.content.decode()
    assert Agency.objects.filter(pk=world.district.pk).exists()
    assert Membership.objects.filter(user=world.clerk).exists()


@pytest.mark.parametrize("query", [{"level__exact": "\x00"}, {"q": "统计局\x00"}])
def test_a_nul_in_a_list_query_sends_back_to_the_whole_list(
    world: World, query: dict[str, str]
) -> None:
    # PostgreSQL refuses NUL in text: it used to answer 500 there.
    client = _lenient(world.reviewer)
    for url in (LIST, "/admin/agencies/membership/"):
        response = client.get(url, query)
        assert response.status_code == 302
        assert response["Location"] == f"{url}?e=1"


def test_the_tree_page_carries_the_chinese_drag_tooltips(world: World) -> None:
    page = client_for(world.reviewer).get(LIST).content.decode()
    assert "agencies/tree-zh.js" in page
    script = finders.find("agencies/tree-zh.js")
    assert script is not None
    text = Path(script).read_text(encoding="utf-8")
    assert '"As child": "移为它的下级"' in text
