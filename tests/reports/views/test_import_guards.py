"""The import page's guards: size limits before reading, requests that cannot
be read (400 with a message, never 500), stale confirms (409), who may import.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import report_save_values
from tests.conftest import World
from tests.factories import client_for, make_report
from tests.reports.seed_tables import seed_text as seed
from tests.reports.views.test_imports import (
    assert_nothing_stored,
    confirm,
    fresh,
    own_text,
    preview_form,
    url,
)


@pytest.fixture
def report(world: World) -> AnnualReport:
    return make_report(agency=world.district, year=2017)


# Limits and requests that cannot be read ---------------------------------------


def test_an_oversize_text_file_is_refused_in_chinese(
    world: World, report: AnnualReport
) -> None:
    data = ("2017年政府信息公开工作年度报告\n" + "政务公开。\n" * 350_000).encode()
    assert 5 * 1024 * 1024 < len(data) < 6 * 1024 * 1024  # under 5 M characters
    upload = SimpleUploadedFile("年报.txt", data, "text/plain")
    response = client_for(world.clerk).post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 400
    assert "文本文件过大（5.3 MB）" in response.content.decode()
    assert_nothing_stored(report)


def test_a_confirm_that_names_no_source_is_refused_with_a_message(
    world: World, report: AnnualReport
) -> None:
    response = client_for(world.clerk).post(
        url(report), {"text": "x", "version": "1", "_confirm": "1"}
    )
    assert response.status_code == 400
    assert "请粘贴报告全文，或选择一个电子表格文件" in response.content.decode()
    assert_nothing_stored(report)


@pytest.mark.parametrize("version", ["abc", "", None], ids=["abc", "empty", "none"])
def test_a_confirm_with_a_bad_version_is_refused_not_crashed(
    world: World, report: AnnualReport, version: str | None
) -> None:
    client = client_for(world.clerk)
    form = preview_form(
        client.post(url(report), {"kind": "text", "text": own_text()}).content.decode()
    ).fields
    form.pop("version")
    if version is not None:
        form["version"] = version
    response = client.post(url(report), {**form, "_confirm": "确认"})
    assert response.status_code == 400
    assert "预览已失效，请重新预览" in response.content.decode()
    assert_nothing_stored(report)


# Conflicts and permissions ----------------------------------------------------


def test_a_stale_confirm_is_refused_and_overwrites_nothing(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    preview = client.post(url(report), {"kind": "text", "text": seed("003")})
    page = preview.content.decode()
    # Someone saves in between.
    saved = report_save_values(
        report=fresh(report),
        user=world.clerk,
        expected_version=report.version,
        values={"a1_total": 7, "a4_reviews": 3},
    ).report
    response = confirm(client, report, page, tick=True)
    assert response.status_code == 409
    page = response.content.decode()
    assert "没有保存" in page and "请重新预览" in page
    assert "已把本报告保存到第 2 版（预览时是第 1 版）" in page
    # The page is a fresh preview: against what is stored now.
    assert preview_form(page).fields["version"] == str(saved.version)
    stored = fresh(report)
    assert stored.version == saved.version
    assert report_values(stored) == {"a1_total": 7, "a4_reviews": 3}
    assert stored.source_text == ""


def test_outsider_gets_404(world: World, report: AnnualReport) -> None:
    client = client_for(world.outsider)
    assert client.get(url(report)).status_code == 404
    response = client.post(url(report), {"kind": "text", "text": seed("003")})
    assert response.status_code == 404
    assert report_values(fresh(report)) == {}


def test_reviewer_may_see_the_report_but_not_import(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.reviewer)
    change = f"/admin/reports/annualreport/{report.pk}/change/"
    assert client.get(change).status_code == 200
    assert client.get(url(report)).status_code == 403
    response = client.post(
        url(report), {"kind": "text", "text": seed("003"), "_confirm": "1"}
    )
    assert response.status_code == 403
    assert report_values(fresh(report)) == {}


def test_an_approved_report_cannot_be_imported_into(
    world: World, report: AnnualReport
) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.APPROVED
    )
    client = client_for(world.clerk)
    response = client.get(url(report))
    assert response.status_code == 409
    assert "状态为“已通过”，不能导入" in response.content.decode()
    response = client.post(
        url(report), {"kind": "text", "text": seed("003"), "_confirm": "1"}
    )
    assert response.status_code == 409
    assert "没有导入任何内容" in response.content.decode()
    assert report_values(fresh(report)) == {}


def test_the_clerk_sees_the_empty_form(world: World, report: AnnualReport) -> None:
    response = client_for(world.clerk).get(url(report))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="text"' in page and 'name="sheet_file"' in page
    assert "不会清空已有的单元格" in page
