"""load_demo builds the demo hierarchy and the seed reports once; a second run
changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from agencies.models import Agency, Membership
from reports.models import AnnualReport
from reports.selectors import report_values


def snapshot() -> tuple:
    return (
        sorted(AnnualReport.objects.values_list("agency__code", "year", "version")),
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


@pytest.mark.django_db
def test_seed_reports_arrive_with_their_findings() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    xiangxi = AnnualReport.objects.get(agency__code="hn-xx", year=2017)
    assert xiangxi.source == AnnualReport.Source.TEXT
    assert report_values(xiangxi)["a4_reviews"] == 101
    assert (xiangxi.error_count, xiangxi.warning_count) == (1, 1)
    longtan = AnnualReport.objects.get(agency__code="jl-jlc-tjj-lt", year=2017)
    assert longtan.table_year == 2016 and longtan.warning_count == 1
    for code in ("hn-tjj", "tjj-cq"):  # reports without a table: all missing
        report = AnnualReport.objects.get(agency__code=code, year=2017)
        assert report_values(report) == {}
        assert report.sections["overview"]
    assert not AnnualReport.objects.filter(agency__code="fj-tjj").exists()
    assert "工作计划" in out.getvalue()
