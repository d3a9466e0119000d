"""A superior's roll-up of 湘西州, as the browser shows it (and the README)."""

import pytest
from playwright.sync_api import Page, expect

from agencies.models import Agency
from reports.models import AnnualReport
from tests.factories import make_report

pytestmark = pytest.mark.browser

YEAR = 2022
# 州本级 and three 县市, approved, each with its 本年制发 of 规章.
FIGURES = {"hn-xx": 7, "hn-xx-js": 12, "hn-xx-fh": 5, "hn-xx-ys": 3}


@pytest.fixture
def approved(demo_data: None) -> dict[str, int]:
    for code, n in FIGURES.items():
        agency = Agency.objects.get(code=code)
        report = make_report(
            agency=agency,
            year=YEAR,
            values={
                "b2_rule_issued": str(n),
                "b3_new__total": str(n * 4),
                "b4_review_total": str(n % 3),
            },
        )
        AnnualReport.objects.filter(pk=report.pk).update(
            status=AnnualReport.Status.APPROVED
        )
    return FIGURES


def test_the_rollup_page_sums_the_subtree(
    page: Page, live_server, approved: dict, login, screenshot_dir
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "hunan_reviewer", "nianbao-demo-4")
    xx = Agency.objects.get(code="hn-xx")
    page.goto(
        f"{live_server.url}/admin/reports/annualreport/rollup/"
        f"?agency={xx.pk}&year={YEAR}&statuses=approved"
    )
    expect(page.get_by_text("合计").first).to_be_visible()
    expect(page.locator("body")).to_contain_text(str(sum(approved.values())))
    expect(page.locator("body")).to_contain_text(str(4 * sum(approved.values())))
    page.screenshot(
        path=screenshot_dir / "rollup.png",
        clip={"x": 0, "y": 0, "width": 1366, "height": 1100},
        full_page=True,
    )
