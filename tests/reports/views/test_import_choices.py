"""The import page when the pasted text holds several tables.

湘西州's report (seed 003) and 龙潭分局's own (seed 002) pasted together into
龙潭分局's 2017 report: the preview lists both, nothing can be confirmed
until the clerk has chosen one and seen its preview, and what is confirmed is
the table previewed, read with its own report's years and 填报单位.
"""

import pytest
from django.http import HttpResponse
from django.test import Client

from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import report_save_values
from tests.conftest import World
from tests.factories import client_for, make_report
from tests.reports.seed_tables import SEED_002, SEED_003, printed
from tests.reports.seed_tables import seed_text as seed
from tests.reports.views.test_imports import (
    assert_nothing_stored,
    fresh,
    own_text,
    preview_form,
    url,
)

OWN_002 = {**SEED_002}  # own_text() prints seed 002's table


def two(first: str | None = None, second: str | None = None) -> str:
    """湘西州's report, then 龙潭分局's."""
    return (first or seed("003")) + "\n\n" + (second or own_text())


@pytest.fixture
def report(world: World) -> AnnualReport:
    return make_report(agency=world.district, year=2017)


def preview(client: Client, report: AnnualReport, text: str, **fields: str) -> str:
    response = client.post(url(report), {"kind": "text", "text": text, **fields})
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def choose(client: Client, report: AnnualReport, page: str, table: str) -> str:
    """Pick a table on the preview and press "预览所选统计表"."""
    form = preview_form(page)
    response = client.post(url(report), {**form.fields, "table": table})
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def confirm(
    client: Client, report: AnnualReport, page: str, **changed: str
) -> HttpResponse:
    form = preview_form(page)
    return client.post(url(report), {**form.fields, **changed, "_confirm": "确认"})


def test_the_tables_are_listed_and_nothing_is_imported_until_one_is_chosen(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    page = preview(client, report, two())
    assert "文中有 2 张统计表" in page
    assert "请在下面选择要导入的一张" in page
    assert "湘西州2017年政府信息公开工作年度报告" in page
    assert "填报单位：吉林市统计局龙潭分局" in page
    assert "第 77–386 行" in page
    assert "读到 40 个单元格" in page
    form = preview_form(page)
    assert form.radios == {"table": ["0", "1"]}
    assert "table" not in form.fields  # none chosen for the clerk
    assert "previewed_table" not in form.fields
    assert form.buttons == []  # no confirm offered
    # Confirming anyway, by hand, with or without a table.
    for chosen in ({}, {"table": "1"}):
        refused = confirm(client, report, page, **chosen)
        assert refused.status_code == 400
        assert "没有导入任何内容" in refused.content.decode()
    assert_nothing_stored(report)


def test_the_chosen_table_is_previewed_and_confirmed_alone(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    page = choose(client, report, preview(client, report, two()), "1")
    form = preview_form(page)
    assert form.fields["table"] == "1"
    assert form.fields["previewed_table"] == "1"
    assert form.buttons == ["_confirm"]
    assert form.checkboxes == []  # 龙潭分局's own 2017 report: no tick
    assert "第 440 行：5 |" in page  # line numbers of the whole text
    assert "找到 9 / 58 个单元格" in page
    cells_and_sections = page.split("<h3>单元格</h3>")[1]
    assert "湘西" not in cells_and_sections
    response = confirm(client, report, page)
    assert response.status_code == 302
    stored = fresh(report)
    assert report_values(stored) == printed(OWN_002)
    assert stored.signed_head == "宋玉玲"
    assert stored.table_year == 2017
    assert stored.source_text == two()  # the text as pasted


def test_another_agency_s_table_needs_the_tick(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    page = choose(client, report, preview(client, report, two()), "0")
    assert "文本中的填报单位是“湘西州政务公开政务服务管理办公室”" in page
    assert preview_form(page).checkboxes == ["into_this_report"]
    refused = confirm(client, report, page)
    assert refused.status_code == 400
    assert "请勾选“导入到本报告”" in refused.content.decode()
    assert_nothing_stored(report)
    assert confirm(client, report, page, into_this_report="1").status_code == 302
    assert report_values(fresh(report)) == printed(SEED_003)


def test_a_choice_changed_without_its_preview_is_refused(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    page = choose(client, report, preview(client, report, two()), "0")
    # The clerk clicks the other table and confirms straight away (ticked).
    refused = confirm(client, report, page, table="1", into_this_report="1")
    assert refused.status_code == 400
    shown = refused.content.decode()
    assert "所选的统计表与预览的不同" in shown
    assert_nothing_stored(report)
    # The page now previews the table chosen, and confirms it.
    form = preview_form(shown)
    assert (form.fields["table"], form.fields["previewed_table"]) == ("1", "1")
    assert "第 440 行：5 |" in shown
    assert confirm(client, report, shown).status_code == 302
    assert report_values(fresh(report)) == printed(OWN_002)


def test_the_chosen_report_s_own_title_year_is_checked(
    world: World, report: AnnualReport
) -> None:
    first = seed("003").replace("湘西州2017年", "湘西州2016年", 1)
    client = client_for(world.clerk)
    listed = preview(client, report, two(first=first))
    page = choose(client, report, listed, "0")
    assert "文本中的年度是 2016 年，本报告是 2017 年度" in page
    page = choose(client, report, listed, "1")
    assert "文本中的年度是" not in page
    assert preview_form(page).checkboxes == []


def test_a_refused_value_blocks_only_the_table_it_is_in(
    world: World, report: AnnualReport
) -> None:
    first = seed("003").replace("\n253\n", "\n十二\n", 1)
    client = client_for(world.clerk)
    listed = preview(client, report, two(first=first))
    page = choose(client, report, listed, "0")
    assert "「主动公开规范性文件数」的值“十二”不是数字" in page
    assert preview_form(page).buttons == []
    assert confirm(client, report, page, into_this_report="1").status_code == 400
    assert_nothing_stored(report)
    page = choose(client, report, listed, "1")
    assert "不是数字" not in page
    assert confirm(client, report, page).status_code == 302
    assert report_values(fresh(report)) == printed(OWN_002)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("abc", "所选的统计表无效"),
        ("-1", "所选的统计表无效"),
        ("1.0", "所选的统计表无效"),
        ("１", "所选的统计表无效"),
        (" 1", "所选的统计表无效"),
        ("9" * 50, "所选的统计表无效"),
        ("2", "文中没有所选的第 3 张统计表"),
        ("999", "文中没有所选的第 1000 张统计表"),
    ],
)
@pytest.mark.parametrize("confirming", [False, True])
def test_a_malformed_choice_is_refused_in_chinese(
    world: World, report: AnnualReport, table: str, message: str, confirming: bool
) -> None:
    fields = {"kind": "text", "text": two(), "table": table, "version": "1"}
    if confirming:
        fields |= {"_confirm": "确认", "previewed_table": table}
    response = client_for(world.clerk).post(url(report), fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_stored(report)


@pytest.mark.parametrize("previewed", ["", "0", "abc", "01", "1 ", "\x00", "9" * 50])
def test_a_confirm_must_name_the_table_previewed(
    world: World, report: AnnualReport, previewed: str
) -> None:
    fields = {"kind": "text", "text": two(), "table": "1", "version": "1"}
    response = client_for(world.clerk).post(
        url(report), {**fields, "previewed_table": previewed, "_confirm": "确认"}
    )
    assert response.status_code == 400
    assert "所选的统计表与预览的不同" in response.content.decode()
    assert_nothing_stored(report)


def test_a_stale_confirm_keeps_the_choice(world: World, report: AnnualReport) -> None:
    client = client_for(world.clerk)
    page = choose(client, report, preview(client, report, two()), "1")
    saved = report_save_values(
        report=fresh(report),
        user=world.clerk,
        expected_version=report.version,
        values={"a1_total": 7},
    ).report
    response = confirm(client, report, page)
    assert response.status_code == 409
    shown = response.content.decode()
    assert "请重新预览" in shown
    form = preview_form(shown)
    assert (form.fields["table"], form.fields["previewed_table"]) == ("1", "1")
    assert form.fields["version"] == str(saved.version)
    assert report_values(fresh(report)) == {"a1_total": 7}
    assert confirm(client, report, shown).status_code == 302
    assert report_values(fresh(report)) == printed(OWN_002)


def test_one_table_offers_no_choice(world: World, report: AnnualReport) -> None:
    page = preview(client_for(world.clerk), report, own_text())
    assert preview_form(page).radios == {}
    assert "预览所选统计表" not in page
    assert "previewed_table" not in page
