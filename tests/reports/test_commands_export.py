"""The export_report command: one report to .xlsx, .docx or .html, in scope."""

import io
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.conftest import World
from tests.factories import make_agency, make_member
from tests.reports.exporters.filled import filled_report


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_report", *args, stdout=out)
    return out.getvalue()


def test_writes_each_kind_by_its_extension(world: World, tmp_path: Path) -> None:
    filled_report(agency=world.district, code="B")
    common = ["--agency", "t-jl-lt", "--year", "2022"]

    said = export(*common, "-o", str(tmp_path / "表.xlsx"))
    export(*common, "--output", str(tmp_path / "报告.DOCX"))
    export(*common, "-o", str(tmp_path / "打印.html"))

    assert "已导出" in said and "官方样式统计表" in said
    book = openpyxl.load_workbook(tmp_path / "表.xlsx")
    assert book.sheetnames == ["表二", "表三", "表四"]
    document = docx.Document(str(tmp_path / "报告.DOCX"))
    assert document.paragraphs[0].text == (
        "吉林市统计局龙潭分局2022年政府信息公开工作年度报告"
    )
    html = (tmp_path / "打印.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "印章" in html


@pytest.mark.parametrize("username", ["clerk", "reviewer"])
def test_as_a_user_in_scope(world: World, tmp_path: Path, username: str) -> None:
    filled_report(agency=world.district, code="A")
    target = tmp_path / "a.xlsx"

    export(
        "--agency",
        "t-jl-lt",
        "--year",
        "2017",
        "--as-user",
        username,
        "-o",
        str(target),
    )

    assert openpyxl.load_workbook(target).sheetnames == ["统计表"]


@pytest.mark.parametrize("username", ["outsider", "sibling"])
def test_as_a_user_out_of_scope_finds_nothing(
    world: World, tmp_path: Path, username: str
) -> None:
    make_member(
        agency=make_agency(parent=world.city_bureau, code="t-jl-cy"), username="sibling"
    )
    filled_report(agency=world.district, code="A")
    target = tmp_path / "a.xlsx"

    with pytest.raises(CommandError) as refused:
        export(
            "--agency",
            "t-jl-lt",
            "--year",
            "2017",
            "--as-user",
            username,
            "-o",
            str(target),
        )

    assert str(refused.value) == (
        f"没有找到代码为 t-jl-lt 的机关（在用户 {username} 的范围内）。"
    )
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "nope", "--year", "2017"], "没有找到代码为 nope 的机关。"),
        (
            ["--agency", "t-jl-lt", "--year", "2016"],
            "机关 t-jl-lt 没有 2016 年度的报告。",
        ),
        (
            ["--agency", "t-jl-lt", "--year", "2017", "--as-user", "ghost"],
            "没有名为 ghost 的有效用户。",
        ),
    ],
    ids=["unknown-agency", "no-report-that-year", "unknown-user"],
)
def test_unknown_agency_year_or_user(
    world: World, tmp_path: Path, args: list[str], message: str
) -> None:
    filled_report(agency=world.district, code="A")

    with pytest.raises(CommandError) as refused:
        export(*args, "-o", str(tmp_path / "a.xlsx"))

    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a.pdf", "扩展名应为 .xlsx、.docx 或 .html"),
        ("missing/a.xlsx", "不存在"),
    ],
)
def test_output_it_cannot_write(
    world: World, tmp_path: Path, name: str, message: str
) -> None:
    filled_report(agency=world.district, code="A")

    with pytest.raises(CommandError) as refused:
        export("--agency", "t-jl-lt", "--year", "2017", "-o", str(tmp_path / name))

    assert message in str(refused.value)


def test_a_user_without_the_view_permission_is_refused(
    world: World, tmp_path: Path
) -> None:
    filled_report(agency=world.district, code="A")
    world.clerk.groups.clear()

    with pytest.raises(CommandError) as refused:
        export(
            "--agency",
            "t-jl-lt",
            "--year",
            "2017",
            "--as-user",
            "clerk",
            "-o",
            str(tmp_path / "a.xlsx"),
        )

    assert str(refused.value) == "用户 clerk 没有查看年度报告的权限。"
