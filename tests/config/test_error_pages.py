"""Error pages speak Chinese (with DEBUG off, as in production and in tests)."""

from tests.conftest import World
from tests.factories import client_for, make_report


def test_not_found_is_chinese(world: World) -> None:
    response = client_for(world.clerk).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert "Not Found" not in response.content.decode()


def test_out_of_scope_report_reads_like_a_missing_one(world: World) -> None:
    report = make_report(agency=world.other_bureau)
    response = client_for(world.clerk).get(
        f"/admin/reports/annualreport/{report.pk}/change/"
    )
    assert response.status_code == 404
    assert "湖南" not in response.content.decode()


def test_forbidden_is_chinese(world: World) -> None:
    # Reviewers may not import (importing is filing).
    response = client_for(world.reviewer).get("/admin/reports/annualreport/import/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
