"""/healthz answers for the database and the task worker, in JSON, quickly."""

import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config import health

pytestmark = pytest.mark.django_db(transaction=True)  # checks run in a thread


@pytest.fixture(autouse=True)
def fresh_task_queue() -> None:
    """Start from an empty task queue: tasks that an earlier test's server or
    worker process committed (outside any test transaction) would otherwise
    look like a stopped worker."""
    DBTaskResult.objects.all().delete()


def test_fresh_site_is_healthy_and_asks_the_worker_for_a_heartbeat() -> None:
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["worker"]["ok"] is True
    waiting = DBTaskResult.objects.ready().filter(
        task_path=health.heartbeat.module_path
    )
    assert waiting.count() == 1

    Client().get("/healthz")  # one heartbeat waiting is enough
    assert waiting.count() == 1


def test_a_task_waiting_too_long_without_progress_is_a_stopped_worker() -> None:
    health.heartbeat.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=6))

    response = Client().get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["database"] == {"ok": True}


def test_a_busy_worker_that_recently_finished_a_task_is_healthy() -> None:
    health.heartbeat.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=6))
    done = health.heartbeat.enqueue()
    DBTaskResult.objects.filter(pk=done.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(seconds=30)
    )

    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["ok"] is True


def test_the_heartbeat_clears_earlier_heartbeats() -> None:
    for _ in range(3):
        result = health.heartbeat.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            status="SUCCESSFUL", finished_at=timezone.now()
        )

    health.heartbeat.call()

    assert not DBTaskResult.objects.finished().exists()


def test_a_failing_database_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> dict[str, object]:
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", broken)

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError",
    }


def test_a_hanging_check_still_answers_within_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def hanging() -> dict[str, object]:
        time.sleep(2)
        return {"ok": True}

    monkeypatch.setattr(health, "check_database", hanging)

    started = time.monotonic()
    response = Client().get("/healthz")

    assert time.monotonic() - started < 1.0
    assert response.status_code == 503
    assert response.json()["checks"]["timeout"]["ok"] is False
    time.sleep(1.5)  # let the helper thread end before the database is flushed


def test_health_is_exempt_from_the_https_redirect(settings: object) -> None:
    settings.SECURE_SSL_REDIRECT = True  # type: ignore[attr-defined]

    assert Client().get("/healthz").status_code == 200
    assert Client().get("/admin/login/").status_code == 301
