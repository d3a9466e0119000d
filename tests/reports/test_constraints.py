"""reports/constraints.py: one value per cell on every database, and the
unique index carries the value where the database can (PostgreSQL)."""

import pytest
from django.db import IntegrityError, connection, transaction

from reports.models import ReportValue
from tests.factories import make_agency
from tests.reports.exporters.rollup_tree import file_report

pytestmark = pytest.mark.django_db


def _index_sql() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                ["reports_reportvalue_one_per_cell"],
            )
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s",
                ["reports_reportvalue_one_per_cell"],
            )
        row = cursor.fetchone()
    assert row is not None, "reports_reportvalue_one_per_cell 索引不存在"
    return row[0]


def test_a_cell_holds_one_value_on_every_database() -> None:
    report = file_report(agency=make_agency(code="uc-1"), values={"a1_total": 3})
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportValue.objects.create(report=report, code="a1_total", value=4)
    assert report.values.get(code="a1_total").value == 3


def test_the_unique_index_carries_the_value_where_it_can() -> None:
    sql = _index_sql()
    assert "UNIQUE" in sql.upper() and "(report_id, code)" in sql.replace('"', "")
    if connection.features.supports_covering_indexes:
        assert "INCLUDE (value, not_applicable)" in sql
    else:
        assert "INCLUDE" not in sql.upper()


def test_the_model_check_is_silent_on_this_database() -> None:
    assert ReportValue.check(databases=["default"]) == []
