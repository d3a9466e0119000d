"""Writing many value and change rows fast: the bulk half of the write path.

``reports.services.imports`` decides what to write; this module only writes
it. On PostgreSQL the rows are COPYed into a temporary table and upserted with
one ``INSERT … ON CONFLICT DO UPDATE``; elsewhere one ``executemany`` upsert
does the same. No model instances are built: at 580,000 cells they cost more
than the database does.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from itertools import chain

from django.db import connection

from reports.models import ReportChange, ReportValue

ValueRow = tuple[int, str, Decimal | None, bool]  # report, code, value, n/a
ChangeRow = tuple[int, int, str, str, str, int | None, datetime]


def _copy(cursor: object, table: str, columns: Sequence[str], rows: Iterable) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608
    with cursor.cursor.copy(sql) as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row(row)  # psycopg formats and escapes, in C


def upsert_values(rows: Iterable[ValueRow]) -> None:
    """Insert or update (report, code) → value, not applicable.

    ``rows`` may be a generator: on PostgreSQL they stream into COPY, so that
    580,000 of them never sit in memory at once.
    """
    rest = iter(rows)
    first = next(rest, None)
    if first is None:
        return
    rows = chain((first,), rest)
    table = ReportValue._meta.db_table
    columns = ("report_id", "code", "value", "not_applicable")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS nb_values "
                "(report_id bigint, code varchar(40), value numeric(19, 6), "
                "not_applicable boolean) ON COMMIT DELETE ROWS"
            )
            _copy(cursor, "nb_values", columns, rows)
            source = "SELECT report_id, code, value, not_applicable FROM nb_values"
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) {source} "  # noqa: S608
                "ON CONFLICT (report_id, code) DO UPDATE SET "
                "value = EXCLUDED.value, not_applicable = EXCLUDED.not_applicable"
            )
            cursor.execute("TRUNCATE nb_values")
            return
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES (%s, %s, %s, %s) "  # noqa: S608
            "ON CONFLICT (report_id, code) DO UPDATE SET "
            "value = excluded.value, not_applicable = excluded.not_applicable",
            ((r, c, None if v is None else str(v), na) for r, c, v, na in rows),
        )


def insert_changes(rows: list[ChangeRow]) -> None:
    """Append rows to the change record."""
    if not rows:
        return
    table = ReportChange._meta.db_table
    columns = ("report_id", "version", "field", "old", "new", "user_id", "changed_at")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, table, columns, rows)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
            rows,
        )
