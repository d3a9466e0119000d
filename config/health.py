"""/healthz: is the database answering, and is the task worker at work?

JSON, 200 when both are well and 503 otherwise, always within a second: the
checks run in a helper thread, and one that takes longer counts as failed.

The worker (``manage.py db_worker``) keeps no heartbeat of its own, so each
call enqueues a tiny ``heartbeat`` task unless one is already waiting. The
worker counts as stopped when a task has waited longer than
NIANBAO_WORKER_STALE_SECONDS and none finished in that time; a probe every
minute or so therefore keeps the answer fresh, and a worker that is merely
idle is never reported.
"""

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, connections
from django.db.models import Max, Min
from django.http import HttpRequest, JsonResponse
from django.tasks import task
from django.tasks.base import TASK_MAX_PRIORITY
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

TIMEOUT_SECONDS = 0.9

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


@task(priority=TASK_MAX_PRIORITY)
def heartbeat() -> None:
    """Done by the worker when /healthz asks: its finishing shows the worker
    alive. Clears the heartbeats finished before it, so they never pile up."""
    DBTaskResult.objects.finished().filter(task_path=heartbeat.module_path).delete()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def check_database() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_worker() -> dict[str, object]:
    now = timezone.now()
    window = timedelta(seconds=settings.NIANBAO_WORKER_STALE_SECONDS)
    results = DBTaskResult.objects.all()
    last_finished = results.finished().aggregate(at=Max("finished_at"))["at"]
    waiting = results.ready()
    oldest_waiting = waiting.aggregate(at=Min("enqueued_at"))["at"]
    ok = (last_finished is not None and now - last_finished <= window) or (
        oldest_waiting is None or now - oldest_waiting <= window
    )
    if not waiting.filter(task_path=heartbeat.module_path).exists():
        heartbeat.enqueue()
    return {
        "ok": ok,
        "last_finished": _iso(last_finished),
        "oldest_waiting": _iso(oldest_waiting),
    }


def run_checks() -> dict[str, dict[str, object]]:
    """Each check on its own: one failing does not hide the other's answer."""
    checks: dict[str, dict[str, object]] = {}
    try:
        for name, check in (("database", check_database), ("worker", check_worker)):
            try:
                checks[name] = check()
            except Exception as exc:  # reported in the answer, not raised
                checks[name] = {"ok": False, "error": type(exc).__name__}
    finally:
        connections.close_all()  # this thread's own connections
    return checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    future = _executor.submit(run_checks)
    try:
        checks = future.result(timeout=TIMEOUT_SECONDS)
    except FutureTimeout:
        checks = {"timeout": {"ok": False, "seconds": TIMEOUT_SECONDS}}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks},
        status=200 if healthy else 503,
    )
