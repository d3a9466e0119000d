"""``import_reports``: the flat import from the command line, all or nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.models import AnnualReport
from reports.selectors import report_values
from tests.conftest import World
from tests.factories import make_xlsx


def sheet(tmp_path: Path, rows: list[list[object]]) -> Path:
    path = tmp_path / "reports.xlsx"
    path.write_bytes(make_xlsx(rows))
    return path


ROWS = [
    ["agency_code", "year", "a1_total"],
    ["t-jl-lt", 2016, 5],
    ["t-hn-tjj", 2016, 7],
]


def test_dry_run_then_import(world: World, tmp_path: Path) -> None:
    path = sheet(tmp_path, ROWS)
    out = StringIO()
    call_command(
        "import_reports", str(path), "--dry-run", stdout=out, stderr=StringIO()
    )
    assert "将新建 2 份" in out.getvalue()
    assert AnnualReport.objects.count() == 0
    out = StringIO()
    call_command("import_reports", str(path), stdout=out, stderr=StringIO())
    assert "已新建 2 份" in out.getvalue()
    report = AnnualReport.objects.get(agency=world.other_bureau, year=2016)
    assert report_values(report)["a1_total"] == 7


def test_one_bad_row_imports_nothing_and_says_where(
    world: World, tmp_path: Path
) -> None:
    path = sheet(tmp_path, [*ROWS, ["t-jl-lt", 2015, -1]])
    err = StringIO()
    with pytest.raises(CommandError, match="没有导入任何报告"):
        call_command("import_reports", str(path), stdout=StringIO(), stderr=err)
    assert "第 4 行「a1_total」列" in err.getvalue()
    assert AnnualReport.objects.count() == 0


def test_a_file_that_is_not_a_sheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reports.xlsx"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="不是 XLSX 或 CSV"):
        call_command("import_reports", str(path), stdout=StringIO())
