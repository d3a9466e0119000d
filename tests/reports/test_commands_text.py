"""parse_report_text (preview, no database writes) and import_report_text."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.models import AnnualReport, ReportValue
from reports.selectors import report_values
from tests.factories import make_agency, make_report
from tests.reports.seed_tables import seed_path


def run(*args: object) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_parse_prints_json_and_writes_nothing() -> None:
    agency = make_agency()
    make_report(agency=agency, year=2016)
    before = (AnnualReport.objects.count(), ReportValue.objects.count())
    data = json.loads(run("parse_report_text", str(seed_path("003")), "--json"))
    assert (AnnualReport.objects.count(), ReportValue.objects.count()) == before
    assert data["format"] == "A"
    assert data["year"] == 2017
    assert data["table_year"] == 2017
    assert data["agency_name"] == "湘西州政务公开政务服务管理办公室"
    assert data["cells"]["a1_total"] == 248071
    assert data["cells"]["a3_answered"] is None
    assert len(data["cells"]) == 58
    assert data["signatories"]["signed_head"] == "包太洋"
    assert data["signatories"]["filled_on"] is None
    assert data["unplaced_lines"] == []
    assert "response" in data["sections"]
    assert {"severity", "rule", "cells", "message"} <= set(data["findings"][0])
    assert any(f["rule"] == "a_reviews_sum" for f in data["findings"])


def test_parse_json_dates_and_forced_format() -> None:
    data = json.loads(run("parse_report_text", str(seed_path("002")), "--json"))
    assert data["signatories"]["filled_on"] == "2018-03-01"
    assert data["table_year"] == 2016
    forced = json.loads(
        run("parse_report_text", str(seed_path("002")), "--format", "B", "--json")
    )
    assert forced["format"] == "B"
    assert all(value is None for value in forced["cells"].values())


def test_parse_summary_and_not_a_report() -> None:
    assert "格式 A，报告年度 2017" in run("parse_report_text", str(seed_path("003")))
    out = run("parse_report_text", str(seed_path("001")))
    assert "这不是政府信息公开工作年度报告" in out


def test_parse_refuses_a_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "report.doc"
    binary.write_bytes(b"\xd0\xcf\x11\xe0\x00\x00" * 100)
    with pytest.raises(CommandError, match="不是文本文件"):
        run("parse_report_text", str(binary))


def test_parse_reads_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(seed_path("002").read_text(encoding="utf-8").encode("gb18030"))
    data = json.loads(run("parse_report_text", str(path), "--json"))
    assert data["agency_name"] == "吉林市统计局龙潭区分局"
    assert data["cells"]["a9_trainees"] == 14


@pytest.mark.django_db
def test_import_creates_a_draft_with_the_text() -> None:
    agency = make_agency(code="t-xx")
    path = seed_path("003")
    out = run("import_report_text", str(path), "--agency", "t-xx")
    assert "已导入" in out
    report = AnnualReport.objects.get(agency=agency, year=2017)
    assert report.status == AnnualReport.Status.DRAFT
    assert report.format == "A"
    assert report.source == AnnualReport.Source.TEXT
    assert report.source_text == path.read_text(encoding="utf-8")
    assert report.table_year == 2017
    assert report.signed_head == "包太洋"
    assert report.contact_phone == "0743--8233025"
    assert report.filled_on is None
    assert report.sections["response"].startswith("据统计")
    values = report_values(report)
    assert values["a1_total"] == Decimal(248071)
    assert values["a8_budget"] == Decimal(65)
    assert "a3_answered" not in values
    assert len(values) == 40
    assert report.error_count == 1  # a_reviews_sum


@pytest.mark.django_db
def test_import_into_an_existing_draft_with_year() -> None:
    agency = make_agency(code="t-lt")
    make_report(agency=agency, year=2017, values={"a6_complaints": 3})
    run("import_report_text", str(seed_path("002")), "--agency", "t-lt")
    report = AnnualReport.objects.get(agency=agency, year=2017)
    values = report_values(report)
    assert values["a6_complaints"] == Decimal(3)  # an import blanks nothing
    assert values["a9_trainees"] == Decimal(14)
    assert report.table_year == 2016
    assert report.filled_on == date(2018, 3, 1)
    assert report.warning_count >= 1  # a_table_year
    run(
        "import_report_text",
        str(seed_path("004")),
        "--agency",
        "t-lt",
        "--year",
        "2016",
    )
    assert AnnualReport.objects.get(agency=agency, year=2016).sections["overview"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [AnnualReport.Status.SUBMITTED, AnnualReport.Status.APPROVED]
)
def test_import_refuses_a_submitted_or_approved_report(status: str) -> None:
    agency = make_agency(code="t-sub")
    report = make_report(agency=agency, year=2017, values={"a1_total": 1})
    AnnualReport.objects.filter(pk=report.pk).update(status=status)
    with pytest.raises(CommandError, match="不能修改"):
        run("import_report_text", str(seed_path("003")), "--agency", "t-sub")
    assert report_values(report) == {"a1_total": Decimal(1)}


@pytest.mark.django_db
def test_import_refuses_unknown_agency_and_work_plan() -> None:
    with pytest.raises(CommandError, match="没有代码为 nope 的机关"):
        run("import_report_text", str(seed_path("003")), "--agency", "nope")
    make_agency(code="t-fj")
    with pytest.raises(CommandError, match="这不是政府信息公开工作年度报告"):
        run("import_report_text", str(seed_path("001")), "--agency", "t-fj")
    assert AnnualReport.objects.count() == 0


@pytest.mark.django_db
def test_import_refuses_binary_and_missing_year(tmp_path: Path) -> None:
    make_agency(code="t-bin")
    binary = tmp_path / "x.pdf"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02" * 50)
    with pytest.raises(CommandError, match="不是文本文件"):
        run("import_report_text", str(binary), "--agency", "t-bin")
    untitled = tmp_path / "untitled.txt"
    untitled.write_text(
        "\n".join(seed_path("003").read_text(encoding="utf-8").split("\n")[76:]),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="--year"):
        run("import_report_text", str(untitled), "--agency", "t-bin")
    run("import_report_text", str(untitled), "--agency", "t-bin", "--year", "2017")
    assert AnnualReport.objects.get(agency__code="t-bin").year == 2017
