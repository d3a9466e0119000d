"""Background tasks (Django's tasks framework; the worker is ``db_worker``).

Imports and exports of many reports.


A background import never sticks and is never half-applied. The worker checks
the whole file (visible progress), then writes it all in one transaction,
refusing any report saved since the check. Whatever goes wrong marks the job
failed with a message in Chinese; a job whose worker died (no heartbeat for
``STALL_AFTER``) is marked failed by ``fail_stalled_jobs``, which the job pages
call, and is never resumed: the clerk retries it (``retry_job``).
"""

import logging
import secrets
import tempfile
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from reports.importers.flat import FlatSheetError
from reports.importers.flat_template import parse_flat_file
from reports.importers.sheets import SpreadsheetError, read_sheet
from reports.models import AnnualReport, ExportJob, ImportJob
from reports.resources import ReportExportResource
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


# Exports ----------------------------------------------------------------------
#
# A background export writes the file of the reports selected (``ExportJob.
# reports``), read within its owner's scope as it is when the job runs, and
# keeps it for its owner to download for ``EXPORT_KEPT``. A job whose worker
# died is marked failed (``fail_stalled_exports``, called by the job pages);
# the user exports again from the report list.

EXPORT_KEPT = timedelta(days=1)
LARGE_EXPORT = 20_000  # reports: past this, the XLSX may pass 2 GB of XML
SELECTION_BATCH = 5000
Export = ExportJob.Status


class _GivenUp(Exception):
    """The job was marked failed while it ran: stop writing."""


def export_job_start(
    *, user: AbstractBaseUser, reports: QuerySet[AnnualReport], kind: str
) -> ExportJob:
    """Queue the export of ``reports`` for ``user``; it is enqueued when the
    selection is committed."""
    through = ExportJob.reports.through
    ids = list(reports.order_by().values_list("pk", flat=True).distinct())
    with transaction.atomic():
        job = ExportJob.objects.create(user=user, kind=kind, total=len(ids))
        through.objects.bulk_create(
            (through(exportjob_id=job.pk, annualreport_id=pk) for pk in ids),
            batch_size=SELECTION_BATCH,
        )
        transaction.on_commit(lambda: run_export_job.enqueue(job.pk))
    return job


def _set_export(job_id: int, **fields: object) -> bool:
    """Update a running export, with a heartbeat; False if it is not running."""
    jobs = ExportJob.objects.filter(
        pk=job_id, status__in=(Export.QUEUED, Export.RUNNING)
    )
    return bool(jobs.update(heartbeat_at=timezone.now(), **fields))


@task
def run_export_job(job_id: int) -> None:
    """Write the file of the job's reports; see the section's comment."""
    claimed = ExportJob.objects.filter(pk=job_id, status=Export.QUEUED).update(
        status=Export.RUNNING, heartbeat_at=timezone.now()
    )
    if not claimed:
        logger.warning("Export job %s is not queued: not run.", job_id)
        return
    try:
        _export(job_id)
    except _GivenUp:
        logger.warning("Export job %s was given up while it ran.", job_id)
    except BaseException as exc:
        logger.exception("Export job %s failed.", job_id)
        _set_export(
            job_id,
            status=Export.FAILED,
            finished_at=timezone.now(),
            summary=f"后台导出意外中断（错误类型：{type(exc).__name__}，详情见服务器"
            "日志），没有生成文件。请回到报告列表重新导出；如仍失败，请告诉系统管理员。",
        )
        if not isinstance(exc, Exception):  # the worker is being stopped
            raise
    finally:
        ExportJob.reports.through.objects.filter(exportjob_id=job_id).delete()


def _export(job_id: int) -> None:
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    resource = ReportExportResource(user=job.user)
    selected = AnnualReport.objects.filter(pk__in=job.reports.values("pk"))
    total = resource.filter_export(selected).count()  # the scope as it is now
    _set_export(job_id, total=total, done=0)

    def progress(done: int) -> None:
        if not _set_export(job_id, done=done):
            raise _GivenUp

    with tempfile.TemporaryFile() as handle:
        count = resource.write(
            selected,
            handle,
            kind=job.kind,
            progress=progress,
            large=total > LARGE_EXPORT,
        )
        handle.seek(0)
        job.file.save(f"{secrets.token_hex(16)}.{job.kind}", File(handle), save=False)
    finished = _set_export(
        job_id,
        status=Export.DONE,
        file=job.file.name,
        total=count,
        done=count,
        finished_at=timezone.now(),
        summary=f"已导出 {count} 份报告。",
    )
    if not finished:  # given up while the file was saved
        job.file.delete(save=False)


def fail_stalled_exports() -> int:
    """Mark failed the exports whose worker died or never came; how many."""
    now = timezone.now()
    minutes = int(STALL_AFTER.total_seconds() // 60)
    stalled = ExportJob.objects.filter(heartbeat_at__lt=now - STALL_AFTER)
    count = stalled.filter(status=Export.QUEUED).update(
        status=Export.FAILED,
        finished_at=now,
        summary=f"后台导出排队超过 {minutes} 分钟仍未开始（后台任务进程可能没有运行），"
        "没有生成文件。请回到报告列表重新导出；如仍不开始，请联系系统管理员。",
    )
    count += stalled.filter(status=Export.RUNNING).update(
        status=Export.FAILED,
        finished_at=now,
        summary=f"后台导出中断：超过 {minutes} 分钟没有进展（后台任务进程可能已停止），"
        "没有生成文件。请回到报告列表重新导出。",
    )
    return count


def expire_exports() -> int:
    """Delete the files of exports finished more than ``EXPORT_KEPT`` ago."""
    old = ExportJob.objects.filter(
        status=Export.DONE, finished_at__lt=timezone.now() - EXPORT_KEPT
    ).exclude(file="")
    count = 0
    for job in old:
        job.file.delete(save=False)
        count += ExportJob.objects.filter(pk=job.pk).update(
            file="", summary=f"{job.summary}文件已于保存期满后删除，如需要请重新导出。"
        )
    return count
