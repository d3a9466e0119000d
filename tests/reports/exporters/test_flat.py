"""The flat export: columns, values, quoting, speed, and the way back in."""

import io
import re
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency
from reports.exporters.flat import flat_columns, flat_table, write_flat
from reports.exporters.xlsx import SheetWriter, column_letters
from reports.importers.flat import CUT_MARK, EXCEL_CELL_LIMIT, FORMULA_STARTS
from reports.importers.flat_template import parse_flat_file
from reports.importers.sheets import read_sheet
from reports.models import AnnualReport
from reports.resources import ReportExportResource
from reports.selectors import report_values
from reports.services import system_actor
from reports.tables import FORMATS, NA, SIGNATORIES, get_format
from tests.conftest import World
from tests.factories import client_for, make_agency, make_report
from tests.reports.exporters.filled import filled_report
from tests.reports.test_resources import XLSX, confirm, preview_table, upload


def export(kind: str = "xlsx", reports: QuerySet | None = None) -> bytes:
    buffer = io.BytesIO()
    everything = AnnualReport.objects.all()
    write_flat(everything if reports is None else reports, buffer, kind=kind)
    return buffer.getvalue()


def rows_of(data: bytes, kind: str = "xlsx") -> list[list[object]]:
    """The file as the flat import reads it (the project's sheet reader)."""
    return read_sheet(data, filename=f"export.{kind}").rows


def by_code(rows: list[list[object]]) -> list[dict[str, object]]:
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[2:]]


@pytest.fixture
def three(world: World) -> list[AnnualReport]:
    """A, B2019 and B reports of the clerk's agency, every kind of value."""
    reports = [filled_report(agency=world.district, code=c) for c in FORMATS]
    # Locked reports come back unchanged too.
    AnnualReport.objects.filter(pk=reports[1].pk).update(status="approved")
    return reports


# Columns ---------------------------------------------------------------------


def test_columns_are_the_union_of_the_formats_present_in_format_order() -> None:
    columns = flat_columns([get_format("A"), get_format("B")])
    keys = [c.key for c in columns]
    assert keys[:9] == [
        "agency_code", "agency_name", "year", "format", "status",
        "missing_count", "error_count", "warning_count", "table_year",
    ]  # fmt: skip
    cells = keys[9 : 9 + len(FORMATS["A"].cells) + len(FORMATS["B"].cells)]
    assert cells == [*FORMATS["A"].cells, *FORMATS["B"].cells]
    assert keys[-len(SIGNATORIES) :] == [key for key, _label in SIGNATORIES]
    sections = [k for k in keys if k.startswith("section:")]
    assert sections[:8] == [f"section:{s.key}" for s in FORMATS["A"].sections]
    assert len(sections) == len(set(sections))
    labels = {c.key: c.label for c in columns}
    assert labels["a3_received"] == FORMATS["A"].cells["a3_received"].label
    assert labels["status"] == "状态" and labels["missing_count"] == "缺项"


def test_each_cell_code_appears_once_for_formats_that_share_it() -> None:
    keys = [c.key for c in flat_columns([get_format("B2019"), get_format("B")])]
    assert len(keys) == len(set(keys))
    assert set(FORMATS["B2019"].cells) | set(FORMATS["B"].cells) <= set(keys)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_row_holds_the_report_its_values_texts_and_signatories(
    world: World, three: list[AnnualReport], kind: str
) -> None:
    rows = rows_of(export(kind), kind)
    assert [str(h) for h in rows[0]][:3] == ["agency_code", "agency_name", "year"]
    assert rows[1][:3] == ["机关代码", "机关全称", "年度"]
    exported = {int(r["year"]): r for r in by_code(rows)}  # type: ignore[arg-type]
    assert list(exported) == [2022, 2019, 2017]  # latest first
    for report in three:
        row = exported[report.year]
        report.refresh_from_db()
        assert row["agency_code"] == "t-jl-lt"
        assert row["agency_name"] == "吉林市统计局龙潭分局"
        assert row["format"] == report.format
        assert row["status"] == report.get_status_display()
        assert int(row["missing_count"]) == report.missing_count  # type: ignore[arg-type]
        stored = report_values(report)
        for code in report.table_format.cells:
            value, shown = stored.get(code), row[code]
            if value is None:
                assert shown is None, code
            elif value is NA:
                assert shown == "/", code
            else:
                assert Decimal(str(shown)) == value, code
        assert row["section:overview"] == report.sections["overview"]
        assert row["signed_head"] == "包太洋" and row["signed_reviewer"] is None
        assert str(row["filled_on"]) == "2018-02-28"
        # Another format's cells stay empty.
        other = next(c for c in ("a1_total", "b2_rule_issued") if c not in stored)
        assert row[other] is None


def test_numbers_are_numbers_and_na_is_a_slash_in_xlsx(
    world: World, three: list[AnnualReport]
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export()), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    a_row = next(r for r in rows[2:] if r[2] == 2017)
    header = list(rows[0])
    assert isinstance(a_row[header.index("a1_total")], int | float)
    assert a_row[header.index("year")] == 2017
    b_row = next(r for r in rows[2:] if r[2] == 2022)
    na = [header[i] for i, v in enumerate(b_row) if v == "/"]
    assert na and all(FORMATS["B"].cells[code].allows_na for code in na)


def test_fifteen_digits_are_a_number_and_more_are_text(world: World) -> None:
    amount = next(
        code for code, cell in FORMATS["A"].cells.items() if cell.type.value == "amount"
    )
    make_report(agency=world.district, values={amount: "987654321.123456"})
    data = export()
    assert by_code(rows_of(data))[0][amount] == Decimal("987654321.123456")
    buffer = io.BytesIO()
    with SheetWriter(buffer, sheet_name="S", numbers=range(3)) as sheet:
        sheet.row(["1234567890.1234567", "-987654321012345", "/"])
    assert read_sheet(buffer.getvalue()).rows == [
        ["1234567890.1234567", -987654321012345, "/"]
    ]


# Quoting -------------------------------------------------------------------------


TRICKY = {
    "signed_head": '=HYPERLINK("http://x")',
    "signed_reviewer": "+1+2",
    "signed_preparer": "@SUM(A1)",
    "contact_phone": "-2+3",
}


def _texts(data: bytes, kind: str) -> list[str]:
    if kind == "csv":
        return [v for row in rows_of(data, kind) for v in row if isinstance(v, str)]
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        cell.value
        for row in book.active.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_no_exported_text_can_start_a_formula(world: World, kind: str) -> None:
    bad = make_agency(parent=world.district, name="=cmd|' /C calc'!A0", code="-x1")
    make_report(
        agency=bad,
        signatories=TRICKY,
        sections={"overview": "-- 列表", "active": "'=已经引过的"},
    )
    data = export(kind)
    texts = _texts(data, kind)
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    assert '\'=HYPERLINK("http://x")' in texts and "''=已经引过的" in texts
    if kind == "xlsx":  # and no cell of the file is a formula
        sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"<f " not in sheet
    # The quotes come off on the way back in.
    item = parse_flat_file(read_sheet(data, filename=f"x.{kind}"))[0]
    assert item.agency_code == "-x1"
    assert item.signatories["signed_head"] == TRICKY["signed_head"]
    assert item.sections["active"] == "'=已经引过的"


def test_xml_unfriendly_text_survives_xlsx(world: World) -> None:
    text = "第一行\x01控制字符 _x0041_ <b>&amp;</b>\n第二行"
    make_report(agency=world.district, sections={"overview": text})
    row = by_code(rows_of(export()))[0]
    assert row["section:overview"] == text


def test_a_text_too_long_for_excel_is_cut_and_left_alone_on_import(
    world: World,
) -> None:
    long = "长" * (EXCEL_CELL_LIMIT + 10)
    make_report(agency=world.district, sections={"overview": long})
    data = export()
    row = by_code(rows_of(data))[0]
    shown = str(row["section:overview"])
    assert len(shown) == EXCEL_CELL_LIMIT and shown.endswith(CUT_MARK)
    item = parse_flat_file(read_sheet(data, filename="x.xlsx"))[0]
    assert "overview" not in item.sections  # the stored text stays whole
    csv_row = by_code(rows_of(export("csv"), "csv"))[0]
    assert csv_row["section:overview"] == long  # CSV has no such limit


# The way back in -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_imports_back_unchanged_with_import_reports(
    three: list[AnnualReport], tmp_path: Path, kind: str
) -> None:
    path = tmp_path / f"reports.{kind}"
    path.write_bytes(export(kind))
    versions = {r.pk: r.version for r in AnnualReport.objects.all()}
    out = StringIO()
    call_command("import_reports", str(path), stdout=out, stderr=StringIO())
    assert "已新建 0 份，更新 0 份，3 份无变化" in out.getvalue()
    assert {r.pk: r.version for r in AnnualReport.objects.all()} == versions


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_imports_back_unchanged_in_the_admin(
    world: World, three: list[AnnualReport], kind: str
) -> None:
    client = client_for(world.clerk)
    response = client.post("/admin/reports/annualreport/export/", {"kind": kind})
    assert response.status_code == 200
    data = response.content
    preview = upload(client, data, f"export.{kind}", XLSX if kind == "xlsx" else "1")
    actions = re.findall(r'<td class="nb-action">(.*?)</td>', preview_table(preview))
    assert actions == ["无变化"] * 3
    assert confirm(client, preview) == [
        "没有改动：文件中的 3 份报告与系统中已有的完全相同，没有写入任何内容。"
    ]


def test_an_edited_export_imports_as_an_update(
    world: World, three: list[AnnualReport], tmp_path: Path
) -> None:
    rows = rows_of(export("csv"), "csv")
    header = [str(h) for h in rows[0]]
    a_row = next(r for r in rows[2:] if r[2] == "2017")
    a_row[header.index("a1_total")] = "12345"
    path = tmp_path / "edited.csv"
    path.write_text(
        "\n".join(",".join("" if v is None else f'"{v}"' for v in r) for r in rows),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_reports", str(path), stdout=out, stderr=StringIO())
    assert "更新 1 份，2 份无变化" in out.getvalue()
    assert report_values(three[0])["a1_total"] == 12345


# Reading: one query for the reports and their values -------------------------


def _queries(reports: QuerySet) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        export("xlsx", reports)
    return [query["sql"] for query in queries.captured_queries]


def test_the_query_count_does_not_grow_with_the_reports(world: World) -> None:
    make_report(agency=world.district, values={"a1_total": 1})
    one = _queries(AnnualReport.objects.all())
    for n in range(12):
        agency = make_agency(parent=world.city_bureau, code=f"q-{n}")
        make_report(agency=agency, values={"a1_total": n, "a3_received": 2})
    many = _queries(AnnualReport.objects.all())
    assert len(many) == len(one)
    # The formats present, then one query for the reports with their values
    # (PostgreSQL: and the JIT setting, off and back).
    assert len([sql for sql in many if "reports_reportvalue" in sql]) == 1
    assert len([sql for sql in many if "reports_annualreport" in sql]) == 2


def test_progress_is_told_and_the_table_streams(world: World) -> None:
    for n in range(3):
        make_report(agency=make_agency(parent=world.district, code=f"p-{n}"))
    seen: list[int] = []
    table = flat_table(AnnualReport.objects.all(), progress=seen.append)
    assert next(table.rows)[0] and seen == []  # read as it comes
    assert len(list(table.rows)) == 2 and seen == [3]


def test_the_export_follows_the_tree_within_a_year(world: World) -> None:
    make_report(agency=world.other_bureau)
    make_report(agency=world.district)
    make_report(agency=world.province)
    make_report(agency=world.district, year=2016)
    codes = [(r["agency_code"], r["year"]) for r in by_code(rows_of(export()))]
    expected = sorted(
        ((a.code, a.path) for a in Agency.objects.filter(reports__year=2017)),
        key=lambda pair: pair[1],
    )
    assert codes == [(code, 2017) for code, _path in expected] + [("t-jl-lt", 2016)]


def test_no_reports_is_a_sheet_of_headers(db: None) -> None:
    rows = rows_of(export())
    assert len(rows) == 2 and "agency_code" in rows[0]


def test_column_letters_go_past_z() -> None:
    assert [column_letters(n) for n in (0, 25, 26, 701, 702)] == [
        "A", "Z", "AA", "ZZ", "AAA",
    ]  # fmt: skip


def test_the_sheet_keeps_its_headers_in_view(world: World) -> None:
    sheet = zipfile.ZipFile(io.BytesIO(export())).read("xl/worksheets/sheet1.xml")
    assert re.search(rb'<pane xSplit="3" ySplit="2" topLeftCell="D3"', sheet)


# The resource: every way out reads within its user's scope -------------------


def test_the_resource_exports_within_its_users_scope(world: World) -> None:
    make_report(agency=world.district, values={"a1_total": 4})
    make_report(agency=world.other_bureau, values={"a1_total": 9})
    dataset = ReportExportResource(user=world.clerk).export()
    assert dataset.headers[:3] == ["agency_code", "agency_name", "year"]
    assert dataset[0][:3] == ("机关代码", "机关全称", "年度")  # the labels' row
    assert [row[0] for row in dataset[1:]] == ["t-jl-lt"]
    assert dataset[1][dataset.headers.index("a1_total")] == "4"
    everything = ReportExportResource(user=system_actor()).export()
    assert sorted(row[0] for row in everything[1:]) == ["t-hn-tjj", "t-jl-lt"]
    assert len(ReportExportResource().export()) == 1  # no user: no reports
    outsider = ReportExportResource(user=world.outsider)
    buffer = io.BytesIO()
    assert outsider.write(AnnualReport.objects.all(), buffer, kind="csv") == 1
    assert "t-jl-lt" not in buffer.getvalue().decode("utf-8-sig")


def test_an_unknown_kind_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="unknown export kind"):
        write_flat(AnnualReport.objects.all(), io.BytesIO(), kind="pdf")
