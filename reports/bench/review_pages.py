"""Server time and query counts of the review queue and the completeness board
over the bench data (100,000 reports, 10,100 agencies), for a reviewer of the
root agency: each beside its budget, and each query count beside the same
page with far fewer rows (a count that does not grow with the rows: ratio 1).
"""

import time
from collections.abc import Callable

from django.test import Client

from agencies.models import Agency
from reports.bench import Figure
from reports.bench.admin_pages import _reviewer, _timed

QUEUE_BUDGET_MS = 150.0
BOARD_BUDGET_MS = 200.0
QUEUE = "/admin/reports/annualreport/queue/"
BOARD = "/admin/reports/annualreport/board/"
YEAR = "2017"  # the last year of the bench data


def _export_seconds(client: Client, **params: str) -> float:
    start = time.perf_counter()
    response = client.get(f"{BOARD}export/", params)
    assert response.status_code == 200, response.status_code  # noqa: S101
    return time.perf_counter() - start


def run(*, repeat: int) -> list[Figure]:
    root = Agency.objects.get(code="bench")
    city = Agency.objects.get(code="bench-1")
    leaf = Agency.objects.get(code="bench-1-1")
    client = _reviewer(root)

    def page(url: str, **params: str) -> Callable[[], int]:
        return lambda: client.get(url, params).status_code

    queue, queue_queries = _timed(page(QUEUE), repeat)
    filtered, filtered_queries = _timed(
        page(QUEUE, year=YEAR, status="", agency=str(city.pk), warnings="yes"),
        repeat,
    )
    _one, one_queries = _timed(page(QUEUE, status="", agency=str(leaf.pk)), 1)
    board, board_queries = _timed(page(BOARD, year=YEAR), repeat)
    drilled, drilled_queries = _timed(
        page(BOARD, year=YEAR, agency=str(city.pk)), repeat
    )
    _leaf, leaf_queries = _timed(page(BOARD, year=YEAR, agency=str(leaf.pk)), 1)
    export = _export_seconds(client, year=YEAR)
    agencies = root.subtree().count()
    return [
        Figure("review queue page 1, default (submitted), median", queue, "ms",
               QUEUE_BUDGET_MS, "budget"),
        Figure("review queue page 1, year+subtree+warnings, median", filtered, "ms",
               QUEUE_BUDGET_MS, "budget"),
        Figure("review queue queries (50 rows)", queue_queries, "queries",
               one_queries, "10 rows"),
        Figure("review queue queries (filtered)", filtered_queries, "queries",
               one_queries, "10 rows"),
        Figure(f"board of the root ({agencies:,} agencies), median", board, "ms",
               BOARD_BUDGET_MS, "budget"),
        Figure("board of a city (101 agencies), median", drilled, "ms",
               BOARD_BUDGET_MS, "budget"),
        Figure("board queries, root", board_queries, "queries",
               leaf_queries, "a leaf"),
        Figure("board queries, city", drilled_queries, "queries",
               leaf_queries, "a leaf"),
        Figure(f"board XLSX export, root ({agencies:,} rows)", export, "s"),
    ]  # fmt: skip
