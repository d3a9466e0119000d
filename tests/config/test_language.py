"""The interface speaks Chinese whatever language the browser asks for: a
clerk's browser set to English must not turn Django's own admin strings into
English beside ours in Chinese."""

import pytest

from tests.conftest import World
from tests.factories import client_for


@pytest.mark.parametrize("asked", ["en-US,en;q=0.9", "fr", "zh-TW", ""])
def test_the_admin_is_chinese_for_any_browser_language(
    world: World, asked: str
) -> None:
    client = client_for(world.clerk)
    page = client.get(
        "/admin/reports/annualreport/", HTTP_ACCEPT_LANGUAGE=asked
    ).content.decode()
    assert "搜索" in page and "运行" in page  # Django's own strings, translated
    for english in ("Select ", "Search", "Log out", "Run", "Filter"):
        assert f">{english}" not in page, english
