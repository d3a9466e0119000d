"""The report form's layout at the clerks' screen sizes, with the admin's side
navigation open: table 三 of format B whole and clickable, a finding's link
landing on a cell in view, the refusal of 提交审核 in view, the 万元 box
wide enough for six decimals, and 本表空白填 0 per table.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Dialog, Locator, Page, expect

from agencies.models import Agency
from reports.models import AnnualReport
from reports.services import report_create
from reports.tables.b import TABLE_THREE

pytestmark = pytest.mark.browser

LONGTAN = "jl-jlc-tjj-lt"
CLERK = ("longtan_clerk", "nianbao-demo-1")
HEIGHT = 768

# Table 三's rows that hold values, and its two right-most columns, the ones
# the findings panel used to cover.
THREE_ROWS = [row.key for row in TABLE_THREE.rows if not row.header]
RIGHT_COLUMNS = ("oth", "total")

# Whether the element's centre is in the viewport and the element itself is
# what a click there reaches (nothing pinned or floating over it).
UNCOVERED = """el => {
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const inView = r.top >= 0 && r.left >= 0
    && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  return {inView, hit: document.elementFromPoint(x, y) === el};
}"""

# Characters per line of each row label of a grid: a label wrapped to two
# characters a line cannot be read.
LABEL_LINES = """table => [...table.querySelectorAll("tbody th")].map(th => {
  const range = document.createRange();
  range.selectNodeContents(th);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return [th.textContent.trim(), tops.size];
})"""


def create_report(year: int) -> AnnualReport:
    """An empty draft of 龙潭分局, started by its clerk."""
    agency = Agency.objects.get(code=LONGTAN)
    AnnualReport.objects.filter(agency=agency, year=year).delete()
    clerk = get_user_model().objects.get(username=CLERK[0])
    return report_create(agency=agency, year=year, user=clerk)


def open_report(page: Page, live_server, report: AnnualReport, width: int) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    expect(page.locator(".nb-head h2")).to_contain_text(f"{report.year}年度")
    # The admin's side navigation is open, as it is by default.
    expect(page.locator("#nav-sidebar")).to_be_visible()
    expect(page.locator("#main")).to_have_class(re.compile(r"\bshifted\b"))


def cell(page: Page, code: str) -> Locator:
    return page.locator(f"#id_{code}")


def assert_uncovered(locator: Locator, what: str) -> None:
    state = locator.evaluate(UNCOVERED)
    assert state == {"inView": True, "hit": True}, f"{what}: {state}"


@pytest.mark.parametrize("width", [1366, 1440, 1920])
def test_table_three_whole_at_clerks_screen_sizes(
    page: Page, live_server, demo_data, login, screenshot_dir: Path, width: int
) -> None:
    report = create_report(2022)
    login(page, live_server, *CLERK)
    open_report(page, live_server, report, width)

    grid = page.locator("#nb-block-b3 table.nb-grid")
    findings = page.locator("#nb-findings")
    # The grid and the findings do not overlap.
    box, panel = grid.bounding_box(), findings.bounding_box()
    assert box and panel
    beside = panel["x"] >= box["x"] + box["width"]
    above = panel["y"] + panel["height"] <= box["y"]
    assert beside or above, (box, panel)

    # Every cell of 其他 and 总计 can be seen and reached by a click.
    for row in THREE_ROWS:
        for column in RIGHT_COLUMNS:
            code = f"b3_{row}__{column}"
            cell(page, code).scroll_into_view_if_needed()
            assert_uncovered(cell(page, code), code)
    carried_out = cell(page, "b3_carried_out__total")
    carried_out.click()
    expect(carried_out).to_be_focused()
    page.keyboard.type("4")
    expect(carried_out).to_have_value("4")
    cell(page, "b3_new__oth").click()
    page.keyboard.type("4")
    expect(page.locator(".nb-sum[data-sum-for='b3_new__total']")).to_have_text(
        "∑ 4 （5 项空白）"
    )

    # Row labels read as lines of text, not a column of two-character lines.
    for label, lines in grid.evaluate(LABEL_LINES):
        assert len(label) / lines >= 8 or lines == 1, (label, lines)

    # A finding's link brings its cell into view, clear of everything pinned.
    for code in ("b3_other_other__oth", "b3_carried_out__total", "b3_new__total"):
        link = findings.locator(f"a.nb-jump[data-target='id_{code}']")
        link.click()
        expect(cell(page, code)).to_be_focused()
        assert_uncovered(cell(page, code), f"{code} after its finding's link")

    # The badges speak Chinese.
    badges = set(findings.locator(".nb-badge").all_inner_texts())
    assert badges == {"缺项"}, badges
    if width == 1366:
        page.locator("#nb-block-b3").evaluate("el => el.scrollIntoView()")
        page.screenshot(path=screenshot_dir / "report-form-1366.png")


def test_table_three_scrolls_in_its_own_box_when_narrow(
    page: Page, live_server, demo_data, login
) -> None:
    """Narrower still (a small window): the grid scrolls sideways in its own
    box, the row labels pinned, and a finding's link still lands in view."""
    report = create_report(2022)
    login(page, live_server, *CLERK)
    open_report(page, live_server, report, 1000)
    scroller = page.locator("#nb-block-b3 .nb-scroll")
    overflow = scroller.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow > 0  # the page is narrower than the grid
    page.locator("#nb-findings a.nb-jump[data-target='id_b3_granted__total']").click()
    total = cell(page, "b3_granted__total")
    expect(total).to_be_focused()
    assert_uncovered(total, "b3_granted__total")
    # Scrolled right, the row's label is still beside it.
    label = page.locator("#nb-block-b3 tr[data-row='granted'] th")
    assert_uncovered(label, "the pinned label")
    # And back to the left, 自然人 is not hidden under the label.
    page.locator("#nb-findings a.nb-jump[data-target='id_b3_granted__np']").click()
    assert_uncovered(cell(page, "b3_granted__np"), "b3_granted__np")


def test_refusal_of_submit_is_in_view(
    page: Page, live_server, demo_data, login
) -> None:
    report = create_report(2022)
    login(page, live_server, *CLERK)
    open_report(page, live_server, report, 1366)
    cell(page, "b2_rule_issued").fill("2")
    cell(page, "b2_rule_in_force").fill("1")  # fewer in force than issued
    # 行政复议: 1 upheld, yet a total of 0.
    for column, text in (("upheld", "1"), ("corrected", "0"), ("other", "0")):
        cell(page, f"b4_review_{column}").fill(text)
    cell(page, "b4_review_pending").fill("0")
    cell(page, "b4_review_total").fill("0")
    with page.expect_navigation():
        page.locator("input[type=submit][name='_submit']").click()
    page.wait_for_load_state("load")
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("未能提交审核")
    # Without scrolling: the refusal, and the findings that say why.
    assert_uncovered(messages.locator("li").first, "the refusal")
    first = page.locator("#nb-findings .nb-finding").first
    assert first.evaluate(UNCOVERED)["inView"], "the first finding"
    badges = set(page.locator("#nb-findings .nb-badge").all_inner_texts())
    assert badges == {"缺项", "错误", "提示"}, badges


def test_amount_box_shows_six_decimals(
    page: Page, live_server, demo_data, login
) -> None:
    login(page, live_server, *CLERK)
    for year, code in ((2022, "b2_fees"), (2017, "a7_fees"), (2017, "a8_budget")):
        report = create_report(year)
        open_report(page, live_server, report, 1366)
        box = cell(page, code)
        box.fill("123456.123456")
        clipped = box.evaluate("el => el.scrollWidth - el.clientWidth")
        assert clipped <= 0, f"{code}: {clipped}px of 123456.123456 hidden"


def test_fill_blanks_of_one_table_with_zero(
    page: Page, live_server, demo_data, login
) -> None:
    report = create_report(2022)
    login(page, live_server, *CLERK)
    open_report(page, live_server, report, 1366)
    missing = page.locator("[data-count='missing']")
    before = int(missing.inner_text())
    cell(page, "b3_new__np").fill("3")
    cell(page, "b3_new__biz").fill("2")
    cell(page, "b2_rule_issued").fill("1")
    blanks = len(list(TABLE_THREE.cells())) - 2
    expect(missing).to_have_text(str(before - 3))

    asked: list[str] = []

    def answer(accept: bool) -> None:
        def handle(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", handle)

    button = page.locator("#nb-block-b3").get_by_role("button", name="本表空白填 0")
    answer(False)
    button.click()
    assert asked == [f"将把本表 {blanks} 个空白单元格填为 0，确定吗？"]
    expect(cell(page, "b3_carried_out__total")).to_have_value("")

    answer(True)
    button.click()
    assert len(asked) == 2
    expect(cell(page, "b3_carried_out__total")).to_have_value("0")
    expect(cell(page, "b3_other_other__oth")).to_have_value("0")
    expect(cell(page, "b3_new__np")).to_have_value("3")  # typed values stay
    expect(cell(page, "b3_new__biz")).to_have_value("2")
    # The live totals follow: 总计 0 is now short of 3 + 2.
    expect(page.locator(".nb-sum[data-sum-for='b3_new__total']")).to_have_text("∑ 5")
    expect(page.locator(".nb-cellwrap[data-code='b3_new__total']")).to_have_class(
        re.compile(r"\bnb-broken\b")
    )
    expect(missing).to_have_text(str(before - 3 - blanks))
    # Other tables keep their blanks.
    expect(cell(page, "b2_rule_repealed")).to_have_value("")
    expect(cell(page, "b4_review_total")).to_have_value("")

    # Nothing is stored until the clerk saves.
    assert not report.values.exists()
    page.reload()
    expect(cell(page, "b3_carried_out__total")).to_have_value("")
