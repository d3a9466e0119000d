"""Background tasks (Django's tasks framework; the worker is ``db_worker``).

A background import never sticks and is never half-applied. The worker checks
the whole file (visible progress), then writes it all in one transaction,
refusing any report saved since the check. Whatever goes wrong marks the job
failed with a message in Chinese; a job whose worker died (no heartbeat for
``STALL_AFTER``) is marked failed by ``fail_stalled_jobs``, which the job pages
call, and is never resumed: the clerk retries it (``retry_job``).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from reports.importers.flat import FlatSheetError
from reports.importers.flat_template import parse_flat_file
from reports.importers.sheets import SpreadsheetError, read_sheet
from reports.models import ImportJob
from reports.services.imports import reports_import

logger = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 500
STALL_AFTER = timedelta(minutes=10)
Status = ImportJob.Status
RUNNING = (Status.QUEUED, Status.CHECKING, Status.WRITING)
NOTHING = "没有导入任何报告。"


class JobRefused(Exception):
    """The file or its reports were refused: the job fails with ``errors``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _set(job_id: int, **fields: object) -> bool:
    """Update a job still running, with a heartbeat; False if it is not."""
    jobs = ImportJob.objects.filter(pk=job_id, status__in=RUNNING)
    return bool(jobs.update(heartbeat_at=timezone.now(), **fields))


@task
def run_import_job(job_id: int) -> None:
    """Check the whole file, then write it all or nothing; see the module doc."""
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.CHECKING, heartbeat_at=timezone.now()
    )
    if not claimed:  # given up while queued, or already run
        logger.warning("Import job %s is not queued: not run.", job_id)
        return
    try:
        _run(job_id)
    except JobRefused as refused:
        _fail(job_id, refused.errors)
    except BaseException as exc:
        logger.exception("Import job %s failed.", job_id)
        _fail(
            job_id,
            [f"错误类型：{type(exc).__name__}（详情见服务器日志）。"],
            summary=f"后台导入意外中断，{NOTHING}请点“重新导入”再试一次；"
            "如仍失败，请把本页的错误类型告诉系统管理员。",
        )
        if not isinstance(exc, Exception):  # the worker is being stopped
            raise


def _run(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        raise JobRefused(["找不到上传的文件（可能已被清理），请重新上传。"]) from None
    try:
        incoming = parse_flat_file(read_sheet(data, filename=job.filename))
    except SpreadsheetError as refused:
        raise JobRefused([refused.message]) from None
    except FlatSheetError as refused:
        raise JobRefused(refused.messages) from None
    _set(job_id, total=len(incoming))

    def progress(done: int, total: int) -> None:
        _set(job_id, done=done, total=total)

    # The check runs outside any transaction, so its progress is visible.
    checked = reports_import(
        incoming=incoming, user=job.user, dry_run=True, progress=progress
    )
    if not checked.ok:
        raise JobRefused(checked.errors)
    if not _set(job_id, status=Status.WRITING, done=len(incoming)):
        return  # given up meanwhile (shown failed): nothing is written
    with transaction.atomic():
        # The job's row stays locked while writing: the reports are written
        # and the job done, or neither.
        jobs = ImportJob.objects.select_for_update().filter(pk=job_id)
        if jobs.filter(status=Status.WRITING).first() is None:
            return
        # A report saved since the check is refused, not overwritten.
        outcome = reports_import(
            incoming=incoming,
            user=job.user,
            dry_run=False,
            expected_versions=checked.versions(),
        )
        if not outcome.ok:
            raise JobRefused(outcome.errors)
        _set(
            job_id,
            status=Status.DONE,
            finished_at=timezone.now(),
            summary=(
                f"新建 {outcome.total('new')} 份，更新 {outcome.total('update')} 份，"
                f"{outcome.total('unchanged')} 份无变化。"
            ),
        )


def _fail(job_id: int, errors: list[str], *, summary: str = "") -> None:
    kept = errors[:MAX_ERRORS_KEPT]
    if len(errors) > MAX_ERRORS_KEPT:
        kept.append(f"……另有 {len(errors) - MAX_ERRORS_KEPT} 条错误未列出。")
    _set(
        job_id,
        status=Status.FAILED,
        finished_at=timezone.now(),
        errors=kept,
        summary=summary or f"有 {len(errors)} 处错误，{NOTHING}",
    )


def fail_stalled_jobs() -> int:
    """Mark failed the jobs whose worker died or never came; how many."""
    now = timezone.now()
    stalled = ImportJob.objects.filter(heartbeat_at__lt=now - STALL_AFTER)
    minutes = int(STALL_AFTER.total_seconds() // 60)
    count = stalled.filter(status=Status.QUEUED).update(
        status=Status.FAILED,
        finished_at=now,
        summary=f"后台导入排队超过 {minutes} 分钟仍未开始（后台任务进程可能没有运行），"
        f"{NOTHING}请点“重新导入”；如仍不开始，请联系系统管理员。",
    )
    count += stalled.filter(status__in=(Status.CHECKING, Status.WRITING)).update(
        status=Status.FAILED,
        finished_at=now,
        summary=f"后台导入中断：超过 {minutes} 分钟没有进展（后台任务进程可能已停止），"
        f"{NOTHING}请点“重新导入”。",
    )
    return count


def retry_job(job: ImportJob) -> ImportJob:
    """A new job for the same file and the same user, enqueued on commit."""
    retry = ImportJob.objects.create(
        user=job.user, file=job.file.name, filename=job.filename
    )
    transaction.on_commit(lambda: run_import_job.enqueue(retry.pk))
    return retry
