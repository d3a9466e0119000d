"""The database went away mid-request: tell the user nothing was stored.

Every write runs in one transaction, so a dropped connection (PostgreSQL
restarted, the backend terminated, the network cut) rolls the write back
whole; this turns the error into a 503 page that says so, instead of the
generic 500. Django discards the broken connection when the request ends,
so the user's retry gets a fresh one.
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseFaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable during %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        return HttpResponse(
            render_to_string("503.html"),
            status=503,
            headers={"Retry-After": "30", "Cache-Control": "no-store"},
        )
