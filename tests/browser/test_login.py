"""A clerk logs in and sees only the agencies in their scope."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_clerk_sees_own_agency_tree_in_chinese(
    page: Page, live_server, demo_data, login, screenshot_dir
) -> None:
    login(page, live_server, "longtan_clerk", "nianbao-demo-1")

    page.goto(f"{live_server.url}/admin/agencies/agency/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#site-name")).to_contain_text("nianbao")
    expect(page.locator("#content h1")).to_contain_text("机关")
    expect(page.get_by_text("吉林市统计局龙潭分局").first).to_be_visible()
    expect(page.get_by_text("湘西土家族苗族自治州人民政府")).to_have_count(0)

    page.screenshot(path=screenshot_dir / "agency-tree.png", full_page=True)
