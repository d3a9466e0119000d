"""A report through review in Chromium at 1366×768: the clerk submits, the
reviewer returns it with a comment pinned to a cell, the clerk fixes and
resubmits, the reviewer approves, and the clerk can no longer change it.

The reports are built complete through the services (typing a whole report is
test_report_form.py's business): 龙潭分局's 2016 report, and its 2017 report
whose 主动公开 total is 40 against 3 the year before and whose overview is
last year's with the year changed.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from agencies.models import Agency
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import report_create, report_save_values, system_actor
from reports.tables import SIGNATORIES

pytestmark = pytest.mark.browser

LONGTAN = "jl-jlc-tjj-lt"
CLERK = ("longtan_clerk", "nianbao-demo-1")
REVIEWER = ("jilin_reviewer", "nianbao-demo-2")
SCREEN = {"width": 1366, "height": 768}
COMMENT = "主动公开信息数由上年的 3 条增至 40 条，请核实是否填错。"
OVERVIEW = (
    "{year}年，龙潭分局强化领导，增强政务公开的规范性；精心组织，"
    "稳步推进政务公开工作，在区政府信息公开网信息栏公开发布信息。"
)


def saved(report: AnnualReport, user: object, **values: str) -> AnnualReport:
    table_format = report.table_format
    cells = dict.fromkeys(table_format.cells, "0")
    cells.update(a8_offices="1", a8_staff="5", a8_staff_fulltime="1")
    cells.update(a8_staff_parttime="4", a9_meetings="1", a9_trainings="2")
    cells.update(a9_trainees="14", **values)
    return report_save_values(
        report=report,
        user=user,
        expected_version=report.version,
        values=cells,
        sections={s.key: "无。" for s in table_format.sections}
        | {"overview": OVERVIEW.format(year=report.year)},
        signatories={k: "2018-03-01" if k == "filled_on" else "宋玉玲"
                     for k, _label in SIGNATORIES},
        table_year=report.year - 1,  # printed "(2016年度)": one warning
    ).report  # fmt: skip


def build_reports() -> AnnualReport:
    agency = Agency.objects.get(code=LONGTAN)
    clerk = get_user_model().objects.get(username=CLERK[0])
    AnnualReport.objects.filter(agency=agency, year__in=(2016, 2017)).delete()
    last = report_create(agency=agency, year=2016, user=system_actor())
    saved(last, system_actor(), a1_total="3", a1_website="3")
    report = report_create(agency=agency, year=2017, user=clerk)
    return saved(report, clerk, a1_total="40", a1_website="40")


def sign_in_as(page: Page, live_server: object, login: object, user: tuple) -> None:
    page.context.clear_cookies()
    login(page, live_server, *user)


def press(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_return_fix_resubmit_approve(
    page: Page, live_server, demo_data, login, screenshot_dir
) -> None:
    report = build_reports()
    change = f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/"
    page.set_viewport_size(SCREEN)

    # The clerk explains the one warning and submits.
    sign_in_as(page, live_server, login, CLERK)
    page.goto(change)
    expect(page.locator("#nb-status")).to_have_text("草稿")
    expect(page.locator(".nb-findings-help")).to_be_visible()
    page.locator(".nb-finding[data-rule='a_table_year'] .nb-explain input").fill(
        "原表年度标注有误，所填为2017年度数据。"
    )
    press(page, "input[name='_submit']")
    expect(page.locator(".messagelist")).to_contain_text("报告已提交审核")
    expect(page.locator("#nb-status")).to_have_text("已提交")
    expect(page.locator("#nb-withdraw button")).to_have_text("撤回")
    expect(page.locator(".nb-findings-help")).to_have_count(0)

    # The reviewer opens the same address and gets the review page.
    sign_in_as(page, live_server, login, REVIEWER)
    page.goto(change)
    expect(page.locator("#nb-review-form")).to_be_visible()
    expect(page.locator("input.nb-cell, textarea.nb-section")).to_have_count(0)
    total = page.locator("#nb-f-a1_total")
    expect(total).to_contain_text("40")
    expect(total).to_contain_text("上年 3")
    expect(total.locator(".nb-jump10")).to_have_text("×13↑")
    expect(page.locator("#nb-findings")).to_contain_text(
        "填报人说明：原表年度标注有误，所填为2017年度数据。"
    )
    expect(page.locator("#nb-findings")).to_contain_text("正文「概述」与上年报告")
    expect(page.locator(".nb-review-buttons button")).to_have_text(["通过", "退回修改"])

    # A comment is pinned to the cell by a click; 退回修改 needs the comment.
    total.click()
    expect(total).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#nb-pinned-list li")).to_have_text(["主动公开政府信息数×"])
    expect(page.locator("#nb-cells")).to_have_value("a1_total")
    page.locator("button[value='return']").click()
    expect(page.locator("#nb-comment-error")).to_be_visible()
    expect(page.locator("#nb-status")).to_have_text("已提交")
    page.locator("#nb-comment").fill(COMMENT)
    expect(page.locator("#nb-comment-error")).to_be_hidden()
    total.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "review-page.png")
    press(page, "button[value='return']")
    expect(page.locator(".messagelist")).to_contain_text("已退回")
    expect(page.locator("#nb-status")).to_have_text("已退回")
    expect(page.locator("#nb-thread")).to_contain_text(COMMENT)
    expect(page.locator("#nb-thread .nb-event-pins")).to_contain_text(
        "主动公开政府信息数"
    )

    # The clerk reads the comment at the top, the cell marked, and fixes it.
    sign_in_as(page, live_server, login, CLERK)
    page.goto(change)
    banner = page.locator("#nb-returned")
    expect(banner).to_contain_text(COMMENT)
    expect(banner).to_contain_text("jilin_reviewer 于")
    expect(banner).to_contain_text("退回修改")
    pinned = page.locator(".nb-cellwrap[data-code='a1_total']")
    expect(pinned).to_have_class("nb-cellwrap nb-pinned")
    expect(page.locator(".nb-cellwrap.nb-pinned")).to_have_count(1)
    page.screenshot(path=screenshot_dir / "review-returned.png")
    banner.get_by_role("link", name="主动公开政府信息数").click()
    expect(page.locator("#id_a1_total")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.locator("#id_a1_website").fill("4")
    expect(page.locator(".nb-explain input")).to_have_value(
        "原表年度标注有误，所填为2017年度数据。"
    )
    press(page, "input[name='_submit']")
    expect(page.locator(".messagelist")).to_contain_text("报告已提交审核")
    expect(page.locator("#nb-status")).to_have_text("已提交")
    expect(page.locator("#nb-returned")).to_have_count(0)

    # The reviewer sees the fix and approves.
    sign_in_as(page, live_server, login, REVIEWER)
    page.goto(change)
    expect(total).to_have_class("nb-rv nb-pin nb-rv-fixed")
    expect(total).not_to_contain_text("×13↑")
    press(page, "button[value='approve']")
    expect(page.locator(".messagelist")).to_contain_text("审核通过")
    expect(page.locator("#nb-status")).to_have_text("已通过")
    expect(page.locator(".nb-review-buttons button")).to_have_text(["重新打开"])

    # The clerk can no longer change or import anything.
    sign_in_as(page, live_server, login, CLERK)
    page.goto(change)
    expect(page.locator("#nb-status")).to_have_text("已通过")
    expect(page.locator("#nb-locked")).to_contain_text("已通过审核并锁定")
    for selector in (
        "input[name='_save']",
        "input[name='_submit']",
        "#nb-withdraw",
        "#nb-fill-zero",
        "a[href$='/import-source/']",
        ".nb-fill-table",
    ):
        expect(page.locator(selector)).to_have_count(0)
    expect(page.locator("#id_a1_total")).to_be_disabled()
    page.screenshot(path=screenshot_dir / "review-approved.png")
    token = page.locator("#nb-form input[name='csrfmiddlewaretoken']").input_value()
    refused = page.request.post(
        change,
        form={
            "csrfmiddlewaretoken": token,
            "version": str(report.version + 4),
            "a1_total": "99",
            "_save": "保存草稿",
        },
    )
    assert refused.status == 409
    assert "已通过审核并锁定" in refused.text()
    imported = page.request.get(change.replace("/change/", "/import-source/"))
    assert imported.status == 409
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED
    assert report_values(report)["a1_total"] == Decimal(4)
    assert [e.to_status for e in report.events.order_by("at", "pk")] == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
