"""The report admin: scoping, the form page, drafts, conflicts, submission."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.forms import NewReportForm
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import report_save_values
from tests.conftest import World
from tests.factories import client_for, make_agency, make_report, make_user
from tests.reports import seed_tables

LIST = "/admin/reports/annualreport/"


def change_url(report: AnnualReport) -> str:
    return f"{LIST}{report.pk}/change/"


def form_data(report: AnnualReport, **values: str) -> dict[str, str]:
    """What the browser posts: every cell as shown, plus the version."""
    from reports.forms import ReportForm

    initial = ReportForm.initial_for(report, report_values(report))
    data = {k: "" if v is None else str(v) for k, v in initial.items()}
    data.update(values)
    data["_save"] = "保存草稿"
    return data


@pytest.fixture
def reports(world: World) -> dict[str, AnnualReport]:
    return {
        "district": make_report(agency=world.district, year=2017),
        "bureau": make_report(agency=world.city_bureau, year=2017),
        "other": make_report(agency=world.other_bureau, year=2017),
    }


def test_changelist_shows_only_the_scope(world: World, reports: dict) -> None:
    def listed(user) -> set[str]:  # noqa: ANN001
        page = client_for(user).get(LIST).content.decode()
        return {
            name
            for name in ("龙潭分局", "吉林市统计局", "湖南省统计局")
            if name in page
        }

    assert "湖南省统计局" not in listed(world.clerk)
    assert "龙潭分局" in listed(world.clerk)
    assert listed(world.reviewer) >= {"龙潭分局", "吉林市统计局"}
    assert "湖南省统计局" not in listed(world.reviewer)
    assert listed(world.outsider) == {"湖南省统计局"}


@pytest.mark.parametrize("suffix", ["change/", "history/", "delete/"])
def test_report_pages_outside_the_scope_answer_404(
    world: World, reports: dict, suffix: str
) -> None:
    url = f"{LIST}{reports['district'].pk}/{suffix}"
    response = client_for(world.outsider).get(url)
    assert response.status_code == 404
    assert "龙潭" not in response.content.decode()
    assert (
        client_for(world.clerk).get(f"{LIST}{reports['other'].pk}/{suffix}").status_code
        == 404
    )


def test_reviewer_gets_the_read_only_review_page(world: World, reports: dict) -> None:
    response = client_for(world.reviewer).get(change_url(reports["district"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="_submit"' not in page and 'name="a1_total"' not in page
    posted = client_for(world.reviewer).post(
        change_url(reports["district"]), form_data(reports["district"], a1_total="9")
    )
    assert posted.status_code == 400  # the review page takes only its buttons
    assert "a1_total" not in report_values(reports["district"])


def test_new_report_offers_only_filing_agencies(world: World) -> None:
    page = client_for(world.clerk).get(f"{LIST}add/").content.decode()
    select = re.search(r'<select name="agency".*?</select>', page, re.S)[0]
    options = set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select))
    assert options == {"吉林市统计局龙潭分局"}
    refused = client_for(world.clerk).post(
        f"{LIST}add/", {"agency": world.other_bureau.pk, "year": 2017}
    )
    assert refused.status_code == 200
    assert not AnnualReport.objects.filter(agency=world.other_bureau).exists()


def test_one_click_creates_and_a_duplicate_links_to_the_first(world: World) -> None:
    client = client_for(world.clerk)
    listing = client.get(LIST).content.decode()
    year = NewReportForm.default_year()
    assert f"新建 吉林市统计局龙潭分局 {year} 年度报告" in listing
    created = client.post(f"{LIST}add/", {"agency": world.district.pk, "year": 2017})
    report = AnnualReport.objects.get(agency=world.district, year=2017)
    assert created.status_code == 302 and created["Location"] == change_url(report)
    again = client.post(
        f"{LIST}add/", {"agency": world.district.pk, "year": 2017}, follow=True
    )
    text = again.content.decode()
    assert "已存在" in text and f'href="{change_url(report)}"' in text
    assert AnnualReport.objects.filter(agency=world.district).count() == 1


def test_change_page_lays_out_the_official_form(world: World) -> None:
    report = make_report(agency=world.district, year=2022)
    page = client_for(world.clerk).get(change_url(report)).content.decode()
    assert "三、收到和处理政府信息公开申请情况" in page
    assert "法人或其他组织" in page and "勾稽关系" in page
    assert page.count('class="nb-cell"') == len(report.table_format.cells)
    assert 'id="id_b3_new__np"' in page and 'id="id_b4_review_total"' in page


def test_change_page_query_count_does_not_grow_with_cells(world: World) -> None:
    client = client_for(world.clerk)
    small = make_report(
        agency=world.district, year=2017, values=seed_tables.typed(seed_tables.SEED_003)
    )
    big = make_report(agency=world.district, year=2022, values={"b3_new__np": "1"})
    assert len(big.table_format.cells) > 3 * len(small.table_format.cells)
    client.get(change_url(small))  # warm caches (session, content types)

    def queries(report: AnnualReport) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(change_url(report)).status_code == 200
        return len(captured)

    assert queries(small) == queries(big)


def test_changelist_query_count_does_not_grow_with_rows(world: World) -> None:
    client = client_for(world.reviewer)
    for year in (2015, 2016):
        make_report(agency=world.district, year=year)
    client.get(LIST)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"year": "2017"}).status_code == 200
            assert client.get(LIST).status_code == 200
        return len(captured)

    few = queries()
    for n in range(12):
        agency = make_agency(parent=world.city_bureau, code=f"more-{n}")
        make_report(agency=agency, year=2016)
    assert queries() == few


def test_save_draft_keeps_blanks_and_broken_sums(world: World, reports: dict) -> None:
    report = reports["district"]
    client = client_for(world.clerk)
    data = form_data(
        report, a4_reviews="101", a4_rev_upheld="56", a4_rev_corrected="24"
    )
    data["a4_rev_other"] = "1"
    response = client.post(change_url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.error_count == 1
    assert report_values(report)["a4_reviews"] == 101
    page = client.get(change_url(report)).content.decode()
    assert "行政复议数量 101 ≠" in page and 'href="#id_a4_reviews"' in page


def test_an_unreadable_value_is_marked_and_nothing_is_saved(
    world: World, reports: dict
) -> None:
    report = reports["district"]
    response = client_for(world.clerk).post(
        change_url(report), form_data(report, a1_total="5", a3_received="十五")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "不是数字" in page and "收到申请数" in page
    assert 'value="5"' in page  # what was typed is kept on the page
    report.refresh_from_db()
    assert report.version == 1 and report_values(report) == {}


def test_second_clerk_is_refused_and_sees_what_changed(
    world: World, reports: dict
) -> None:
    report = reports["district"]
    stale = form_data(report, a1_total="7", a1_website="7")
    report_save_values(
        report=report, user=world.clerk, expected_version=1, values={"a1_total": "5"}
    )
    response = client_for(world.clerk).post(change_url(report), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "没有保存" in page and "采用对方的值" in page
    assert 'value="7"' in page  # the second clerk's typing is kept
    assert report_values(report)["a1_total"] == 5
    assert "a1_website" not in report_values(report)
    # Their next save, after merging, is accepted.
    merged = dict(stale, version=re.search(r'name="version" value="(\d+)"', page)[1])
    assert client_for(world.clerk).post(change_url(report), merged).status_code == 302
    assert report_values(report)["a1_website"] == 7


def test_a_double_submit_is_harmless(world: World, reports: dict) -> None:
    report = reports["district"]
    data = form_data(report, a1_total="5")
    client = client_for(world.clerk)
    assert client.post(change_url(report), data).status_code == 302
    again = client.post(change_url(report), data, follow=True)
    assert "没有改动，无需保存" in again.content.decode()
    report.refresh_from_db()
    assert report.version == 2 and report.changes.count() == 1


def test_submit_is_refused_while_missing_then_needs_explanations(
    world: World, reports: dict
) -> None:
    report = reports["district"]
    client = client_for(world.clerk)
    data = form_data(report, a1_total="5")
    data["_submit"] = "提交审核"
    page = client.post(change_url(report), data, follow=True).content.decode()
    assert "不能提交审核" in page
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT

    complete = dict.fromkeys(report.table_format.cells, "0")
    complete.update({"a9_trainings": "2", "a9_trainees": "1"})  # a warning
    sections = {f"section__{s.key}": "内容" for s in report.table_format.sections}
    signers = {
        "signed_head": "宋玉玲",
        "signed_reviewer": "李永吉",
        "signed_preparer": "刘沛雨",
        "contact_phone": "63041864",
        "filled_on": "2018-03-01",
    }
    report.refresh_from_db()
    data = form_data(report, **complete, **sections, **signers)
    data["_submit"] = "提交审核"
    page = client.post(change_url(report), data, follow=True).content.decode()
    assert "请说明" in page
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT and report.missing_count == 0

    data = form_data(report, **complete, **sections, **signers)
    data["_submit"] = "提交审核"
    data["explain__a_trainees|a9_trainees/a9_trainings"] = "培训为线上，人数另计"
    client.post(change_url(report), data)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.SUBMITTED
    assert report.explanations == {
        "a_trainees|a9_trainees/a9_trainings": "培训为线上，人数另计"
    }
    assert report.events.get().to_status == AnnualReport.Status.SUBMITTED


def test_history_shows_who_changed_which_cell(world: World, reports: dict) -> None:
    report = reports["district"]
    report_save_values(
        report=report, user=world.clerk, expected_version=1, values={"a1_total": "5"}
    )
    url = f"{LIST}{report.pk}/history/"
    page = client_for(world.reviewer).get(url).content.decode()
    label = report.table_format.cells["a1_total"].display_name
    assert label in page and "clerk" in page and "（空白）" in page
    assert "a1_total" not in page  # users read labels, never cell codes
    assert client_for(world.outsider).get(url).status_code == 404


def test_a_draft_can_be_deleted_but_a_submitted_report_cannot(
    world: World, reports: dict
) -> None:
    from reports.services import ReportError, report_delete

    report = reports["district"]
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.SUBMITTED
    )
    report.events.create(from_status="draft", to_status="submitted")
    # Clerks delete nothing; even a superuser cannot delete a submitted report.
    client = client_for(make_user(superuser=True))
    delete = f"{LIST}{report.pk}/delete/"
    assert client_for(world.clerk).post(delete, {"post": "yes"}).status_code == 403
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # Returned, it is editable again but still not deletable: it has a history.
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.DRAFT)
    report.refresh_from_db()
    with pytest.raises(ReportError):
        report_delete(report=report, user=world.clerk)
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AnnualReport.objects.filter(pk=report.pk).exists()
    assert "delete_selected" not in client.get(LIST).content.decode()

    draft = make_report(agency=world.district, year=2016, values={"a1_total": "1"})
    assert client.post(f"{LIST}{draft.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not AnnualReport.objects.filter(pk=draft.pk).exists()


def test_the_review_queue_button_is_for_reviewers(world: World) -> None:
    clerk_page = client_for(world.clerk).get(LIST).content.decode()
    reviewer_page = client_for(world.reviewer).get(LIST).content.decode()
    assert "审核队列" not in clerk_page
    assert "审核队列" in reviewer_page
