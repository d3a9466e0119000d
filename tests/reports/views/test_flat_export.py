"""The flat export in the admin: the 导出 button, the list actions, background
exports and their downloads, always within the user's scope."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from agencies.models import Agency, Membership
from reports import tasks
from reports.importers.sheets import read_sheet
from reports.models import AnnualReport, ExportJob
from reports.tasks import run_export_job
from reports.views import flat_export
from tests.conftest import World
from tests.factories import client_for, make_agency, make_member, make_report, make_user

LIST = "/admin/reports/annualreport/"
EXPORT = f"{LIST}export/"


def job_url(pk: int, what: str = "") -> str:
    return f"{LIST}export-job/{pk}/{what}"


@pytest.fixture
def reports(world: World) -> dict[str, AnnualReport]:
    """A report for each agency of the world, and a sibling agency's."""
    sibling = make_agency(
        parent=world.city_bureau, name="吉林市统计局船营分局", code="t-jl-cy"
    )
    made = {
        agency.code: make_report(agency=agency, values={"a1_total": 1})
        for agency in (
            world.province,
            world.city_bureau,
            world.district,
            sibling,
            world.other_bureau,
        )
    }
    made["t-jl-lt-2016"] = make_report(agency=world.district, year=2016)
    return made


@pytest.fixture
def sibling_clerk(reports: dict[str, AnnualReport]) -> AbstractUser:
    """A clerk of 船营分局, beside the clerk's 龙潭分局 under the same bureau."""
    return make_member(agency=Agency.objects.get(code="t-jl-cy"), username="sibling")


def exported(response: HttpResponse) -> list[tuple[str, int]]:
    """(agency code, year) of each report in an exported file."""
    assert response.status_code == 200, response.content[:500]
    assert "attachment" in response["Content-Disposition"]
    data = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    rows = read_sheet(data, filename="x.xlsx" if data[:2] == b"PK" else "x.csv").rows
    return sorted((str(row[0]), int(row[2])) for row in rows[2:])  # type: ignore[arg-type]


def post_export(client: Client, query: str = "", kind: str = "xlsx") -> HttpResponse:
    return client.post(f"{EXPORT}{query}", {"kind": kind})


def action(
    client: Client, name: str, ids: list[int], query: str = "", **extra: str
) -> HttpResponse:
    data = {"action": name, "_selected_action": [str(pk) for pk in ids], **extra}
    return client.post(f"{LIST}{query}", data)


# The page and the button ----------------------------------------------------


def test_the_list_offers_the_export_with_its_filters(
    world: World, reports: dict
) -> None:
    page = client_for(world.clerk).get(f"{LIST}?year=2017").content.decode()
    assert 'href="/admin/reports/annualreport/export/?year=2017"' in page
    assert "导出所选报告（XLSX）" in page and "导出所选报告（CSV）" in page
    form = client_for(world.clerk).get(f"{EXPORT}?year=2017").content.decode()
    assert "共 <b>1</b> 份报告" in form and "文件格式" in form


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_export_holds_the_filtered_list_of_the_users_scope(
    world: World, reports: dict, kind: str
) -> None:
    client = client_for(world.clerk)
    assert exported(post_export(client, kind=kind)) == [
        ("t-jl-lt", 2016),
        ("t-jl-lt", 2017),
    ]
    assert exported(post_export(client, "?year=2016", kind)) == [("t-jl-lt", 2016)]
    response = post_export(client, kind=kind)
    assert response["Content-Type"].startswith(
        "text/csv" if kind == "csv" else "application/vnd.openxmlformats"
    )
    assert (
        "filename*=utf-8''%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A"
        in response["Content-Disposition"]
    )


# Who gets what: the permission probes ------------------------------------------


def test_a_clerk_exports_only_their_agencys_reports(
    world: World, reports: dict
) -> None:
    assert exported(post_export(client_for(world.clerk), "?q=吉林")) == [
        ("t-jl-lt", 2016),
        ("t-jl-lt", 2017),
    ]


def test_a_reviewer_of_an_ancestor_exports_the_subtree(
    world: World, reports: dict
) -> None:
    assert exported(post_export(client_for(world.reviewer))) == [
        ("t-jl-cy", 2017),
        ("t-jl-lt", 2016),
        ("t-jl-lt", 2017),
        ("t-jl-tjj", 2017),
    ]


def test_an_outsider_exports_nothing_of_another_subtree(
    world: World, reports: dict
) -> None:
    client = client_for(world.outsider)
    assert exported(post_export(client)) == [("t-hn-tjj", 2017)]
    response = post_export(client, "?q=t-jl-lt")
    assert response.status_code == 302  # nothing there: no file at all
    assert b"t-jl-lt" not in response.content
    page = client.get(f"{EXPORT}?q=吉林").content.decode()
    assert "共 <b>0</b> 份报告" in page and "吉林市统计局龙潭分局" not in page


def test_a_sibling_clerk_does_not_get_the_clerks_reports(
    world: World, reports: dict, sibling_clerk: AbstractUser
) -> None:
    assert exported(post_export(client_for(sibling_clerk))) == [("t-jl-cy", 2017)]


def test_selected_rows_outside_the_scope_are_not_exported(
    world: World, reports: dict
) -> None:
    mine, theirs = reports["t-jl-lt"], reports["t-hn-tjj"]
    client = client_for(world.outsider)
    response = action(client, "export_selected_xlsx", [mine.pk])
    assert response.status_code == 302 and "attachment" not in response.get(
        "Content-Disposition", ""
    )
    assert exported(action(client, "export_selected_csv", [mine.pk, theirs.pk])) == [
        ("t-hn-tjj", 2017)
    ]
    assert exported(
        action(client_for(world.clerk), "export_selected_xlsx", [mine.pk])
    ) == [("t-jl-lt", 2017)]


def test_select_all_exports_the_whole_filtered_list(
    world: World, reports: dict
) -> None:
    response = action(
        client_for(world.reviewer),
        "export_selected_xlsx",
        [reports["t-jl-lt"].pk],
        "?year=2017",
        select_across="1",
    )
    assert len(exported(response)) == 3


def test_without_the_view_permission_there_is_no_export(
    world: World, reports: dict
) -> None:
    nobody = make_user(username="nobody")
    client = client_for(nobody)
    assert client.get(EXPORT).status_code == 403
    assert post_export(client).status_code == 403
    assert client.get(LIST).status_code == 403
    anonymous = Client()
    assert anonymous.get(EXPORT).status_code == 302
    assert "/login/" in anonymous.get(EXPORT)["Location"]


def test_a_user_without_memberships_exports_nothing(db: None) -> None:
    stray = make_member(agency=make_agency(code="lonely"), username="stray")
    Membership.objects.filter(user=stray).delete()
    make_report(agency=make_agency(code="other"))
    assert post_export(client_for(stray)).status_code == 302


# Bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["?year=abc", "?status=x", "?q=%00", "?nonsense=1", "?o=999", "?p=x"]
)
def test_bad_filters_send_back_to_the_list_never_a_500(
    world: World, reports: dict, query: str
) -> None:
    client = client_for(world.clerk)
    for response in (client.get(f"{EXPORT}{query}"), post_export(client, query)):
        assert response.status_code in (200, 302), query
        if query in ("?q=%00", "?nonsense=1"):  # what the list refuses too
            assert response["Location"] == f"{LIST}?e=1"
        elif "attachment" in response.get("Content-Disposition", ""):
            # A filter the list ignores (as its own page does): still the scope.
            assert {code for code, _year in exported(response)} == {"t-jl-lt"}


def test_an_unknown_format_is_refused_in_the_form(world: World, reports: dict) -> None:
    response = client_for(world.clerk).post(EXPORT, {"kind": "pdf"})
    assert response.status_code == 200 and "attachment" not in response.get(
        "Content-Disposition", ""
    )


# Background exports -------------------------------------------------------------


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flat_export, "INTERACTIVE_REPORTS", 1)


@pytest.fixture
def job(
    world: World,
    reports: dict,
    small_limit: None,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> Iterator[ExportJob]:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_export(client_for(world.reviewer), "?year=2017")
    created = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(created.pk)
    assert len(callbacks) == 1  # enqueued when the selection is committed
    assert created.total == 3 and created.reports.count() == 3
    yield created


def test_many_reports_go_to_a_job_that_its_owner_downloads(
    world: World, job: ExportJob
) -> None:
    client = client_for(world.reviewer)
    page = client.get(job_url(job.pk)).content.decode()
    assert "排队中" in page and "您可以离开此页面" in page
    assert client.get(job_url(job.pk, "download/")).status_code == 404  # not yet
    run_export_job.call(job.pk)  # what the worker does
    status = client.get(job_url(job.pk, "status/")).json()
    assert status["status"] == "done" and status["finished"]
    assert status["done"] == status["total"] == 3
    assert status["download"] == job_url(job.pk, "download/")
    assert "已导出 3 份报告" in client.get(job_url(job.pk)).content.decode()
    assert exported(client.get(job_url(job.pk, "download/"))) == [
        ("t-jl-cy", 2017),
        ("t-jl-lt", 2017),
        ("t-jl-tjj", 2017),
    ]
    job.refresh_from_db()
    assert job.reports.count() == 0  # the selection is forgotten
    assert "导出" in client.get(EXPORT).content.decode()  # listed on the page


@pytest.mark.parametrize("what", ["", "status/", "download/"])
def test_another_users_job_is_not_there(
    world: World, job: ExportJob, what: str, sibling_clerk: AbstractUser
) -> None:
    run_export_job.call(job.pk)
    for user in (world.clerk, world.outsider, sibling_clerk, make_user(superuser=True)):
        response = client_for(user).get(job_url(job.pk, what))
        assert response.status_code == 404, user
        assert b"t-jl" not in response.content
    assert client_for(world.reviewer).get(job_url(job.pk, what)).status_code == 200


def test_the_job_reads_the_owners_scope_as_it_is_when_it_runs(
    world: World, job: ExportJob
) -> None:
    Membership.objects.filter(user=world.reviewer).update(
        agency=Agency.objects.get(code="t-jl-cy")
    )
    run_export_job.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total) == (ExportJob.Status.DONE, 1)
    response = client_for(world.reviewer).get(job_url(job.pk, "download/"))
    assert exported(response) == [("t-jl-cy", 2017)]


def test_a_failing_export_says_so_and_leaves_no_file(
    world: World, job: ExportJob, monkeypatch: pytest.MonkeyPatch, settings
) -> None:  # noqa: ANN001
    def broken(*args: object, **kwargs: object) -> int:
        raise OSError("No space left on device")

    monkeypatch.setattr(tasks.ReportExportResource, "write", broken)
    run_export_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert "后台导出意外中断（错误类型：OSError" in job.summary
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.xlsx"))
    assert job.reports.count() == 0


def test_a_job_runs_once(world: World, job: ExportJob) -> None:
    run_export_job.call(job.pk)
    stamp = ExportJob.objects.get(pk=job.pk).finished_at
    run_export_job.call(job.pk)
    assert ExportJob.objects.get(pk=job.pk).finished_at == stamp


def test_a_job_whose_worker_died_is_shown_failed(world: World, job: ExportJob) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=11),
    )
    status = client_for(world.reviewer).get(job_url(job.pk, "status/")).json()
    assert status["status"] == "failed" and "中断" in status["summary"]
    run_export_job.call(job.pk)  # a late worker does nothing
    assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.FAILED


def test_a_job_given_up_while_it_runs_stops(
    world: World, job: ExportJob, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reports.exporters.flat.PROGRESS_EVERY", 1)
    real = tasks._set_export

    def given_up_at_the_first_row(job_id: int, **fields: object) -> bool:
        if fields.get("done"):  # the page marked it failed meanwhile
            ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED)
        return real(job_id, **fields)

    monkeypatch.setattr(tasks, "_set_export", given_up_at_the_first_row)
    run_export_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    assert job.reports.count() == 0


def test_an_old_file_expires(world: World, job: ExportJob) -> None:
    run_export_job.call(job.pk)
    job.refresh_from_db()
    path = Path(job.file.path)
    assert path.exists()
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timedelta(days=2)
    )
    client = client_for(world.reviewer)
    assert client.get(job_url(job.pk, "download/")).status_code == 404
    assert not path.exists()
    assert "文件已于保存期满后删除" in client.get(job_url(job.pk)).content.decode()


def test_the_download_of_a_vanished_file_is_a_404(world: World, job: ExportJob) -> None:
    run_export_job.call(job.pk)
    job.refresh_from_db()
    Path(job.file.path).unlink()
    assert (
        client_for(world.reviewer).get(job_url(job.pk, "download/")).status_code == 404
    )


def test_a_bad_job_address_is_a_404(world: World, reports: dict) -> None:
    client = client_for(world.clerk)
    for pk in (0, 999999):
        assert client.get(job_url(pk)).status_code == 404
    assert client.get(f"{LIST}export-job/abc/").status_code in (302, 404)
