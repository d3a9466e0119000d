"""``import_reports``: the flat import from the command line, all or nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services.actors import SYSTEM_USERNAME, is_system
from tests.conftest import World
from tests.factories import client_for, make_xlsx


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


def test_the_command_acts_as_the_system_and_says_so_in_the_history(
    world: World, tmp_path: Path
) -> None:
    path = sheet(tmp_path, ROWS)
    call_command("import_reports", str(path), stdout=StringIO(), stderr=StringIO())
    report = AnnualReport.objects.get(agency=world.district, year=2016)
    assert report.updated_by is not None and is_system(report.updated_by)
    assert all(is_system(change.user) for change in report.changes.all())
    history = client_for(world.reviewer).get(
        f"/admin/reports/annualreport/{report.pk}/history/"
    )
    assert "系统" in history.content.decode()
    # The system account can never log in.
    assert not Client().login(username=SYSTEM_USERNAME, password="")


def test_with_user_the_command_keeps_to_that_users_scope(
    world: World, tmp_path: Path
) -> None:
    path = sheet(tmp_path, ROWS)
    err = StringIO()
    with pytest.raises(CommandError, match="没有导入任何报告"):
        call_command(
            "import_reports",
            str(path),
            "--user",
            "clerk",
            stdout=StringIO(),
            stderr=err,
        )
    assert "第 3 行" in err.getvalue() and "不在您的管辖范围内" in err.getvalue()
    assert AnnualReport.objects.count() == 0
    with pytest.raises(CommandError, match="没有名为 nobody 的有效用户"):
        call_command("import_reports", str(path), "--user", "nobody", stdout=StringIO())


def test_a_filled_in_template_with_its_label_row_imports(
    world: World, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from reports.importers.flat_template import template_xlsx
    from reports.tables import get_format

    path = tmp_path / "template.xlsx"
    path.write_bytes(template_xlsx(get_format("A")))
    book = load_workbook(path)
    page = book.active
    codes = [cell.value for cell in page[1]]
    page.append(
        [
            "t-jl-lt" if c == "agency_code" else 2016 if c == "year" else None
            for c in codes
        ]
    )
    page.cell(row=3, column=codes.index("a1_total") + 1, value=5)
    book.save(path)
    call_command("import_reports", str(path), stdout=StringIO(), stderr=StringIO())
    report = AnnualReport.objects.get(agency=world.district, year=2016)
    assert report_values(report)["a1_total"] == 5
