"""The clerk's report list at an office screen's 1366×768, with a browser set
to English: Chinese throughout, and the 新建 shortcut level with the tools."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_the_report_list_in_an_english_browser(
    browser: Browser, live_server, demo_data: None, login: Callable[..., None]
) -> None:
    context = browser.new_context(
        locale="en-US", viewport={"width": 1366, "height": 768}
    )
    page = context.new_page()
    try:
        login(page, live_server, "longtan_clerk", "nianbao-demo-1")
        page.goto(f"{live_server.url}/admin/reports/annualreport/")
        shortcut = page.locator(".object-tools .nb-shortcut")
        assert shortcut.inner_text().startswith("新建"), shortcut.inner_text()
        board = page.locator(".object-tools a", has_text="完成情况")
        top = shortcut.bounding_box()
        beside = board.bounding_box()
        assert top is not None and beside is not None
        # Level with the admin's own tool links, and as tall.
        assert round(top["y"]) == round(beside["y"]), (top, beside)
        assert round(top["height"]) == round(beside["height"]), (top, beside)
        body = page.inner_text("body")
        assert "搜索" in body and "注销" in body
        for english in ("Search", "Log out", "Filter", "Select 年度报告"):
            assert english not in body, english
    finally:
        context.close()
