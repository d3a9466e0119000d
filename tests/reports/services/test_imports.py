"""The bulk import service: all or nothing, scoped, idempotent."""

from decimal import Decimal

import pytest

from reports.importers.incoming import IncomingReport
from reports.models import AnnualReport, ReportChange, ReportValue
from reports.selectors import report_values
from reports.services.imports import describe, reports_import
from tests.conftest import World
from tests.factories import make_report
from tests.reports import seed_tables


def incoming(row: int = 2, **kwargs: object) -> IncomingReport:
    values = kwargs.pop("values", seed_tables.typed(seed_tables.SEED_003))
    item = IncomingReport(row=row, values=values, **kwargs)  # type: ignore[arg-type]
    item.columns = {code: code for code in item.values}
    return item


def test_dry_run_previews_and_writes_nothing(world: World) -> None:
    outcome = reports_import(
        incoming=[incoming(agency_code="t-jl-lt", year=2017)],
        user=world.clerk,
        dry_run=True,
    )
    assert outcome.ok and not outcome.written
    row = outcome.rows[0]
    assert row.action == "new"
    assert row.counts == {"missing": 18, "error": 1, "warning": 1}
    assert "新建" in describe(row)
    assert AnnualReport.objects.count() == 0


def test_import_creates_then_reimport_changes_nothing(world: World) -> None:
    rows = [incoming(agency_code="t-jl-lt", year=2017, table_year=2017)]
    first = reports_import(incoming=rows, user=world.clerk, dry_run=False)
    assert first.written
    report = AnnualReport.objects.get(agency=world.district, year=2017)
    assert report.error_count == 1 and report.warning_count == 1
    assert report.source == AnnualReport.Source.SPREADSHEET
    assert report_values(report)["a4_reviews"] == Decimal(101)
    snapshot = (
        list(ReportValue.objects.order_by("code").values_list("code", "value")),
        ReportChange.objects.count(),
        AnnualReport.objects.values_list("version", flat=True).get(),
    )
    again = reports_import(incoming=rows, user=world.clerk, dry_run=False)
    assert [r.action for r in again.rows] == ["unchanged"]
    assert snapshot == (
        list(ReportValue.objects.order_by("code").values_list("code", "value")),
        ReportChange.objects.count(),
        AnnualReport.objects.values_list("version", flat=True).get(),
    )


def test_update_records_each_changed_cell(world: World) -> None:
    report = make_report(agency=world.district, values={"a1_total": "5"})
    values = {"a1_total": "6", "a1_website": "6", "a1_gazette": ""}
    outcome = reports_import(
        incoming=[incoming(agency_code="t-jl-lt", year=2017, values=values)],
        user=world.clerk,
        dry_run=False,
    )
    assert outcome.rows[0].action == "update"
    report.refresh_from_db()
    assert report.version == 3
    changes = set(
        ReportChange.objects.filter(report=report, version=3).values_list(
            "field", "old", "new", "user__username"
        )
    )
    assert changes == {
        ("a1_total", "5", "6", "clerk"),
        ("a1_website", "", "6", "clerk"),
    }


def test_one_bad_row_refuses_the_whole_file(world: World) -> None:
    rows = [
        incoming(row=2, agency_code="t-jl-lt", year=2017),
        incoming(row=3, agency_code="t-jl-lt", year=2016, values={"a1_total": "-3"}),
    ]
    outcome = reports_import(incoming=rows, user=world.clerk, dry_run=False)
    assert not outcome.ok and not outcome.written
    assert outcome.errors == [
        "第 3 行「a1_total」列：「主动公开政府信息数」（条）不能为负数：-3。"
    ]
    assert AnnualReport.objects.count() == 0


@pytest.mark.parametrize(
    ("item", "words"),
    [
        (incoming(agency_code="t-hn-tjj", year=2017), "不存在或不在您的管辖范围内"),
        (incoming(agency_code="nope", year=2017), "不存在或不在您的管辖范围内"),
        (incoming(agency_code="t-jl-lt", year=2007), "年度 2007 不在"),
        (incoming(agency_code="t-jl-lt", year="二〇一七"), "不是年份"),
        (incoming(agency_code="t-jl-lt", year=2017.5), "不是年份"),
        (incoming(agency_code="t-jl-lt", year=None), "没有填写年度"),
        (incoming(year=2017), "没有填写机关代码"),
    ],
)
def test_refusals_name_the_row(world: World, item: IncomingReport, words: str) -> None:
    outcome = reports_import(incoming=[item], user=world.clerk, dry_run=False)
    assert not outcome.ok
    assert any(words in e and "第 2 行" in e for e in outcome.errors), outcome.errors
    assert AnnualReport.objects.count() == 0


def test_agency_by_exact_full_name(world: World) -> None:
    outcome = reports_import(
        incoming=[incoming(agency_name="吉林市统计局龙潭分局", year=2017)],
        user=world.clerk,
        dry_run=True,
    )
    assert outcome.ok and outcome.rows[0].agency == world.district


def test_two_rows_for_one_report_are_refused(world: World) -> None:
    rows = [
        incoming(row=2, agency_code="t-jl-lt", year=2017),
        incoming(row=5, agency_name="吉林市统计局龙潭分局", year="2017"),
    ]
    outcome = reports_import(incoming=rows, user=world.clerk, dry_run=False)
    assert outcome.errors == [
        "第 5 行与第 2 行是同一机关（吉林市统计局龙潭分局）同一年度（2017）的报告。"
    ]


def test_an_approved_report_is_never_overwritten(world: World) -> None:
    report = make_report(agency=world.district, values={"a1_total": "5"})
    AnnualReport.objects.filter(pk=report.pk).update(status="approved")
    outcome = reports_import(
        incoming=[incoming(agency_code="t-jl-lt", year=2017)],
        user=world.clerk,
        dry_run=False,
    )
    assert "已通过审核并锁定" in outcome.errors[0]
    assert report_values(report) == {"a1_total": Decimal(5)}


def test_reviewer_may_not_import_for_the_subtree(world: World) -> None:
    outcome = reports_import(
        incoming=[incoming(agency_code="t-jl-lt", year=2017)],
        user=world.reviewer,
        dry_run=False,
    )
    assert "无权" in outcome.errors[0]


def test_cross_year_rules_read_last_years_report(world: World) -> None:
    make_report(agency=world.district, year=2021, values={"b3_carried_out__np": "3"})
    outcome = reports_import(
        incoming=[
            incoming(
                agency_code="t-jl-lt", year=2022, values={"b3_carried_in__np": "2"}
            )
        ],
        user=world.clerk,
        dry_run=True,
    )
    rules = {f.rule for f in outcome.rows[0].findings if f.severity == "warning"}
    assert "b_carry_over" in rules


def _carry_rule() -> tuple[str, str]:
    from reports.tables import get_format
    from reports.tables.base import PreviousYear

    rule = next(r for r in get_format("B").rules if isinstance(r, PreviousYear))
    return rule.this, rule.last


def test_a_bulk_import_refreshes_next_years_cross_year_warning(world: World) -> None:
    this, last = _carry_rule()
    make_report(agency=world.district, year=2021, values={last: "5"})
    following = make_report(agency=world.district, year=2022, values={this: "5"})
    before = following.warning_count
    item = IncomingReport(row=2, agency_code="t-jl-lt", year=2021, values={last: "7"})
    assert reports_import(incoming=[item], user=world.clerk, dry_run=False).written
    following.refresh_from_db()
    assert following.warning_count == before + 1


def test_a_confirm_refuses_a_report_saved_after_the_preview(world: World) -> None:
    from reports.services import report_save_values

    report = make_report(agency=world.district, values={"a1_total": "5"})
    rows = [incoming(agency_code="t-jl-lt", year=2017)]
    preview = reports_import(incoming=rows, user=world.clerk, dry_run=True)
    assert preview.versions() == {(world.district.pk, 2017): report.version}
    report_save_values(
        report=report,
        user=world.clerk,
        expected_version=report.version,
        values={"a1_total": "9"},
    )
    confirm = reports_import(
        incoming=rows,
        user=world.clerk,
        dry_run=False,
        expected_versions=preview.versions(),
    )
    assert not confirm.written
    assert "请重新上传并预览" in confirm.errors[0]
    assert report_values(report)["a1_total"] == Decimal(9)


def test_a_confirm_refuses_a_report_created_after_the_preview(world: World) -> None:
    rows = [incoming(agency_code="t-jl-lt", year=2017)]
    preview = reports_import(incoming=rows, user=world.clerk, dry_run=True)
    assert preview.versions() == {(world.district.pk, 2017): None}
    make_report(agency=world.district, values={"a1_total": "5"})
    confirm = reports_import(
        incoming=rows,
        user=world.clerk,
        dry_run=False,
        expected_versions=preview.versions(),
    )
    assert not confirm.written and "新建" in confirm.errors[0]


def test_the_import_needs_an_actor(world: World) -> None:
    with pytest.raises(TypeError):
        reports_import(
            incoming=[incoming(agency_code="t-jl-lt", year=2017)],
            user=None,  # type: ignore[arg-type]
            dry_run=False,
        )
    assert AnnualReport.objects.count() == 0
