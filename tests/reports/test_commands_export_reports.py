"""``export_reports``: the flat export from the command line, in a scope."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.importers.sheets import read_sheet
from reports.models import AnnualReport
from tests.conftest import World
from tests.factories import make_agency, make_member, make_report


@pytest.fixture
def reports(world: World) -> None:
    for agency in (world.province, world.city_bureau, world.district):
        make_report(agency=agency, values={"a1_total": 3})
    make_report(agency=world.district, year=2016)
    make_report(agency=world.other_bureau)


def run(tmp_path: Path, *args: str, name: str = "out.xlsx") -> list[tuple[str, int]]:
    """Export; (agency code, year) of each report in the file."""
    path = tmp_path / name
    out = StringIO()
    call_command(
        "export_reports", *args, "-o", str(path), stdout=out, stderr=StringIO()
    )
    rows = read_sheet(path.read_bytes(), filename=name).rows
    assert f"已导出 {len(rows) - 2} 份报告到 {path}" in out.getvalue()
    return sorted((str(row[0]), int(row[2])) for row in rows[2:])  # type: ignore[arg-type]


ALL = [("t-hn-tjj", 2017), ("t-jl", 2017), ("t-jl-lt", 2016), ("t-jl-lt", 2017),
       ("t-jl-tjj", 2017)]  # fmt: skip


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv", "OUT.XLSX"])
def test_the_system_exports_every_report(
    reports: None, tmp_path: Path, name: str
) -> None:
    assert run(tmp_path, name=name) == ALL
    assert not list(tmp_path.glob("*.part"))


def test_year_and_agency_narrow_the_export(reports: None, tmp_path: Path) -> None:
    assert run(tmp_path, "--year", "2016") == [("t-jl-lt", 2016)]
    assert run(tmp_path, "--agency", "t-jl-tjj") == [
        ("t-jl-lt", 2016),
        ("t-jl-lt", 2017),
        ("t-jl-tjj", 2017),
    ]
    assert run(tmp_path, "--agency", "t-jl", "--year", "2017") == [
        ("t-jl", 2017),
        ("t-jl-lt", 2017),
        ("t-jl-tjj", 2017),
    ]


def test_a_user_exports_their_scope_only(
    world: World, reports: None, tmp_path: Path
) -> None:
    assert run(tmp_path, "--user", "clerk") == [("t-jl-lt", 2016), ("t-jl-lt", 2017)]
    assert run(tmp_path, "--user", "reviewer") == [
        ("t-jl-lt", 2016),
        ("t-jl-lt", 2017),
        ("t-jl-tjj", 2017),
    ]
    assert run(tmp_path, "--user", "outsider") == [("t-hn-tjj", 2017)]
    sibling = make_agency(parent=world.city_bureau, code="t-jl-cy")
    make_member(agency=sibling, username="sibling")
    assert run(tmp_path, "--user", "sibling") == []
    # Within their scope, --agency narrows it.
    assert run(tmp_path, "--user", "reviewer", "--agency", "t-jl-lt") == [
        ("t-jl-lt", 2016),
        ("t-jl-lt", 2017),
    ]


@pytest.mark.parametrize(
    ("user", "agency"),
    [("outsider", "t-jl"), ("clerk", "t-jl-tjj"), ("clerk", "t-hn"), (None, "nope")],
)
def test_an_agency_outside_the_scope_reads_as_unknown(
    reports: None, tmp_path: Path, user: str | None, agency: str
) -> None:
    args = ["--agency", agency, *(["--user", user] if user else [])]
    with pytest.raises(
        CommandError, match=f"机关代码“{agency}”不存在或不在您的管辖范围内"
    ):
        run(tmp_path, *args)
    assert not list(tmp_path.iterdir())


def test_bad_arguments_are_refused_in_chinese(
    world: World, reports: None, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="须以 .xlsx 或 .csv 结尾"):
        run(tmp_path, name="out.pdf")
    with pytest.raises(CommandError, match="没有名为 ghost 的有效用户"):
        run(tmp_path, "--user", "ghost")
    with pytest.raises(CommandError, match="无法写入文件"):
        run(tmp_path / "missing-folder", name="out.csv")


def test_the_file_imports_back_unchanged(
    world: World, reports: None, tmp_path: Path
) -> None:
    run(tmp_path, "--user", "clerk", name="mine.csv")
    versions = dict(AnnualReport.objects.values_list("pk", "version"))
    out = StringIO()
    call_command(
        "import_reports",
        str(tmp_path / "mine.csv"),
        "--user",
        "clerk",
        stdout=out,
        stderr=StringIO(),
    )
    assert "已新建 0 份，更新 0 份，2 份无变化" in out.getvalue()
    assert dict(AnnualReport.objects.values_list("pk", "version")) == versions
