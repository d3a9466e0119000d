"""The completeness board's XLSX: Chinese headers, every agency, only the scope."""

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from agencies.models import Membership
from reports.models import AnnualReport
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_report, make_user

URL = "/admin/reports/annualreport/board/export/"
Status = AnnualReport.Status


def export(user: AbstractUser, **params: object) -> openpyxl.Workbook:
    response = client_for(user).get(URL, {"year": "2017", **params})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def values(sheet: object) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


@pytest.fixture
def filed(world: World) -> AnnualReport:
    report = make_report(agency=world.district)
    submitted = timezone.make_aware(dt.datetime(2018, 1, 5, 10, 30))
    AnnualReport.objects.filter(pk=report.pk).update(
        status=Status.SUBMITTED, submitted_at=submitted
    )
    make_report(agency=world.other_bureau)
    return report


def test_summary_and_details_of_a_reviewers_board(world: World, filed: object) -> None:
    book = export(world.reviewer)
    assert book.sheetnames == ["汇总", "明细"]
    summary = values(book["汇总"])
    assert summary[0][0].startswith("吉林市统计局 2017年度报告完成情况")
    assert summary[1] == [
        "机关", "机关代码", "本机关状态", "本机关逾期", "机关数",
        "未开始", "草稿", "已提交", "已退回", "已通过", "逾期", "通过率",
    ]  # fmt: skip
    assert summary[2][:4] == ["吉林市统计局（本级）", "t-jl-tjj", "未开始", "是"]
    assert summary[3] == [
        "吉林市统计局龙潭分局", "t-jl-lt", "已提交", "否", 1, 0, 0, 1, 0, 0, 0, 0,
    ]  # fmt: skip
    assert summary[4][0] == "合计"
    assert summary[4][4:11] == [2, 1, 0, 1, 0, 0, 1]
    details = values(book["明细"])
    assert details[0] == [
        "机关", "机关代码", "类别", "行政层级",
        "状态", "提交时间", "截止日期", "是否逾期",
    ]  # fmt: skip
    assert details[1:] == [
        ["吉林市统计局", "t-jl-tjj", "政府部门", "市", "未开始", None,
         dt.datetime(2018, 3, 31), "是"],
        ["吉林市统计局龙潭分局", "t-jl-lt", "派出或垂直管理机构", "县", "已提交",
         dt.datetime(2018, 1, 5, 10, 30), dt.datetime(2018, 3, 31), "否"],
    ]  # fmt: skip


def test_each_persona_exports_only_its_scope(world: World, filed: object) -> None:
    sibling = make_member(
        agency=make_agency(parent=world.province, name="吉林省财政厅"),
        role=Membership.Role.REVIEWER,
        username="sibling",
    )
    expected = {
        "clerk": (world.clerk, ["吉林市统计局龙潭分局"]),
        "reviewer": (world.reviewer, ["吉林市统计局", "吉林市统计局龙潭分局"]),
        "outsider": (world.outsider, ["湖南省统计局"]),
        "sibling": (sibling, ["吉林省财政厅"]),
        "superuser": (
            make_user(superuser=True),
            [
                "吉林省人民政府",
                "吉林市统计局",
                "吉林市统计局龙潭分局",
                "吉林省财政厅",
                "湖南省人民政府",
                "湖南省统计局",
            ],
        ),  # fmt: skip
    }
    for name, (user, agencies) in expected.items():
        details = values(export(user)["明细"])
        assert [row[0] for row in details[1:]] == agencies, name
    for agency in (world.province, world.other_bureau):
        response = client_for(world.reviewer).get(URL, {"agency": agency.pk})
        assert response.status_code == 404
        assert b"PK" not in response.content[:2]


def test_a_subtree_export_and_names_that_look_like_formulas(world: World) -> None:
    make_agency(parent=world.district, name='=HYPERLINK("http://x")', code="t-eq")
    book = export(make_user(superuser=True), agency=world.city_bureau.pk)
    details = values(book["明细"])
    assert [row[0] for row in details[1:]] == [
        "吉林市统计局",
        "吉林市统计局龙潭分局",
        '=HYPERLINK("http://x")',
    ]
    cell = book["明细"]["A4"]
    assert cell.data_type == "s"  # text, not a formula
    assert book["明细"]["A3"].alignment.indent == 1  # the tree, indented
