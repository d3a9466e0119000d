"""The roll-up pages (reports/views/rollup.py): 汇总表, its export, 历年对比;
what each persona may see, and no 500 on any input."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from reports.models import AnnualReport
from tests.conftest import World
from tests.factories import client_for, make_agency, make_user
from tests.reports.exporters.rollup_tree import (
    YEAR,
    Tree,
    a_values,
    build_tree,
    file_report,
)

ROLLUP = "admin:reports_annualreport_rollup"
EXPORT = "admin:reports_annualreport_rollup_export"
YEARS = "admin:reports_annualreport_rollup_years"


@pytest.fixture
def tree(world: World) -> Tree:
    return build_tree(world)


def get(client: Client, name: str, **params: object) -> object:
    return client.get(reverse(name), params)


def test_reviewer_of_an_ancestor_sees_the_roll_up(tree: Tree) -> None:
    response = get(client_for(tree.hn_reviewer), ROLLUP, agency=tree.xx.pk, year=YEAR)
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("本级", "吉首市人民政府", "凤凰县人民政府", "合计"):
        assert name in page
    part = response.context["parts"][0]
    total_row = next(
        row
        for row in part["blocks"][0]["rows"]
        if row["label"].startswith("(一)主动公开政府信息数")
    )
    assert [c.text for c in total_row["cells"]] == ["10", "5", "27", "", "", "42"]
    assert "汇总仅已通过的报告共 4 份" in page
    assert "永顺县统计局（草稿）" in page and "凤凰县人民政府（已提交）" in page
    assert "a_received_sum" not in page  # findings are shown by message
    assert "收到申请数 13 ≠" in page
    # drill-down into a child, and the export and years links
    drill = reverse(ROLLUP) + f"?agency={tree.js.pk}&amp;year={YEAR}"
    assert drill in page
    assert reverse(EXPORT) in page and reverse(YEARS) in page


def test_charts_are_inline_svg(tree: Tree) -> None:
    response = get(client_for(tree.hn_reviewer), ROLLUP, agency=tree.xx.pk, year=YEAR)
    charts = response.content.decode().split('id="rollup-charts">')[1]
    charts = charts.split("</div>")[0]
    svgs = charts.split("</svg>")[:-1]
    assert len(svgs) == 8  # a bar and a line chart per main figure of format A
    assert all(
        '<svg xmlns="http://www.w3.org/2000/svg" class="nb-chart"' in s for s in svgs
    )
    assert "<script" not in charts and "href=" not in charts
    bars, lines = svgs[0], svgs[4]
    # a bar per column with a value: 吉首市's 主动公开 is 27
    assert "主动公开政府信息数（2017 年度，按汇总单位）" in bars
    assert "吉首市人民政府 · 主动公开政府信息数：27</title></rect>" in bars
    assert "主动公开政府信息数（2008–2017 年度）" in lines
    assert "2017 · 主动公开政府信息数：42</title></circle>" in lines


def test_statuses_choice_on_the_page(tree: Tree) -> None:
    response = get(
        client_for(tree.hn_reviewer),
        ROLLUP,
        agency=tree.xx.pk,
        year=YEAR,
        statuses="submitted",
    )
    assert response.status_code == 200
    assert response.context["rollup"].parts[0].totals["a1_total"] == 142
    page = response.content.decode()
    assert "已纳入但尚未审核通过的机关（1 个）" in page


def test_export_is_the_roll_up_as_xlsx(tree: Tree) -> None:
    response = get(client_for(tree.hn_reviewer), EXPORT, agency=tree.xx.pk, year=YEAR)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "汇总表"
    assert "吉首市人民政府" in [c.value for c in book["汇总表"][4]]


def test_years_page_shows_each_year_and_the_change(tree: Tree) -> None:
    file_report(agency=tree.xx, year=2016, values=a_values(8, 0, 0, 0, 0, 0))
    file_report(agency=tree.js, year=2016, values=a_values(12, 0, 0, 0, 0, 0))
    response = get(
        client_for(tree.hn_reviewer),
        YEARS,
        agency=tree.xx.pk,
        years=[2016, 2017],
    )
    assert response.status_code == 200
    [part] = response.context["parts"]
    row = next(
        r
        for r in part["blocks"][0]["rows"]
        if r["label"].startswith("(一)主动公开政府信息数")
    )
    assert [(c["value"], c["change"], c["percent"]) for c in row["cells"]] == [
        ("20", "", ""),
        ("42", "+22", "+110.0%"),
    ]
    assert "2017 年度（4 份）" in response.content.decode()


# --- who may see what ------------------------------------------------------


def test_clerk_of_a_child_sees_their_subtree_only(tree: Tree) -> None:
    client = client_for(tree.js_clerk)
    own = get(client, ROLLUP, agency=tree.js.pk, year=YEAR)
    assert own.status_code == 200
    assert own.context["rollup"].parts[0].totals["a1_total"] == 27
    assert get(client, ROLLUP, agency=tree.jsj.pk, year=YEAR).status_code == 200
    parent = get(client, ROLLUP, agency=tree.xx.pk, year=YEAR)
    assert parent.status_code == 404
    assert "湘西" not in parent.content.decode()


def test_without_an_agency_the_page_starts_at_the_scope_root(tree: Tree) -> None:
    response = get(client_for(tree.js_clerk), ROLLUP, year=YEAR)
    assert response.status_code == 200
    assert response.context["rollup"].node == tree.js


def test_superuser_without_an_agency_picks_a_root(tree: Tree) -> None:
    response = get(client_for(make_user(superuser=True)), ROLLUP, year=YEAR)
    assert response.status_code == 200
    assert "rollup" not in response.context or response.context["rollup"] is None
    names = [agency.name for agency, _url in response.context["roots"]]
    assert "湖南省人民政府" in names and "吉林省人民政府" in names


@pytest.mark.parametrize("name", [ROLLUP, EXPORT, YEARS])
def test_sibling_clerk_gets_404(tree: Tree, name: str) -> None:
    response = get(
        client_for(tree.fh_clerk), name, agency=tree.js.pk, year=YEAR, years=YEAR
    )
    assert response.status_code == 404
    assert "吉首" not in response.content.decode()


@pytest.mark.parametrize("name", [ROLLUP, EXPORT, YEARS])
def test_outsider_gets_404(tree: Tree, world: World, name: str) -> None:
    for user in (world.clerk, world.outsider, world.reviewer):
        response = get(client_for(user), name, agency=tree.xx.pk, year=YEAR, years=YEAR)
        assert response.status_code == 404, user
        assert "湘西" not in response.content.decode()


def test_reviewer_of_an_ancestor_may_export_and_compare(tree: Tree) -> None:
    client = client_for(tree.hn_reviewer)
    assert get(client, EXPORT, agency=tree.js.pk, year=YEAR).status_code == 200
    years = get(client, YEARS, agency=tree.js.pk, years=[2016, 2017])
    assert years.status_code == 200


def test_anonymous_is_sent_to_log_in(tree: Tree) -> None:
    for name in (ROLLUP, EXPORT, YEARS):
        response = get(Client(), name, agency=tree.xx.pk, year=YEAR)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_user_without_membership_sees_nothing(tree: Tree) -> None:
    user = make_user()
    user.is_staff = True
    user.save()
    response = get(client_for(user), ROLLUP, agency=tree.xx.pk, year=YEAR)
    assert response.status_code in (403, 404)
    assert "湘西" not in response.content.decode()


# --- no 500 --------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"agency": "abc"},
        {"agency": "-1"},
        {"agency": "99999999999999999999"},
        {"agency": "\x00"},
        {"year": "abc"},
        {"year": "1999"},
        {"year": "99999999999999999999"},
        {"statuses": "draft"},
        {"statuses": "x" * 2000},
        {"years": "abc"},
        {"years": "2007"},
    ],
)
def test_malformed_input_is_a_400_not_a_500(tree: Tree, params: dict) -> None:
    client = client_for(tree.hn_reviewer)
    for name in (ROLLUP, EXPORT, YEARS):
        response = get(client, name, **{"agency": tree.xx.pk, **params})
        relevant = ("years" not in params or name == YEARS) and (
            "year" not in params or name != YEARS
        )
        assert response.status_code == (400 if relevant else 200), (name, params)


def test_unknown_agency_id_is_404(tree: Tree) -> None:
    client = client_for(tree.hn_reviewer)
    for name in (ROLLUP, EXPORT, YEARS):
        response = get(client, name, agency=10**15, year=YEAR, years=YEAR)
        assert response.status_code == 404


def test_post_is_refused(tree: Tree) -> None:
    client = client_for(tree.hn_reviewer)
    for name in (ROLLUP, EXPORT, YEARS):
        assert client.post(reverse(name), {"agency": tree.xx.pk}).status_code == 405


def test_export_without_an_agency_is_a_400(tree: Tree) -> None:
    response = get(client_for(tree.hn_reviewer), EXPORT, year=YEAR)
    assert response.status_code == 400


def test_names_are_escaped_on_the_page(tree: Tree) -> None:
    odd = make_agency(parent=tree.xx, name="<b>=1+1</b>", code="t-xx-odd")
    file_report(agency=odd, values=a_values(1, 0, 0, 0, 0, 0))
    file_report(agency=odd, year=2016, status=AnnualReport.Status.DRAFT)
    response = get(client_for(tree.hn_reviewer), ROLLUP, agency=tree.xx.pk, year=YEAR)
    page = response.content.decode()
    assert "<b>=1+1</b>" not in page
    assert "&lt;b&gt;=1+1&lt;/b&gt;" in page


def test_years_link_of_the_first_year_stays_valid(tree: Tree) -> None:
    client = client_for(tree.hn_reviewer)
    response = get(client, ROLLUP, agency=tree.xx.pk, year=2008)
    assert response.status_code == 200
    link = response.context["years_url"]
    assert "years=2008" in link and "years=2007" not in link
    assert client.get(link).status_code == 200
