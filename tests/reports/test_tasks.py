"""Big files in the background: the job, its progress, its scope."""

import io

import pytest
from django.core.files.base import ContentFile

from reports.models import AnnualReport, ImportJob
from reports.tasks import run_import_job
from tests.conftest import World
from tests.factories import client_for, make_xlsx

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
