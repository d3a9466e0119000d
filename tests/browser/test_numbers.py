"""Numbers on the report form: the page's script reads a cell as the server
does (reports/tables/numbers.py), so a misplaced comma or another script's
digits are refused while typing, left out of the live sums, and refused with
the same words on save.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from agencies.models import Agency
from reports.models import AnnualReport
from reports.services import report_create, system_actor
from reports.tables import CellValueError, get_format

pytestmark = pytest.mark.browser

LONGTAN = "jl-jlc-tjj-lt"
CLERK = ("longtan_clerk", "nianbao-demo-1")
BROKEN = re.compile(r"\bnb-broken\b")
CELLS = get_format("A").cells


def cell(page: Page, code: str) -> Locator:
    return page.locator(f"#id_{code}")


def wrap(page: Page, code: str) -> Locator:
    return page.locator(f".nb-cellwrap[data-code='{code}']")


def retype(page: Page, code: str, text: str) -> None:
    cell(page, code).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def server_refusal(code: str, text: str) -> str:
    """What the server says of ``text`` in the cell ``code``."""
    with pytest.raises(CellValueError) as refused:
        CELLS[code].clean(text)
    return refused.value.message


def sum_of(total: int) -> re.Pattern[str]:
    """A live sum of exactly ``total`` (blanks may follow)."""
    return re.compile(rf"^∑ {total}(?![0-9.])")


def test_a_misplaced_comma_is_refused_while_typing_and_not_summed(
    page: Page, live_server, demo_data, login
) -> None:
    agency = Agency.objects.get(code=LONGTAN)
    AnnualReport.objects.filter(agency=agency, year=2017).delete()
    report = report_create(agency=agency, year=2017, user=system_actor())
    login(page, live_server, *CLERK)
    page.goto(f"{live_server.url}/admin/reports/annualreport/{report.pk}/change/")
    staff_sum = page.locator(".nb-sum[data-sum-for='a8_staff']")
    fulltime = wrap(page, "a8_staff_fulltime")
    message = fulltime.locator(".nb-rule-msg")

    retype(page, "a8_staff_parttime", "4")
    retype(page, "a8_staff_fulltime", "1,5")
    expect(fulltime).to_have_class(BROKEN)
    expect(message).to_be_visible()
    expect(message).to_have_text(server_refusal("a8_staff_fulltime", "1,5"))
    expect(message).to_contain_text("逗号")
    expect(staff_sum).to_have_text(sum_of(4))  # not 19: "1,5" is not 15
    expect(page.locator("[data-count='error']")).to_have_text("1")

    # Proper grouping and full-width digits are numbers.
    retype(page, "a8_staff_fulltime", "1,000")
    expect(fulltime).not_to_have_class(BROKEN)
    expect(staff_sum).to_have_text(sum_of(1004))
    retype(page, "a8_staff_fulltime", "１，２３４")
    expect(staff_sum).to_have_text(sum_of(1238))
    expect(page.locator("[data-count='error']")).to_have_text("0")

    # Another script's digits are not.
    retype(page, "a8_staff_fulltime", "١٢")
    expect(fulltime).to_have_class(BROKEN)
    expect(message).to_have_text(server_refusal("a8_staff_fulltime", "١٢"))
    expect(staff_sum).to_have_text(sum_of(4))

    # On save the server refuses it in the same words, and stores nothing.
    retype(page, "a8_staff_fulltime", "0,35")
    with page.expect_navigation():
        page.locator("input[type=submit][name='_save']").click()
    expect(page.locator(".messagelist")).to_contain_text("本次没有保存任何内容")
    said = server_refusal("a8_staff_fulltime", "0,35")
    expect(fulltime.locator(".nb-cell-error")).to_have_text(said)
    expect(message).to_have_text(said)
    expect(staff_sum).to_have_text(sum_of(4))
    assert not AnnualReport.objects.get(pk=report.pk).values.exists()
