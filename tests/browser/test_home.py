"""The start page at a clerk's screen size (1366×768), for a clerk whose report
came back and for the reviewer it waits for."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from agencies.models import Agency
from reports.forms import NewReportForm
from reports.models import AnnualReport
from reports.services import (
    report_create,
    report_return,
    report_save_values,
    report_submit,
)
from reports.tables import SIGNATORIES
from reports.views.queue import review_url

pytestmark = pytest.mark.browser

LONGTAN = "jl-jlc-tjj-lt"
CLERK = ("longtan_clerk", "nianbao-demo-1")
REVIEWER = ("jilin_reviewer", "nianbao-demo-2")
VIEWPORT = {"width": 1366, "height": 768}


def user(username: str) -> object:
    return get_user_model().objects.get(username=username)


def submitted_report() -> AnnualReport:
    """This season's report of 龙潭分局, complete and submitted by its clerk."""
    year = NewReportForm.default_year()
    clerk = user(CLERK[0])
    report = report_create(
        agency=Agency.objects.get(code=LONGTAN), year=year, user=clerk
    )
    table_format = report.table_format
    report = report_save_values(
        report=report,
        user=clerk,
        expected_version=report.version,
        values=dict.fromkeys(table_format.cells, "0"),
        sections={s.key: "本年度无相关情况。" for s in table_format.sections},
        signatories={key: f"{year + 1}-01-20" if key == "filled_on" else "王小明"
                     for key, _label in SIGNATORIES},
    ).report  # fmt: skip
    return report_submit(report=report, user=clerk, expected_version=report.version)


def test_clerk_start_page(
    page: Page, live_server, demo_data, login, screenshot_dir: Path
) -> None:
    report = submitted_report()
    report_return(
        report=report,
        user=user(REVIEWER[0]),
        expected_version=report.version,
        comment="第二部分“主动公开政府信息情况”请补充说明数据来源。",
    )
    page.set_viewport_size(VIEWPORT)
    login(page, live_server, *CLERK)
    page.goto(f"{live_server.url}/admin/")

    expect(page.locator("#user-tools")).to_contain_text("龙潭分局填报人")
    row = page.locator(f'#nb-filing tr[data-agency="{LONGTAN}"]')
    expect(row).to_contain_text("已退回：第二部分")
    expect(row).to_contain_text("已逾期")
    notices = page.locator("#nb-notices")
    expect(notices).to_contain_text("未读通知（1）")
    expect(page.locator("#nb-queue")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "home-clerk.png")

    notices.get_by_role("button", name="标为已读").click()
    expect(page.locator("#nb-notices")).to_have_count(0)
    row.get_by_role("link").click()
    expect(page).to_have_url(
        f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/"
    )


def test_reviewer_start_page(
    page: Page, live_server, demo_data, login, screenshot_dir: Path
) -> None:
    report = submitted_report()
    page.set_viewport_size(VIEWPORT)
    login(page, live_server, *REVIEWER)
    page.goto(f"{live_server.url}/admin/")

    expect(page.locator("#user-tools")).to_contain_text("吉林市统计局审核人")
    queue = page.locator("#nb-queue")
    expect(queue).to_contain_text("共有 1 份报告等待您审核")
    expect(page.locator("#nb-completeness")).to_contain_text("已提交 1")
    expect(page.locator("#nb-notices")).to_contain_text("提交审核")
    expect(page.locator("#nb-filing")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "home-reviewer.png")

    queue.get_by_role("link", name=str(report)).click()
    expect(page).to_have_url(f"{live_server.url}{review_url(report.pk)}")
