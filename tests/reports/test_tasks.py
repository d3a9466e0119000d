"""Big files in the background: the job, its progress, its scope."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.utils import timezone

from reports import tasks
from reports.models import AnnualReport, ImportJob, ReportValue
from reports.selectors import report_values
from reports.services import bulk_write, report_save_values
from reports.services.imports import ImportOutcome
from reports.tasks import run_import_job
from tests.conftest import World
from tests.factories import client_for, make_report, make_xlsx

JOBS = "/admin/reports/annualreport/import-job/"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path) -> None:  # noqa: ANN001
    settings.MEDIA_ROOT = tmp_path


def job_for(user, rows: list[list[object]]) -> ImportJob:  # noqa: ANN001
    job = ImportJob(user=user, filename="big.xlsx")
    job.file.save("big.xlsx", ContentFile(make_xlsx(rows)))
    return job


def test_job_checks_then_imports_everything(world: World) -> None:
    rows = [["agency_code", "year", "a1_total"]] + [
        ["t-jl-lt", year, year - 2000] for year in range(2008, 2019)
    ]
    job = job_for(world.clerk, rows)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.done, job.total) == (11, 11)
    assert "新建 11 份" in job.summary
    assert AnnualReport.objects.filter(agency=world.district).count() == 11


def test_job_with_one_bad_row_imports_nothing(world: World) -> None:
    rows = [
        ["agency_code", "year", "a1_total"],
        ["t-jl-lt", 2016, 1],
        ["t-jl-lt", 2017, "很多"],
    ]
    job = job_for(world.clerk, rows)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        "第 3 行「a1_total」列：「主动公开政府信息数」的值“很多”不是数字。"
    ]
    assert AnnualReport.objects.count() == 0


def test_job_with_a_broken_file_fails_with_the_reason(world: World) -> None:
    job = ImportJob(user=world.clerk, filename="big.xlsx")
    job.file.save("big.xlsx", ContentFile(b"%PDF-1.4 not a sheet"))
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "不是 XLSX 或 CSV 文件" in job.errors[0]


def test_upload_enqueues_and_the_page_follows_the_job(
    world: World,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    client = client_for(world.clerk)
    data = make_xlsx([["agency_code", "year", "a1_total"], ["t-jl-lt", 2017, 5]])
    upload = io.BytesIO(data)
    upload.name = "big.xlsx"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(JOBS, {"file": upload})
    assert response.status_code == 302
    assert len(callbacks) == 1  # the task is enqueued when the upload commits
    job = ImportJob.objects.get()
    run_import_job.call(job.pk)  # what the worker does
    status = client.get(f"{JOBS}{job.pk}/status/").json()
    assert status["status"] == "done" and status["finished"]
    page = client.get(f"{JOBS}{job.pk}/").content.decode()
    assert "big.xlsx" in page and "已导入" in page
    # Another user's job is not even there for them.
    assert client_for(world.outsider).get(f"{JOBS}{job.pk}/status/").status_code == 404
    assert client_for(world.reviewer).get(JOBS).status_code == 403


# Nothing sticks, nothing is half-applied ----------------------------------------


def test_a_database_error_in_the_write_applies_nothing_and_fails_the_job(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = make_report(agency=world.district, year=2016, values={"a1_total": 1})
    rows = [
        ["agency_code", "year", "a1_total"],
        ["t-jl-lt", 2016, 9],
        ["t-jl-lt", 2017, 5],
    ]
    job = job_for(world.clerk, rows)

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("could not extend file: No space left on device")

    # Reports and values are written; the change record is not.
    monkeypatch.setattr(bulk_write, "insert_changes", broken)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.finished
    assert "后台导入意外中断，没有导入任何报告" in job.summary
    assert job.errors == ["错误类型：DatabaseError（详情见服务器日志）。"]
    # Nothing half-applied: no new report, the old one as it was.
    assert list(AnnualReport.objects.filter(agency=world.district)) == [existing]
    stored = AnnualReport.objects.get(pk=existing.pk)
    assert stored.version == existing.version
    assert report_values(stored) == {"a1_total": 1}
    assert ReportValue.objects.filter(report__year=2017).count() == 0


def test_a_report_saved_between_check_and_write_is_not_overwritten(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = make_report(agency=world.district, year=2016, values={"a1_total": 1})
    rows = [["agency_code", "year", "a1_total"], ["t-jl-lt", 2016, 9]]
    job = job_for(world.clerk, rows)
    real = tasks.reports_import

    def clerk_saves_after_the_check(**kwargs: Any) -> ImportOutcome:
        outcome = real(**kwargs)
        if kwargs["dry_run"]:
            report_save_values(
                report=AnnualReport.objects.get(pk=existing.pk),
                user=world.clerk,
                expected_version=existing.version,
                values={"a1_total": 7},
            )
        return outcome

    monkeypatch.setattr(tasks, "reports_import", clerk_saves_after_the_check)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "没有导入任何报告" in job.summary
    assert any("在预览之后已被修改" in error for error in job.errors)
    assert report_values(AnnualReport.objects.get(pk=existing.pk)) == {"a1_total": 7}


def test_a_job_whose_file_is_gone_fails_with_the_reason(world: World) -> None:
    job = job_for(world.clerk, [["agency_code", "year"], ["t-jl-lt", 2017]])
    job.file.storage.delete(job.file.name)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == ["找不到上传的文件（可能已被清理），请重新上传。"]


def test_an_unexpected_error_in_the_check_fails_the_job(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = job_for(world.clerk, [["agency_code", "year"], ["t-jl-lt", 2017]])

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a1_total")

    monkeypatch.setattr(tasks, "parse_flat_file", broken)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "意外中断" in job.summary
    assert job.errors == ["错误类型：KeyError（详情见服务器日志）。"]
    assert AnnualReport.objects.count() == 0


def stalled(job: ImportJob, status: str, minutes: int) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, heartbeat_at=timezone.now() - timedelta(minutes=minutes)
    )
    job.refresh_from_db()
    return job


def test_a_job_whose_worker_died_is_shown_failed_and_can_be_retried(
    world: World,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    rows = [["agency_code", "year", "a1_total"], ["t-jl-lt", 2017, 5]]
    busy = stalled(job_for(world.clerk, rows), ImportJob.Status.WRITING, 2)
    dead = stalled(job_for(world.clerk, rows), ImportJob.Status.CHECKING, 11)
    client = client_for(world.clerk)
    status = client.get(f"{JOBS}{dead.pk}/status/").json()
    assert status["status"] == "failed" and status["finished"]
    assert "超过 10 分钟没有进展" in status["summary"]
    assert "没有导入任何报告" in status["summary"]
    # A job still beating is left alone.
    assert client.get(f"{JOBS}{busy.pk}/status/").json()["status"] == "writing"
    page = client.get(f"{JOBS}{dead.pk}/").content.decode()
    assert 'name="_retry"' in page and "重新导入" in page
    assert 'name="_retry"' not in client.get(f"{JOBS}{busy.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{JOBS}{dead.pk}/", {"_retry": "重新导入"})
    assert response.status_code == 302
    retry = ImportJob.objects.exclude(pk__in=[busy.pk, dead.pk]).get()
    assert response["Location"] == f"{JOBS}{retry.pk}/"
    assert (retry.user, retry.file.name, retry.filename) == (
        world.clerk,
        dead.file.name,
        "big.xlsx",
    )
    run_import_job.call(retry.pk)  # what the worker does
    retry.refresh_from_db()
    assert retry.status == ImportJob.Status.DONE
    assert AnnualReport.objects.filter(agency=world.district, year=2017).exists()


def test_a_job_never_started_is_shown_failed_and_a_late_worker_skips_it(
    world: World,
) -> None:
    rows = [["agency_code", "year", "a1_total"], ["t-jl-lt", 2017, 5]]
    job = stalled(job_for(world.clerk, rows), ImportJob.Status.QUEUED, 11)
    page = client_for(world.clerk).get(JOBS).content.decode()
    assert "未导入" in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "仍未开始" in job.summary
    run_import_job.call(job.pk)  # the worker comes back: the clerk retries instead
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert AnnualReport.objects.count() == 0


def test_a_running_job_cannot_be_retried(world: World) -> None:
    rows = [["agency_code", "year", "a1_total"], ["t-jl-lt", 2017, 5]]
    job = stalled(job_for(world.clerk, rows), ImportJob.Status.CHECKING, 1)
    response = client_for(world.clerk).post(f"{JOBS}{job.pk}/", {"_retry": "1"})
    assert response.status_code == 302
    assert ImportJob.objects.count() == 1
