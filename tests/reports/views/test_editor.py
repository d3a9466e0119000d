"""Two people on one report: every save merges what it can and loses nothing.

Two clerks of 龙潭分局 open the same version of the 2017 report in their
browsers (each posts back every field of the page, as a browser does); the
first saves, then the second.
"""

import re

import pytest

from reports.forms import ReportForm
from reports.models import AnnualReport, ReportChange
from reports.selectors import report_values
from reports.tables import field_label
from tests.conftest import World
from tests.factories import client_for, make_member, make_report


def change_url(report: AnnualReport) -> str:
    return f"/admin/reports/annualreport/{report.pk}/change/"


def opened(report: AnnualReport) -> dict[str, str]:
    """Every field of the page as the browser would post it back unchanged."""
    report.refresh_from_db()
    initial = ReportForm.initial_for(report, report_values(report))
    data = {k: "" if v is None else str(v) for k, v in initial.items()}
    data["_save"] = "保存草稿"
    return data


def input_value(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, name
    value = re.search(r'value="([^"]*)"', match[0])
    return value[1] if value else ""


@pytest.fixture
def report(world: World) -> AnnualReport:
    return make_report(
        agency=world.district,
        values={"a1_total": "5", "a3_received": "2"},
        sections={"overview": "概述原文", "active": "主动公开原文"},
        signatories={"signed_head": "宋玉玲"},
    )


@pytest.fixture
def second_clerk(world: World) -> object:
    return make_member(agency=world.district, username="clerk2")


def test_different_sections_merge(
    world: World, report: AnnualReport, second_clerk: object
) -> None:
    first, second = opened(report), opened(report)
    first["section__overview"] = "甲改的概述"
    second["section__active"] = "乙改的主动公开"
    assert client_for(world.clerk).post(change_url(report), first).status_code == 302
    response = client_for(second_clerk).post(change_url(report), second, follow=True)
    page = response.content.decode()
    title = field_label(report.table_format, "section:overview")
    assert f"别人修改了「{title}」" in page and "已保留并与您的修改合并" in page
    report.refresh_from_db()
    assert report.sections["overview"] == "甲改的概述"
    assert report.sections["active"] == "乙改的主动公开"
    assert report.version == 4  # made at 2, then one version per save


def test_a_signatory_and_a_cell_merge(
    world: World, report: AnnualReport, second_clerk: object
) -> None:
    first, second = opened(report), opened(report)
    first["signed_head"] = "李永吉"
    second["a1_total"] = "6"
    assert client_for(world.clerk).post(change_url(report), first).status_code == 302
    assert client_for(second_clerk).post(change_url(report), second).status_code == 302
    report.refresh_from_db()
    assert report.signed_head == "李永吉"
    assert report_values(report)["a1_total"] == 6


def test_the_table_year_is_covered(
    world: World, report: AnnualReport, second_clerk: object
) -> None:
    first, second = opened(report), opened(report)
    first["table_year"] = "2016"
    second["table_year"] = "2017"
    assert client_for(world.clerk).post(change_url(report), first).status_code == 302
    response = client_for(second_clerk).post(change_url(report), second)
    assert response.status_code == 409
    assert "统计表标注年度" in response.content.decode()
    report.refresh_from_db()
    assert report.table_year == 2016


def test_the_conflict_page_carries_the_others_values_for_untouched_fields(
    world: World, report: AnnualReport, second_clerk: object
) -> None:
    first, second = opened(report), opened(report)
    first.update(a1_total="8", a3_received="3", section__overview="甲改的概述")
    second.update(a1_total="9", a1_website="4")
    assert client_for(world.clerk).post(change_url(report), first).status_code == 302
    response = client_for(second_clerk).post(change_url(report), second)
    assert response.status_code == 409
    page = response.content.decode()
    conflict_table = page.split('id="nb-conflicts"')[1].split("</table>")[0]
    assert "主动公开政府信息数" in conflict_table and ">a1_total<" not in conflict_table
    assert "收到申请数" not in conflict_table  # merged, not a conflict
    assert input_value(page, "a1_total") == "9"  # the clerk's own typing, to decide
    assert input_value(page, "a1_website") == "4"
    assert input_value(page, "a3_received") == "3"  # the other clerk's, untouched here
    assert "甲改的概述" in page
    # Nothing of the second clerk was stored.
    assert report_values(report)["a1_total"] == 8 and "a1_website" not in report_values(
        report
    )

    # Saving the page as shown keeps the first clerk's other values.
    resubmit = opened(report)
    resubmit.update(a1_total="9", a1_website="4")
    resubmit["version"] = input_value(page, "version")
    assert (
        client_for(second_clerk).post(change_url(report), resubmit).status_code == 302
    )
    values = report_values(report)
    assert (
        values["a1_total"] == 9
        and values["a1_website"] == 4
        and values["a3_received"] == 3
    )
    report.refresh_from_db()
    assert report.sections["overview"] == "甲改的概述"


def test_a_save_that_changes_nothing_makes_no_version(
    world: World, report: AnnualReport, second_clerk: object
) -> None:
    before = ReportChange.objects.filter(report=report).count()
    version = report.version
    first, second = opened(report), opened(report)
    page = client_for(world.clerk).post(change_url(report), first, follow=True)
    assert "没有改动，无需保存" in page.content.decode()
    assert "草稿已保存" not in page.content.decode()
    report.refresh_from_db()
    assert (
        report.version == version
        and ReportChange.objects.filter(report=report).count() == before
    )
    second["a1_total"] = "7"
    assert client_for(second_clerk).post(change_url(report), second).status_code == 302
    assert report_values(report)["a1_total"] == 7


def test_unchanged_text_is_not_recorded(world: World, report: AnnualReport) -> None:
    data = opened(report)
    version = report.version
    # A browser sends CRLF line endings; a clerk may leave trailing spaces.
    data["section__overview"] = "概述原文  \r\n"
    data["section__active"] = "\r\n主动公开原文\t"
    client_for(world.clerk).post(change_url(report), data)
    report.refresh_from_db()
    assert report.version == version
    assert not report.changes.filter(field__startswith="section:", version__gt=version)


def test_multiline_text_is_stored_with_plain_line_endings(
    world: World, report: AnnualReport
) -> None:
    data = opened(report)
    data["section__overview"] = "第一段  \r\n第二段\r\n"
    client_for(world.clerk).post(change_url(report), data)
    report.refresh_from_db()
    assert report.sections["overview"] == "第一段\n第二段"
    # The same text again, as the browser sends it back: nothing changes.
    again = opened(report)
    again["section__overview"] = "第一段\r\n第二段"
    version = report.version
    client_for(world.clerk).post(change_url(report), again)
    report.refresh_from_db()
    assert report.version == version
