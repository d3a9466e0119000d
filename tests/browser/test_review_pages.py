"""A reviewer's queue and completeness board, as the browser shows them."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.models import Agency
from reports.models import AnnualReport
from tests.factories import make_report

pytestmark = pytest.mark.browser

YEAR = 2022
Status = AnnualReport.Status
# 湖南: the demo reviewer of 湖南省人民政府 reviews everything below it.
STATES = {
    "hn-tjj": (Status.SUBMITTED, dt.date(2023, 1, 12)),
    "hn-xx": (Status.SUBMITTED, dt.date(2023, 3, 20)),
    "hn-xx-zwgk": (Status.SUBMITTED, dt.date(2023, 2, 9)),  # after 1-31: late
    "hn-xx-js": (Status.APPROVED, dt.date(2023, 1, 5)),
    "hn-xx-fh": (Status.RETURNED, dt.date(2023, 1, 20)),
}


@pytest.fixture
def hunan(demo_data: None) -> None:
    for code, (status, day) in STATES.items():
        agency = Agency.objects.get(code=code)
        report = make_report(agency=agency, year=YEAR)
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 40)))
        AnnualReport.objects.filter(pk=report.pk).update(
            status=status,
            submitted_at=moment,
            # as submission leaves them: nothing missing, no error
            missing_count=0,
            error_count=0,
            warning_count=2 if code == "hn-xx" else 0,
        )


def test_queue_and_board(
    page: Page, live_server, hunan: None, login, screenshot_dir
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "hunan_reviewer", "nianbao-demo-4")

    page.goto(f"{live_server.url}/admin/reports/annualreport/queue/")
    rows = page.locator("#queue tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("湖南省统计局")  # submitted first
    expect(rows.nth(2)).to_contain_text("湘西土家族苗族自治州人民政府")
    expect(page.get_by_text("吉林市统计局龙潭分局")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "queue.png")

    page.select_option("#id_warnings", "yes")
    page.click("#queue-filters input[type=submit]")
    expect(rows).to_have_count(1)
    rows.nth(0).get_by_role("link", name="审核").click()
    expect(page).to_have_url(
        f"{live_server.url}/admin/reports/annualreport/"
        f"{AnnualReport.objects.get(agency__code='hn-xx', year=YEAR).pk}/review/"
    )

    page.goto(f"{live_server.url}/admin/reports/annualreport/board/?year={YEAR}")
    expect(page.locator("#content h1")).to_contain_text("湖南省人民政府")
    expect(page.locator("#board")).to_contain_text("湖南省统计局")
    page.get_by_role("link", name="湘西土家族苗族自治州人民政府 ›").click()
    board = page.locator("#board")
    expect(board).to_contain_text("吉首市人民政府")
    expect(board).to_contain_text("已退回")
    expect(board).to_contain_text("逾期")
    expect(page.locator(".nb-bar").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "board.png")
