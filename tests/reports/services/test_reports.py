"""The one write path: create, save values, optimistic locking, refusals."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from reports.models import AnnualReport, ReportChange, ReportValue
from reports.selectors import report_values
from reports.services import (
    ReportError,
    ReportExistsError,
    StaleVersionError,
    report_create,
    report_save_values,
    system_actor,
)
from reports.tables import NA
from tests.conftest import World
from tests.factories import make_report
from tests.reports import seed_tables


def test_create_takes_the_format_from_the_year(world: World) -> None:
    assert make_report(agency=world.district, year=2017).format == "A"
    assert make_report(agency=world.district, year=2019).format == "B2019"
    assert make_report(agency=world.district, year=2020).format == "B2019"
    report = make_report(agency=world.district, year=2022)
    assert report.format == "B"
    assert report.status == AnnualReport.Status.DRAFT
    assert (
        report.missing_count
        == len(report.table_format.cells)
        + len([s for s in report.table_format.sections if s.required])
        + 5
    )


def test_a_second_report_for_the_same_agency_and_year_is_refused(
    world: World,
) -> None:
    first = report_create(agency=world.district, year=2017, user=world.clerk)
    with pytest.raises(ReportExistsError) as refused:
        report_create(agency=world.district, year=2017, user=world.clerk)
    assert refused.value.existing == first
    assert AnnualReport.objects.count() == 1


@pytest.mark.parametrize("year", [2007, 2099])
def test_years_outside_the_range_are_refused(world: World, year: int) -> None:
    with pytest.raises(ReportError, match=str(year)):
        report_create(agency=world.district, year=year, user=world.clerk)


def test_only_clerks_of_the_subtree_file(world: World) -> None:
    with pytest.raises(PermissionDenied):
        report_create(agency=world.district, year=2017, user=world.outsider)
    with pytest.raises(PermissionDenied):
        report_create(agency=world.district, year=2017, user=world.reviewer)
    report = report_create(agency=world.district, year=2017, user=world.clerk)
    with pytest.raises(PermissionDenied):
        report_save_values(
            report=report, user=world.outsider, expected_version=1, values={}
        )


def test_save_stores_values_counts_and_who_changed_what(world: World) -> None:
    report = report_create(agency=world.district, year=2017, user=world.clerk)
    result = report_save_values(
        report=report,
        user=world.clerk,
        expected_version=report.version,
        values=seed_tables.typed(seed_tables.SEED_003),
        table_year=2017,
    )
    report.refresh_from_db()
    assert report.version == 2
    assert report.error_count == 1
    assert report.warning_count == 1
    assert report_values(report)["a4_reviews"] == Decimal(101)
    assert {f.rule for f in result.findings} >= {"a_reviews_sum", "a_channels_sum"}

    report_save_values(
        report=report,
        user=world.clerk,
        expected_version=2,
        values={"a4_reviews": "81", "a1_total": ""},
    )
    report.refresh_from_db()
    assert report.error_count == 0
    change = ReportChange.objects.get(report=report, field="a4_reviews", version=3)
    assert (change.old, change.new, change.user) == ("101", "81", world.clerk)
    blanked = ReportChange.objects.get(report=report, field="a1_total", version=3)
    assert (blanked.old, blanked.new) == ("248071", "")
    assert "a1_total" not in report_values(report)


def test_blank_zero_and_not_applicable_are_three_states(world: World) -> None:
    report = make_report(agency=world.district, year=2022)
    report_save_values(
        report=report,
        user=system_actor(),
        expected_version=report.version,
        values={"b2_rule_issued": "/", "b2_rule_repealed": "0", "b2_norm_issued": ""},
    )
    values = report_values(report)
    assert values["b2_rule_issued"] is NA
    assert values["b2_rule_repealed"] == Decimal(0)
    assert "b2_norm_issued" not in values
    assert not ReportValue.objects.filter(report=report, code="b2_norm_issued").exists()


def test_a_save_against_a_stale_version_changes_nothing(world: World) -> None:
    report = make_report(agency=world.district, values={"a1_total": "5"})
    loaded = report.version
    report_save_values(
        report=report,
        user=world.clerk,
        expected_version=loaded,
        values={"a1_total": "6"},
    )
    before = (
        list(ReportValue.objects.values_list("code", "value")),
        ReportChange.objects.count(),
    )
    with pytest.raises(StaleVersionError) as refused:
        report_save_values(
            report=report,
            user=world.clerk,
            expected_version=loaded,
            values={"a1_total": "7", "a1_website": "7"},
        )
    after = (
        list(ReportValue.objects.values_list("code", "value")),
        ReportChange.objects.count(),
    )
    assert after == before
    assert report_values(report)["a1_total"] == Decimal(6)
    assert [c.field for c in refused.value.changes] == ["a1_total"]
    assert "没有保存" in str(refused.value)


@pytest.mark.parametrize(
    ("code", "raw", "words"),
    [
        ("a3_received", "-1", "不能为负数"),
        ("a3_received", "1.5", "应为整数"),
        ("a3_received", "十五", "不是数字"),
        ("a7_fees", "0.1234567", "最多 6 位小数"),
        ("a7_fees", "-0.5", "不能为负数"),
        ("a1_total", "1000000000000", "过大"),
        ("a3_received", "/", "必须填数字"),
    ],
)
def test_bad_values_are_refused_naming_the_cell_and_nothing_is_stored(
    world: World, code: str, raw: str, words: str
) -> None:
    report = make_report(agency=world.district, values={"a1_total": "5"})
    with pytest.raises(ReportError) as refused:
        report_save_values(
            report=report,
            user=world.clerk,
            expected_version=report.version,
            values={"a1_website": "5", code: raw},
        )
    message = " ".join(refused.value.messages)
    label = report.table_format.cells[code].display_name
    assert label in message and words in message
    report.refresh_from_db()
    assert report.version == 2
    assert "a1_website" not in report_values(report)


def test_amounts_keep_six_decimals_and_full_width_digits_are_read(
    world: World,
) -> None:
    report = make_report(
        agency=world.district,
        values={"a7_fees": "5949.088667", "a1_total": "８５,６７４"},
    )
    values = report_values(report)
    assert values["a7_fees"] == Decimal("5949.088667")
    assert values["a1_total"] == Decimal(85674)


def test_approved_reports_are_locked(world: World) -> None:
    report = make_report(agency=world.district)
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.APPROVED
    )
    with pytest.raises(ReportError, match="已通过"):
        report_save_values(
            report=report,
            user=system_actor(),
            expected_version=report.version,
            values={},
        )


def test_cross_year_rule_reads_last_years_report_and_updates_next_years(
    world: World,
) -> None:
    last = make_report(
        agency=world.district, year=2021, values={"b3_carried_out__np": "3"}
    )
    this = make_report(
        agency=world.district, year=2022, values={"b3_carried_in__np": "2"}
    )
    this.refresh_from_db()
    warnings_before = this.warning_count
    assert warnings_before >= 1
    report_save_values(
        report=last,
        user=system_actor(),
        expected_version=last.version,
        values={"b3_carried_out__np": "2"},
    )
    this.refresh_from_db()
    assert this.warning_count == warnings_before - 1


def test_validate_report_command_prints_json(world: World) -> None:
    make_report(
        agency=world.district,
        values=seed_tables.typed(seed_tables.SEED_003),
        table_year=seed_tables.SEED_003_TABLE_YEAR,
    )
    out = StringIO()
    call_command(
        "validate_report", "--agency", "t-jl-lt", "--year", "2017", "--json", stdout=out
    )
    payload = json.loads(out.getvalue())
    assert payload["format"] == "A"
    assert payload["counts"]["error"] == 1
    assert payload["counts"]["warning"] == 1
    rules = [f["rule"] for f in payload["findings"]]
    assert "a_reviews_sum" in rules
    first = payload["findings"][0]
    assert set(first) == {"severity", "rule", "cells", "message"}


def test_every_stored_number_comes_back_exactly_as_typed(world: World) -> None:
    from decimal import Decimal

    from reports.selectors import report_values
    from reports.services import ReportError

    report = make_report(
        agency=world.district, values={"a8_budget": "123456789.123456"}
    )
    assert report_values(report)["a8_budget"] == Decimal("123456789.123456")
    with pytest.raises(ReportError, match="有效数字超过 15 位"):
        report_save_values(
            report=report,
            user=world.clerk,
            expected_version=report.version,
            values={"a8_budget": "98765432109.876543"},
        )
    assert report_values(report)["a8_budget"] == Decimal("123456789.123456")


def test_a_nul_in_a_text_is_dropped_not_a_server_error(world: World) -> None:
    report = make_report(agency=world.district)
    saved = report_save_values(
        report=report,
        user=world.clerk,
        expected_version=report.version,
        sections={"overview": "概\x00述"},
        signatories={"signed_head": "宋\x00玉玲"},
    ).report
    assert saved.sections["overview"] == "概述" and saved.signed_head == "宋玉玲"
