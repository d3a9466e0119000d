"""Every import, export and review transition leaves an event, from the one
place each is written, with the user and the address of the request."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from audit.models import AuditEvent
from reports.models import AnnualReport, ImportJob
from reports.services import ReportError, report_approve
from reports.tasks import run_import_job
from tests.conftest import World
from tests.factories import make_report, make_xlsx
from tests.reports.seed_tables import seed_text as seed
from tests.reports.services.test_review import submitted
from tests.reports.test_resources import ROWS, XLSX, confirm, upload
from tests.reports.views.test_imports import confirm as confirm_text
from tests.reports.views.test_imports import url as import_url

Kind = AuditEvent.Kind
ADDRESS = "192.0.2.33"


def signed_in(user: object) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture(autouse=True)
def preview_store(settings: object, tmp_path: object) -> None:
    settings.NIANBAO_IMPORT_PREVIEW_DIR = tmp_path / "previews"  # type: ignore[attr-defined, operator]


def test_a_review_transition_is_recorded(world: World) -> None:
    report = submitted(world)
    submit = AuditEvent.objects.get(kind=Kind.REVIEW, action="submit")
    assert (submit.user, submit.report, submit.agency) == (
        world.clerk,
        report,
        world.district,
    )
    report_approve(report=report, user=world.reviewer, expected_version=report.version)
    approve = AuditEvent.objects.get(kind=Kind.REVIEW, action="approve")
    assert approve.user == world.reviewer
    assert "已提交 → 已通过" in approve.summary


def test_a_refused_transition_records_nothing(world: World) -> None:
    report = submitted(world)
    before = AuditEvent.objects.count()
    with pytest.raises(ReportError):
        report_approve(
            report=report, user=world.reviewer, expected_version=report.version - 1
        )
    assert AuditEvent.objects.count() == before


def test_a_review_through_the_page_records_the_address(world: World) -> None:
    report = submitted(world)
    client = signed_in(world.reviewer)
    response = client.post(
        f"/admin/reports/annualreport/{report.pk}/review/",
        {"transition": "approve", "expected_version": report.version},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    event = AuditEvent.objects.get(kind=Kind.REVIEW, action="approve")
    assert (event.user, event.address) == (world.reviewer, ADDRESS)


def test_the_flat_import_confirm_records_each_report(world: World) -> None:
    client = signed_in(world.clerk)
    preview = upload(client, make_xlsx(ROWS), "reports.xlsx", XLSX)
    assert not AuditEvent.objects.filter(kind=Kind.IMPORT).exists()  # dry run
    confirm(client, preview)
    report = AnnualReport.objects.get(agency=world.district, year=2017)
    event = AuditEvent.objects.get(kind=Kind.IMPORT)
    assert (event.action, event.report, event.agency) == (
        "bulk",
        report,
        world.district,
    )
    assert (event.user, event.address) == (world.clerk, ADDRESS)


def test_the_per_report_import_confirm_is_recorded(world: World) -> None:
    report = make_report(agency=world.district, year=2017)
    client = signed_in(world.clerk)
    preview = client.post(import_url(report), {"kind": "text", "text": seed("003")})
    assert not AuditEvent.objects.filter(kind=Kind.IMPORT).exists()
    response = confirm_text(client, report, preview.content.decode(), tick=True)
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=Kind.IMPORT)
    assert (event.action, event.report, event.user, event.address) == (
        "report",
        report,
        world.clerk,
        ADDRESS,
    )


def test_a_background_import_is_recorded_for_its_user(
    world: World, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    job = ImportJob(user=world.clerk, filename="big.xlsx")
    job.file.save("big.xlsx", ContentFile(make_xlsx(ROWS)))
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    event = AuditEvent.objects.get(kind=Kind.IMPORT)
    assert (event.user, event.agency, event.address) == (
        world.clerk,
        world.district,
        None,  # no request in the worker
    )


def test_a_download_is_recorded(world: World) -> None:
    report = make_report(agency=world.district, year=2017)
    client = signed_in(world.clerk)
    response = client.get(f"/admin/reports/annualreport/{report.pk}/export/xlsx/")
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=Kind.EXPORT)
    assert (event.user, event.report, event.agency, event.address) == (
        world.clerk,
        report,
        world.district,
        ADDRESS,
    )
    assert ".xlsx" in event.summary


def test_a_refused_download_is_not_recorded(world: World) -> None:
    report = make_report(agency=world.district, year=2017)
    client = signed_in(world.outsider)
    response = client.get(f"/admin/reports/annualreport/{report.pk}/export/xlsx/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind=Kind.EXPORT).exists()
