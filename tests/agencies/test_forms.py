"""The agency form: in Chinese, and a new or moved agency stays in the scope.

Personas: the clerk of 龙潭分局, the reviewer of 吉林市统计局 above it, the
outsider from 湖南省统计局, and the clerk of the sibling 船营分局.
"""

import re

from django.contrib.auth.models import AbstractUser

from agencies.models import Agency
from tests.agencies.conftest import grant
from tests.conftest import World
from tests.factories import client_for, make_user

LIST = "/admin/agencies/agency/"
FIELDS = {"name": "新机关", "short_name": "", "code": "t-new", "kind": "department"}
REFUSED = "这样放置后，机关的上级不在您的管辖范围内。"


def _editors(world: World, sibling: AbstractUser) -> list[AbstractUser]:
    return [
        grant(u, "add_agency", "change_agency")
        for u in (world.clerk, world.reviewer, world.outsider, sibling)
    ]


def _parent(agency: Agency) -> Agency | None:
    return Agency.objects.get_parent(Agency.objects.get(pk=agency.pk))


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_agency_form_speaks_chinese(world: World, sibling: AbstractUser) -> None:
    english = [
        "Position",
        "Relative to",
        "First child of",
        "Before",
        "After",
        "Treebeard",
        "root --",
        "Select an option",
    ]
    users = [make_user(superuser=True), *_editors(world, sibling)]
    for user in users:
        client = client_for(user)
        for url in (f"{LIST}add/", f"{LIST}{world.district.pk}/change/"):
            response = client.get(url)
            if response.status_code == 404:  # outside the outsider's scope
                continue
            text = _visible_text(response.content.decode())
            assert "位置" in text and "参照机关" in text
            assert "作为它的下级，排在最前" in text
            for word in english:
                assert word not in text, (user.username, url, word)


def test_form_errors_name_the_fields_in_chinese(world: World) -> None:
    admin = make_user(superuser=True)
    response = client_for(admin).post(f"{LIST}add/", {"name": ""})
    text = _visible_text(response.content.decode())
    assert "这个字段是必填项" in text
    assert "Treebeard" not in text and "Position" not in text


def test_new_agency_goes_below_an_agency_of_the_scope(
    world: World, sibling_agency: Agency, sibling: AbstractUser
) -> None:
    clerk, reviewer, outsider, sibling = _editors(world, sibling)
    cases = [
        # (user, reference, position, created)
        (clerk, world.district, "right", False),  # beside the scope root
        (clerk, world.district, "first-child", True),
        (reviewer, world.city_bureau, "left", False),
        (reviewer, world.district, "right", True),  # beside, still below 市统计局
        (outsider, world.district, "first-child", False),  # not offered
        (sibling, sibling_agency, "left", False),
        (sibling, world.district, "first-child", False),
    ]
    for number, (user, ref, position, created) in enumerate(cases):
        code = f"t-new-{number}"
        response = client_for(user).post(
            f"{LIST}add/",
            {
                **FIELDS,
                "code": code,
                "level": "county",
                "treebeard_ref_node": ref.pk,
                "treebeard_position": position,
            },
        )
        made = Agency.objects.filter(code=code).first()
        assert (made is not None) is created, (user.username, position)
        if created:
            assert response.status_code == 302
        else:
            assert response.status_code == 200


def test_moving_out_of_the_scope_in_the_form_is_refused(
    world: World, sibling_agency: Agency, sibling: AbstractUser
) -> None:
    clerk, reviewer, outsider, sibling = _editors(world, sibling)
    data = {
        "name": world.district.name,
        "code": world.district.code,
        "kind": world.district.kind,
        "level": world.district.level,
    }
    url = f"{LIST}{world.district.pk}/change/"
    response = client_for(reviewer).post(
        url,
        {
            **data,
            "treebeard_ref_node": world.city_bureau.pk,
            "treebeard_position": "right",
        },
    )
    assert REFUSED in response.content.decode()
    assert _parent(world.district) == world.city_bureau
    for user in (outsider, sibling):
        response = client_for(user).post(
            url,
            {
                **data,
                "treebeard_ref_node": sibling_agency.pk,
                "treebeard_position": "first-child",
            },
        )
        assert response.status_code == 404
    # The clerk's own scope root stays where it is when the name changes.
    response = client_for(clerk).post(
        url,
        {
            **data,
            "name": "龙潭分局（改名）",
            "treebeard_ref_node": "",
            "treebeard_position": "first-child",
        },
    )
    assert response.status_code == 302
    district = Agency.objects.get(pk=world.district.pk)
    assert district.name == "龙潭分局（改名）"
    assert Agency.objects.get_parent(district) == world.city_bureau
    # Inside the scope the reviewer moves it.
    response = client_for(reviewer).post(
        url,
        {
            **data,
            "treebeard_ref_node": sibling_agency.pk,
            "treebeard_position": "first-child",
        },
    )
    assert response.status_code == 302
    assert _parent(world.district) == sibling_agency


def test_reference_agencies_offered_are_those_of_the_scope(
    world: World, sibling_agency: Agency, sibling: AbstractUser
) -> None:
    clerk, reviewer, outsider, sibling = _editors(world, sibling)

    def offered(user: AbstractUser, url: str) -> tuple[set[str], bool]:
        form = client_for(user).get(url).context["adminform"].form
        field = form.fields["treebeard_ref_node"]
        return set(field.queryset.values_list("code", flat=True)), field.required

    change = f"{LIST}{world.district.pk}/change/"
    # Editing, an empty reference keeps the agency where it is.
    assert offered(clerk, change) == (set(), False)
    assert offered(reviewer, change) == ({"t-jl-tjj", "t-jl-cy"}, False)
    # Adding, a reference is required: only a superuser makes a new root.
    add = f"{LIST}add/"
    assert offered(clerk, add) == ({"t-jl-lt"}, True)
    assert offered(reviewer, add) == ({"t-jl-tjj", "t-jl-lt", "t-jl-cy"}, True)
    assert offered(outsider, add) == ({"t-hn-tjj"}, True)
    assert offered(sibling, add) == ({"t-jl-cy"}, True)
    assert offered(make_user(superuser=True), add)[1] is False
