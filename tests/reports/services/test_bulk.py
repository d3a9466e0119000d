"""The bulk row writes (reports/services/bulk.py): value rows may stream."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import ReportValue
from reports.services.bulk import ValueRow, upsert_values
from tests.conftest import World
from tests.factories import make_report


def test_value_rows_from_a_generator_are_inserted_then_updated(world: World) -> None:
    report = make_report(agency=world.district, values={"a1_total": 1})

    def rows(value: Decimal) -> Iterator[ValueRow]:
        yield (report.pk, "a1_total", value, False)
        yield (report.pk, "a1_website", None, True)

    upsert_values(rows(Decimal(7)))
    upsert_values(rows(Decimal(8)))
    stored = dict(
        ReportValue.objects.filter(report=report).values_list("code", "not_applicable")
    )
    assert stored == {"a1_total": False, "a1_website": True}
    assert ReportValue.objects.get(report=report, code="a1_total").value == 8


@pytest.mark.django_db
def test_no_rows_no_statements() -> None:
    with CaptureQueriesContext(connection) as queries:
        upsert_values(iter(()))
        upsert_values([])
    assert len(queries) == 0
