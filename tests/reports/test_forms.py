"""The forms of the report pages: the new-report form's choice of years."""

import re

from django.utils import timezone

from reports.models import AnnualReport
from tests.conftest import World
from tests.factories import client_for

NEW_REPORT = "/admin/reports/annualreport/add/"


def year_choices(page: str) -> list[int]:
    select = re.search(r'<select name="year".*?</select>', page, re.S)
    assert select, "the new-report page has no year choice"
    return [int(y) for y in re.findall(r'<option value="(\d+)"', select[0])]


def test_new_report_years_end_at_the_current_year(world: World) -> None:
    this_year = timezone.localdate().year
    page = client_for(world.clerk).get(NEW_REPORT).content.decode()
    years = year_choices(page)
    assert years[0] == this_year, years  # newest first, nothing in the future
    assert this_year - 1 in years  # the usual one: last year's report
    selected = re.search(r'<option value="(\d+)" selected>', page)
    assert selected and int(selected[1]) == this_year - 1


def test_new_report_for_a_future_year_is_refused(world: World) -> None:
    next_year = timezone.localdate().year + 1
    response = client_for(world.clerk).post(
        NEW_REPORT, {"agency": world.district.pk, "year": next_year}
    )
    assert response.status_code == 200
    assert f"{next_year} 不在可用的选项中" in response.content.decode()
    assert not AnnualReport.objects.filter(agency=world.district).exists()
