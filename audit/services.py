"""Record audit events: the one place every kind of event is written.

Views pass their request; services, which take none, are reached through
``current_request``, which ``AuditMiddleware`` sets for the request being
served (a command or a background task has none: no address, the system or
the job's user acts).
"""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from ipaddress import ip_address
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from agencies.models import Agency
from audit.models import AuditEvent
from reports.models import AnnualReport

Kind = AuditEvent.Kind
_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request being served on this thread, if any."""
    return _request.get()


@contextmanager
def serving(request: HttpRequest | None) -> Iterator[None]:
    """Make ``request`` the current one while the block runs."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the last
    address of ``NIANBAO_PROXY_ADDRESS_HEADER`` (the one the proxy added)."""
    if request is None:
        return None
    header = getattr(settings, "NIANBAO_PROXY_ADDRESS_HEADER", "")
    raw = ""
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        raw = request.META.get(key, "").split(",")[-1].strip()
    raw = raw or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ip_address(raw))
    except ValueError:
        return None


def _user_of(
    user: AbstractBaseUser | None, request: HttpRequest | None
) -> AbstractBaseUser | None:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.pk:
        return None
    return user


def audit_event(
    *,
    kind: str,
    summary: str,
    user: AbstractBaseUser | None = None,
    request: HttpRequest | None = None,
    agency: Agency | None = None,
    report: AnnualReport | None = None,
    action: str = "",
    username: str = "",
    detail: Mapping[str, Any] | None = None,
    live: bool = True,
) -> AuditEvent:
    """An unsaved event; ``live=False`` for an agency being deleted (kept by
    name and path only)."""
    request = request if request is not None else current_request()
    who = _user_of(user, request)
    if agency is None and report is not None:
        agency = report.agency
    return AuditEvent(
        kind=kind,
        action=action,
        user=who,
        username=(who.get_username() if who else username)[:150],
        address=client_address(request),
        agency=agency if live else None,
        agency_path=agency.path if agency else "",
        agency_name=agency.name if agency else "",
        report=report,
        summary=summary[:500],
        detail=dict(detail or {}),
    )


def audit_record(**kwargs: Any) -> AuditEvent:
    """Record one event; see ``audit_event`` for the arguments."""
    event = audit_event(**kwargs)
    event.save()
    return event


def audit_record_many(events: Iterable[AuditEvent]) -> int:
    """Record many events at once (a bulk import: one per report written)."""
    return len(AuditEvent.objects.bulk_create(list(events), batch_size=2000))


def audit_record_reports(
    *,
    kind: str,
    action: str,
    user: AbstractBaseUser | None,
    items: Iterable[tuple[Agency, int, str]],
    detail: Mapping[str, Any] | None = None,
) -> int:
    """One event per report written by a bulk operation: (agency, report id,
    summary) each, recorded in a few queries."""
    events = []
    for agency, report_id, summary in items:
        event = audit_event(
            kind=kind,
            user=user,
            agency=agency,
            action=action,
            summary=summary,
            detail=detail,
        )
        event.report_id = report_id
        events.append(event)
    return audit_record_many(events)
