"""A clerk fills the report form in Chromium: typing, live totals, saving,
the refusals of 提交审核 and finally a submitted report.

The values are those of seed 002 (吉林市统计局龙潭分局, the 2017 report whose
table is labelled "(2016年度)"), typed into format A; format B's grid is
checked for its row sums, column pasting and the balance of a column.
"""

import re

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from agencies.models import Agency
from reports.models import AnnualReport
from reports.services import report_create, system_actor
from tests.reports import seed_tables

pytestmark = pytest.mark.browser

LONGTAN = "jl-jlc-tjj-lt"
CLERK = ("longtan_clerk", "nianbao-demo-1")
BROKEN = re.compile(r"\bnb-broken\b")

# Seed 002's statistics table: every cell it fills, in the form's order.
SEED_002 = seed_tables.typed(seed_tables.SEED_002)

# Totals the seed leaves blank: nothing happened, so the clerk writes 0 and
# lets the page fill their blank parts.
ZERO_TOTALS = ("a3_received", "a3_closed", "a3_answered", "a4_reviews", "a5_suits")

SECTIONS_002 = {
    "overview": "强化领导，增强政务公开的规范性；精心组织，稳步推进政务公开工作。",
    "active": "2017年，全局公开信息总数为5条，在区政府信息公开网信息栏公开发布。",
    "response": "无需要回应解读的情况。",
    "application": "无。",
    "review": "全年未发生与政府信息公开相关的行政复议和诉讼事项。",
    "institution": "专职工作人员1人，兼职人员4人。",
    "problems": "公开的内容未能及时更新，公开内容不够规范，制度建设仍有待加强。",
}

SIGNATORIES_002 = {
    "signed_head": "宋玉玲",
    "signed_reviewer": "李永吉",
    "signed_preparer": "刘沛雨",
    "contact_phone": "63041864",
    "filled_on": "2018-03-01",
}


def cell(page: Page, code: str) -> Locator:
    return page.locator(f"#id_{code}")


def wrap(page: Page, code: str) -> Locator:
    return page.locator(f".nb-cellwrap[data-code='{code}']")


def count(page: Page, severity: str) -> Locator:
    return page.locator(f"[data-count='{severity}']")


def retype(page: Page, code: str, text: str) -> None:
    """Click into a cell, select what is there and type over it."""
    cell(page, code).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press_button(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.locator(f"input[type=submit][name='{name}']").click()


def create_report(year: int) -> AnnualReport:
    """An empty report: the clerk types it (load_demo imported seed 002 into
    the 2017 report, which these tests start over)."""
    agency = Agency.objects.get(code=LONGTAN)
    AnnualReport.objects.filter(agency=agency, year=year).delete()
    return report_create(agency=agency, year=year, user=system_actor())


def test_clerk_fills_seed_002_and_submits(
    page: Page, live_server, demo_data, login, screenshot_dir
) -> None:
    create_report(2017)
    page.set_viewport_size({"width": 1400, "height": 1000})
    login(page, live_server, *CLERK)
    page.goto(f"{live_server.url}/admin/reports/annualreport/")
    row = page.locator("#result_list tbody tr", has_text="吉林市统计局龙潭分局")
    expect(row).to_contain_text("草稿")
    row.get_by_role("link", name="2017").click()
    expect(page.locator(".nb-head h2")).to_contain_text("2017年度")
    expect(page.locator("#nb-status")).to_have_text("草稿")
    # 58 cells, 4 required sections, 5 signatories.
    expect(count(page, "missing")).to_have_text("67")
    # A total shows the sum of its parts; 申请答复数 = 申请办结数 is a
    # comparison of two cells, not a sum.
    expect(page.locator(".nb-sum[data-sum-for='a3_answered']")).to_have_text(
        "∑ 0 （8 项空白）"
    )

    # 一、主动公开情况 with Tab: one input per row, in the table's order.
    cell(page, "a1_total").click()
    page.keyboard.type("5")
    for _ in range(4):  # a1_normative, a1_normative_issued, a1_gazette, a1_website
        page.keyboard.press("Tab")
    expect(cell(page, "a1_website")).to_be_focused()
    page.keyboard.type("5")

    # 八 and 九 with Enter, which goes down the column and skips header rows.
    cell(page, "a8_offices").click()
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    expect(cell(page, "a8_reading_points")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    page.keyboard.type("1")
    staff_sum = page.locator(".nb-sum[data-sum-for='a8_staff']")
    expect(staff_sum).to_have_text("∑ 1 （1 项空白）")
    page.keyboard.press("Enter")
    expect(cell(page, "a8_staff_parttime")).to_be_focused()
    page.keyboard.type("4")
    expect(staff_sum).to_have_text("∑ 5")
    page.keyboard.press("Enter")  # a8_budget stays blank, as in the seed
    page.keyboard.press("Enter")  # over the header 九、…
    expect(cell(page, "a9_meetings")).to_be_focused()
    for text in ("1", "2", "14"):
        page.keyboard.type(text)
        page.keyboard.press("Enter")
    expect(count(page, "missing")).to_have_text(str(67 - len(SEED_002)))
    expect(count(page, "error")).to_have_text("0")

    # A wrong part: the total turns red with the broken equation beside it.
    retype(page, "a8_staff_parttime", "3")
    expect(staff_sum).to_have_text("∑ 4")
    expect(wrap(page, "a8_staff")).to_have_class(BROKEN)
    message = wrap(page, "a8_staff").locator(".nb-rule-msg")
    expect(message).to_be_visible()
    expect(message).to_contain_text("≠")
    expect(message).to_contain_text("兼职人员数 3")
    expect(count(page, "error")).to_have_text("1")
    cell(page, "a8_staff").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 300)")
    page.screenshot(path=screenshot_dir / "report-form.png")

    retype(page, "a8_staff_parttime", "4")
    expect(wrap(page, "a8_staff")).not_to_have_class(BROKEN)
    expect(message).to_be_hidden()
    expect(count(page, "error")).to_have_text("0")

    cell(page, "table_year").fill("2016")
    press_button(page, "_save")
    expect(page.locator(".messagelist")).to_contain_text("草稿已保存")

    page.reload()
    for code, text in SEED_002.items():
        expect(cell(page, code)).to_have_value(text)
    expect(cell(page, "a8_budget")).to_have_value("")
    expect(cell(page, "table_year")).to_have_value("2016")
    expect(page.locator(".nb-finding[data-rule='a_table_year']")).to_be_visible()
    # The year printed above the table is checked by the server only; its
    # warning stays counted while the clerk types.
    expect(count(page, "warning")).to_have_text("1")
    expect(count(page, "missing")).to_have_text(str(67 - len(SEED_002)))

    # Submitting with blanks is refused and keeps the draft.
    press_button(page, "_submit")
    expect(page.locator(".messagelist")).to_contain_text("缺项")
    expect(page.locator(".messagelist")).to_contain_text("不能提交审核")
    expect(page.locator("#nb-status")).to_have_text("草稿")

    # Nothing was received or reviewed: 0 in the totals, then the page fills
    # their blank parts after asking.
    for code in ZERO_TOTALS:
        retype(page, code, "0")
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.locator("#nb-fill-zero").click()
    expect(cell(page, "a3_recv_in_person")).to_have_value("0")
    assert asked and "填为 0" in asked[0], asked
    # A part that is itself a total (不同意公开答复数) has its parts filled too.
    for code in ("a3_closed_extended", "a3_ans_refused", "a3_ref_other_law"):
        expect(cell(page, code)).to_have_value("0")
    for code in ("a4_rev_upheld", "a5_suit_other"):
        expect(cell(page, code)).to_have_value("0")
    expect(cell(page, "a8_budget")).to_have_value("")

    blanks = page.locator("input.nb-cell").evaluate_all(
        "inputs => inputs.filter(i => !i.value.trim()).map(i => i.dataset.code)"
    )
    assert "a2_press" in blanks and "a8_budget" in blanks, blanks
    for code in blanks:
        retype(page, code, "0")
    expect(count(page, "missing")).to_have_text("9")
    expect(count(page, "error")).to_have_text("0")

    for key, text in SECTIONS_002.items():
        page.locator(f"#id_section__{key}").fill(text)
    for key, text in SIGNATORIES_002.items():
        page.locator(f"#id_{key}").fill(text)
    expect(count(page, "missing")).to_have_text("0")
    press_button(page, "_save")
    expect(page.locator(".messagelist")).to_contain_text("草稿已保存")
    # The saved date comes back in the form <input type=date> accepts.
    for key, text in SIGNATORIES_002.items():
        expect(page.locator(f"#id_{key}")).to_have_value(text)
    expect(count(page, "missing")).to_have_text("0")
    expect(count(page, "error")).to_have_text("0")

    # The one warning left needs a sentence before the report can go.
    warnings = page.locator(".nb-finding.nb-warning")
    expect(warnings).to_have_count(1)
    table_year = page.locator(".nb-finding[data-rule='a_table_year']")
    expect(table_year).to_contain_text("2016年度")
    press_button(page, "_submit")
    expect(page.locator(".messagelist")).to_contain_text("请说明：统计表标注的年度")
    expect(page.locator("#nb-status")).to_have_text("草稿")

    table_year.locator(".nb-explain input").fill(
        "原表年度标注有误，所填为2017年度数据。"
    )
    press_button(page, "_submit")
    expect(page.locator(".messagelist")).to_contain_text("报告已提交审核")
    expect(page.locator("#nb-status")).to_have_text("已提交")
    expect(cell(page, "a8_staff")).to_be_disabled()
    report = AnnualReport.objects.get(agency__code=LONGTAN, year=2017)
    assert report.status == AnnualReport.Status.SUBMITTED
    assert report.table_year == 2016
    assert list(report.explanations.values()) == [
        "原表年度标注有误，所填为2017年度数据。"
    ]


PASTE = """([id, text]) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  document.getElementById(id).dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}),
  );
}"""


def test_format_b_grid_live_totals(page: Page, live_server, demo_data, login) -> None:
    report = create_report(2022)
    assert report.format == "B"
    login(page, live_server, *CLERK)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    expect(page.locator(".nb-head h2")).to_contain_text("2022年度")

    # A row of table 三: the sum of the applicants beside its 总计.
    cell(page, "b3_new__np").click()
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    expect(cell(page, "b3_new__biz")).to_be_focused()
    page.keyboard.type("2")
    row_sum = page.locator(".nb-sum[data-sum-for='b3_new__total']")
    expect(row_sum).to_have_text("∑ 5 （4 项空白）")
    cell(page, "b3_new__total").fill("5")
    expect(wrap(page, "b3_new__total")).not_to_have_class(BROKEN)

    # Enter goes down the column.
    cell(page, "b3_new__np").click()
    page.keyboard.press("Enter")
    expect(cell(page, "b3_carried_in__np")).to_be_focused()
    page.keyboard.type("0")
    page.keyboard.press("Enter")  # over the header 三、本年度办理结果
    expect(cell(page, "b3_granted__np")).to_be_focused()
    page.keyboard.press("Shift+Enter")
    expect(cell(page, "b3_carried_in__np")).to_be_focused()

    # A column pasted from a spreadsheet fills down, skipping header rows.
    cell(page, "b3_granted__np").focus()
    page.evaluate(PASTE, ["id_b3_granted__np", "2\n1\n0\n"])
    expect(cell(page, "b3_granted__np")).to_have_value("2")
    expect(cell(page, "b3_partial__np")).to_have_value("1")
    expect(cell(page, "b3_deny_secret__np")).to_have_value("0")
    expect(cell(page, "b3_deny_law__np")).to_have_value("")
    expect(page.locator(".nb-sum[data-sum-for='b3_total__np']")).to_contain_text("∑ 3 ")
    # A block: two columns of two rows.
    cell(page, "b3_unable_not_held__np").focus()
    page.evaluate(PASTE, ["id_b3_unable_not_held__np", "1\t2\r\n3\t4\r\n"])
    expect(cell(page, "b3_unable_not_held__biz")).to_have_value("2")
    expect(cell(page, "b3_unable_must_create__np")).to_have_value("3")
    expect(cell(page, "b3_unable_must_create__biz")).to_have_value("4")

    # The balance of a column: new + carried in = total + carried out.
    cell(page, "b3_total__np").fill("2")
    cell(page, "b3_carried_out__np").fill("0")
    balance = wrap(page, "b3_new__np")
    expect(balance).to_have_class(BROKEN)
    expect(balance.locator(".nb-rule-msg")).to_contain_text("≠")
    expect(balance.locator(".nb-rule-msg")).to_contain_text("= 3 ≠")
    expect(count(page, "error")).to_have_text("1")

    retype(page, "b3_carried_out__np", "1")
    expect(balance).not_to_have_class(BROKEN)
    expect(balance.locator(".nb-rule-msg")).to_be_hidden()
    expect(count(page, "error")).to_have_text("0")


def test_refused_value_stays_marked_until_retyped(
    page: Page, live_server, demo_data, login
) -> None:
    report = create_report(2017)
    login(page, live_server, *CLERK)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")

    # Not a number: the page says so at once.
    retype(page, "a6_complaints", "两件")
    expect(wrap(page, "a6_complaints")).to_have_class(BROKEN)
    expect(wrap(page, "a6_complaints").locator(".nb-rule-msg")).to_contain_text(
        "不是数字"
    )
    retype(page, "a6_complaints", "2")
    expect(count(page, "error")).to_have_text("0")

    # A fraction of a count only the server refuses; nothing is saved.
    retype(page, "a9_trainees", "1.5")
    retype(page, "a9_meetings", "1")
    press_button(page, "_save")
    expect(page.locator(".messagelist")).to_contain_text("本次没有保存任何内容")
    refused = wrap(page, "a9_trainees")
    expect(refused).to_have_class(re.compile(r"\bnb-invalid\b"))
    expect(refused.locator(".nb-cell-error")).to_be_visible()
    expect(cell(page, "a9_meetings")).to_have_value("1")  # what was typed stays
    assert not AnnualReport.objects.get(pk=report.pk).values.exists()

    retype(page, "a9_trainees", "14")
    expect(refused).not_to_have_class(re.compile(r"\bnb-invalid\b"))
    expect(refused.locator(".nb-cell-error")).to_be_hidden()
    press_button(page, "_save")
    expect(page.locator(".messagelist")).to_contain_text("草稿已保存")
    expect(cell(page, "a9_trainees")).to_have_value("14")
    expect(cell(page, "a6_complaints")).to_have_value("2")
