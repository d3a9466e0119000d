"""Background tasks (Django's tasks framework; the worker is ``db_worker``)."""

from django.tasks import task
from django.utils import timezone

from reports.importers.flat import FlatSheetError, parse_flat
from reports.importers.sheets import SpreadsheetError, read_sheet
from reports.models import ImportJob
from reports.services.imports import reports_import

MAX_ERRORS_KEPT = 500


def _set(job_id: int, **fields: object) -> None:
    ImportJob.objects.filter(pk=job_id).update(**fields)


@task
def run_import_job(job_id: int) -> None:
    """Check the whole file (visible progress), then write it all or nothing."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    _set(job_id, status=ImportJob.Status.CHECKING)
    try:
        with job.file.open("rb") as handle:
            incoming = parse_flat(read_sheet(handle.read(), filename=job.filename))
    except SpreadsheetError as refused:
        return _fail(job_id, [refused.message])
    except FlatSheetError as refused:
        return _fail(job_id, refused.messages)
    _set(job_id, total=len(incoming))

    def progress(done: int, total: int) -> None:
        _set(job_id, done=done, total=total)

    # The check runs outside any transaction, so its progress is visible.
    checked = reports_import(
        incoming=incoming, user=job.user, dry_run=True, progress=progress
    )
    if not checked.ok:
        return _fail(job_id, checked.errors)
    _set(job_id, status=ImportJob.Status.WRITING, done=len(incoming))
    outcome = reports_import(incoming=incoming, user=job.user, dry_run=False)
    if not outcome.ok:  # something changed between the check and the write
        return _fail(job_id, outcome.errors)
    _set(
        job_id,
        status=ImportJob.Status.DONE,
        finished_at=timezone.now(),
        summary=(
            f"新建 {outcome.total('new')} 份，更新 {outcome.total('update')} 份，"
            f"{outcome.total('unchanged')} 份无变化。"
        ),
    )


def _fail(job_id: int, errors: list[str]) -> None:
    kept = errors[:MAX_ERRORS_KEPT]
    if len(errors) > MAX_ERRORS_KEPT:
        kept.append(f"……另有 {len(errors) - MAX_ERRORS_KEPT} 条错误未列出。")
    _set(
        job_id,
        status=ImportJob.Status.FAILED,
        finished_at=timezone.now(),
        errors=kept,
        summary=f"有 {len(errors)} 处错误，没有导入任何报告。",
    )
