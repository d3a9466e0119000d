"""Planner statistics on the path prefixes that roll-ups group by (PostgreSQL).

The roll-up (reports/exporters/rollup.py) sums a subtree's cells grouped by
``SUBSTRING(path, 1, (depth + 1) * 4)``: the child subtree each agency lies in.
Without statistics PostgreSQL assumes such a prefix has as many values as
``path`` itself (one per agency), so it expects millions of groups, gives up
partial (parallel) aggregation and compiles the query with JIT; measured on
50,000 agencies, the statement takes about twice as long. These expression
statistics (PostgreSQL 14+) tell it how many prefixes there really are, for
roll-ups of agencies at depths 1 to 5.

The LIKE 'prefix%' filter itself needs no migration: Django already created
``agencies_agency_path_<hash>_like`` (varchar_pattern_ops) beside the unique
index on ``path``, which serves prefix searches under any collation
(tests/reports/exporters/test_rollup_index.py).
"""

from django.db import migrations

HEAD_LENGTHS = (8, 12, 16, 20, 24)  # (depth + 1) * steplen, depths 1–5


def _supported(schema_editor) -> bool:
    if schema_editor is None:  # replayed as a data migration by the tests
        return False
    connection = schema_editor.connection
    return connection.vendor == "postgresql" and connection.pg_version >= 140000


def create_statistics(apps, schema_editor) -> None:
    if not _supported(schema_editor):
        return
    for n in HEAD_LENGTHS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS agencies_agency_head_{n} "
            f"ON (SUBSTRING(path, 1, {n})) FROM agencies_agency"
        )


def drop_statistics(apps, schema_editor) -> None:
    if not _supported(schema_editor):
        return
    for n in HEAD_LENGTHS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS agencies_agency_head_{n}")


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_sync_role_groups")]

    operations = [migrations.RunPython(create_statistics, drop_statistics)]
