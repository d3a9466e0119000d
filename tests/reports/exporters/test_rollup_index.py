"""The roll-up's subtree filter (``path LIKE 'prefix%'``) is served by an index
under the database's collation, on PostgreSQL.

Outside the C collation PostgreSQL cannot use an ordinary btree index for a
LIKE prefix; it needs an index with ``varchar_pattern_ops`` (or
``text_pattern_ops``). Django creates one beside the unique index of every
unique or indexed CharField (``agencies_agency_path_<hash>_like``), so
agencies.Agency.path has it without a migration of ours; these tests make sure
it exists, that the planner uses it for the roll-up's statements, and (the
control) that under a non-C collation the ordinary index could not.

Run them under a non-C collation with ``NIANBAO_PG_LOCALE=icu:zh-CN
.ci/with-postgres .venv/bin/python -m pytest tests/reports/exporters/
test_rollup_index.py`` (PostgreSQL 15 already counts libc's C.UTF-8, the
default of .ci/with-postgres, as not C).
"""

import re
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from agencies.models import Agency
from reports.bench import data
from reports.exporters.rollup import (
    STATUS_CHOICES,
    children_of,
    column_heads,
    subtree,
    sums_plan,
)
from reports.exporters.rollup_years import yearly_values_query
from tests.factories import make_agency
from tests.reports.exporters.rollup_tree import a_values, file_report

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL's planner and collations",
    ),
    pytest.mark.django_db,
]


def _one(sql: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def collation() -> tuple[str, str, str | None]:
    """(provider, collate, ICU locale) of the test database."""
    provider, collate, icu = _one(
        "SELECT datlocprovider, datcollate, daticulocale FROM pg_database "
        "WHERE datname = current_database()"
    )
    return provider, collate, icu


def certainly_not_c() -> bool:
    """Whether the planner cannot use an ordinary index for LIKE: ICU, or a
    libc locale other than C/POSIX (PostgreSQL 15 counts C.UTF-8 as not C)."""
    provider, collate, _icu = collation()
    return provider == "i" or (provider == "c" and collate not in ("C", "POSIX"))


def pattern_index() -> str | None:
    row = _one(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'agencies_agency' "
        "AND indexdef ~ '\\(path (varchar|text)_pattern_ops\\)'"
    )
    return row[0] if row else None


# An index scan whose condition is the prefix as a range of path values.
RANGE = re.compile(
    r"(?:Index Scan using|Index Only Scan using|Bitmap Index Scan on) (\S+)"
    r"[^\n]*\n\s*Index Cond: \(\(\(path\)::text (?:~>=~|>=) "
)


def assert_served(plan: str) -> None:
    """The path prefix is an index range: on the pattern index whenever the
    collation is not C (under C any btree index on path may serve it)."""
    found = RANGE.search(plan)
    assert found, f"{collation()}: no index range on path:\n{plan}"
    if certainly_not_c():
        assert found.group(1) == pattern_index(), f"{collation()}:\n{plan}"


@pytest.fixture
def node(db: None) -> Iterator[Agency]:
    """A subtree of 21 agencies beside a tree of 651 with 625 reports, so that
    the subtree filter is selective, as it is in production."""
    leaves = data.build_tree(fanout=25)
    data.build_reports(agencies=leaves, years=range(2017, 2018), with_values=True)
    root = make_agency(name="湘西州", code="ix-root")
    for i in range(5):
        child = make_agency(parent=root, code=f"ix-{i}")
        for j in range(3):
            leaf = make_agency(parent=child, code=f"ix-{i}-{j}")
            file_report(agency=leaf, values=a_values(1, 1, 1, 0, 0, 0))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # Whether an index *can* serve the filter is the question, not
        # whether a sequential scan of a small table would be cheaper.
        cursor.execute("SET LOCAL enable_seqscan = off")
    yield Agency.objects.get(pk=root.pk)


def test_the_pattern_index_exists() -> None:
    assert pattern_index() is not None, "agencies_agency.path 缺少 pattern_ops 索引"


def test_subtree_filter_is_an_index_range(node: Agency) -> None:
    plan = subtree(node).explain()
    assert_served(plan)
    assert "~~ '" in plan  # the LIKE itself stays as the exact check


def test_roll_up_statements_use_the_index(node: Agency) -> None:
    statuses = STATUS_CHOICES["approved"]
    heads = column_heads(node, children_of(node))
    plan = sums_plan(node, heads, 2017, statuses)
    assert_served(plan)
    # The values are read from the unique index alone: it carries them.
    assert "Index Only Scan using reports_reportvalue_one_per_cell" in plan, plan
    assert_served(yearly_values_query(node, [2016, 2017], statuses).explain())


def test_without_it_a_non_c_collation_could_not_use_an_index(node: Agency) -> None:
    if not certainly_not_c():
        pytest.skip(f"collation {collation()} may serve LIKE from any btree")
    index = pattern_index()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP INDEX "{index}"')  # rolled back below
        plan = subtree(node).explain()
        transaction.set_rollback(True)
    assert "~>=~" not in plan and "Index Cond: ((path)" not in plan, plan
    assert pattern_index() == index


def test_prefix_statistics_exist_for_the_roll_up_groups() -> None:
    """agencies/migrations/0004: the planner knows how many path prefixes
    there are (partial, parallel aggregation instead of one huge hash)."""
    if connection.pg_version < 140000:
        pytest.skip("expression statistics need PostgreSQL 14")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxname FROM pg_statistic_ext "
            "WHERE stxname LIKE 'agencies_agency_head_%'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {f"agencies_agency_head_{n}" for n in (8, 12, 16, 20, 24)}
