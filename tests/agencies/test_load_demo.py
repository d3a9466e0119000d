"""load_demo builds the demo hierarchy once; a second run changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from agencies.models import Agency, Membership


def snapshot() -> tuple:
    return (
        sorted(Agency.objects.values_list("code", "path", "name")),
        sorted(get_user_model().objects.values_list("username", "password")),
        sorted(
            Membership.objects.values_list("user__username", "agency__code", "role")
        ),
    )


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    printed = out.getvalue()
    assert "longtan_clerk" in printed and "nianbao-demo-1" in printed


@pytest.mark.django_db
def test_demo_hierarchy_places_the_seed_agencies() -> None:
    call_command("load_demo", stdout=StringIO())
    longtan = Agency.objects.get(name="吉林市统计局龙潭分局")
    assert [a.name for a in Agency.objects.get_ancestors(longtan)] == [
        "吉林省人民政府",
        "吉林市人民政府",
        "吉林市统计局",
    ]
    cq = Agency.objects.get(name="国家统计局重庆调查总队")
    assert Agency.objects.get_parent(cq).name == "国家统计局"
    xiangxi = Agency.objects.get(code="hn-xx")
    assert Agency.objects.get_children(xiangxi).count() >= 3
    roles = set(
        Membership.objects.values_list("user__username", "agency__code", "role")
    )
    assert ("longtan_clerk", "jl-jlc-tjj-lt", "clerk") in roles
    assert ("hunan_reviewer", "hn", "reviewer") in roles
    assert get_user_model().objects.get(username="admin").is_superuser
