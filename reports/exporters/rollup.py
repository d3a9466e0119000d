"""The roll-up (汇总表) of an agency subtree for a year: the read.

Every cell of the subtree's reports summed, with a column for the agency's
own report (本级), one per direct child subtree and the total (合计), plus the
agencies left out and those whose figures are not final. The sums are ONE
aggregate statement (``sums_statement``), grouped by format, by the child
subtree's path prefix (``SUBSTR(path, 1, (depth + 1) * steplen)``) and by
cell code; the subtree is a ``path`` prefix (``LIKE 'prefix%'``), which
PostgreSQL serves from the ``varchar_pattern_ops`` index Django creates beside
the unique index on ``agencies_agency.path``, whatever the database's
collation. The statement is SQL rather than the ORM's because it joins the
subtree to a list of the columns' paths given as values, which the ORM cannot
say.

What is summed:

- only reports in the chosen statuses: approved, or submitted and approved;
- only reports of one format together: a subtree holding two formats in one
  year gets one roll-up per format (``Rollup.parts``);
- a blank cell adds nothing, and neither does "/" (not applicable): a sum
  whose every contribution is "/" reads "/", one with no contribution at all
  is blank, and ``Part.na`` counts the "/" left out of each sum;
- the format's rules are checked on every column's sums (``Part.findings``).

Scope: a caller checks that the user may see the agency (``visible_node``);
the whole subtree of a visible agency is in the user's scope. Nothing here
writes.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr

from agencies import permissions
from agencies.models import Agency
from reports.models import AnnualReport, ReportValue
from reports.tables import FORMATS, NA, CellValue, Finding, Severity, TableFormat
from reports.tables import format_for_year as year_format
from reports.validation import validate_report

STEP = Agency.steplen
Status = AnnualReport.Status
SELF = "@self"  # the key of the 本级 column
TOTAL = "@total"  # the key of the 合计 column
SELF_LABEL = "本级"
TOTAL_LABEL = "合计"
NO_REPORT = "未填报"

# The two choices of what to sum, by the name the page and the command use.
STATUS_CHOICES: dict[str, tuple[str, ...]] = {
    "approved": (Status.APPROVED,),
    "submitted": (Status.SUBMITTED, Status.APPROVED),
}
STATUS_LABELS = {"approved": "仅已通过的报告", "submitted": "已提交和已通过的报告"}


@dataclass(frozen=True)
class Member:
    """An agency of the subtree named in a list (left out, or not final)."""

    code: str
    name: str
    path: str
    status: str | None  # None: no report for the year
    format: str | None = None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status else NO_REPORT


@dataclass(frozen=True)
class Column:
    """本级, a child subtree, or 合计."""

    key: str  # SELF, TOTAL, or the child's path
    label: str
    agency: Agency | None = None  # None for 合计

    @property
    def is_child(self) -> bool:
        return self.key not in (SELF, TOTAL)

    @property
    def code(self) -> str:
        """The column's name in JSON: 本级, the child's code, 合计."""
        if self.is_child and self.agency is not None:
            return self.agency.code
        return self.label


@dataclass
class Part:
    """The roll-up of the reports of one format."""

    table_format: TableFormat
    columns: list[Column]
    values: dict[str, dict[str, CellValue]] = field(default_factory=dict)
    na: dict[str, dict[str, int]] = field(default_factory=dict)
    included: dict[str, int] = field(default_factory=dict)
    findings: dict[str, list[Finding]] = field(default_factory=dict)

    def value(self, column: str, code: str) -> CellValue:
        return self.values.get(column, {}).get(code)

    @property
    def totals(self) -> dict[str, CellValue]:
        return self.values.get(TOTAL, {})

    @property
    def report_count(self) -> int:
        return self.included.get(TOTAL, 0)


@dataclass
class Rollup:
    node: Agency
    year: int
    statuses: tuple[str, ...]
    children: list[Agency]
    parts: list[Part]
    members: list[Member]  # every agency whose report is absent or not approved
    agency_count: int  # agencies in the subtree

    @property
    def included(self) -> int:
        return sum(part.report_count for part in self.parts)

    @property
    def missing(self) -> list[Member]:
        """Agencies without a report in the chosen statuses (not summed)."""
        return [m for m in self.members if m.status not in self.statuses]

    @property
    def not_approved(self) -> list[Member]:
        """Agencies summed although their report is not yet approved."""
        return [
            m
            for m in self.members
            if m.status in self.statuses and m.status != Status.APPROVED
        ]

    def part(self, code: str) -> Part | None:
        return next((p for p in self.parts if p.table_format.code == code), None)


def statuses_for(choice: str) -> tuple[str, ...]:
    """The statuses of a choice ("approved" or "submitted"); KeyError else."""
    return STATUS_CHOICES[choice]


def visible_node(
    user: AbstractBaseUser | AnonymousUser | None, agency_id: int
) -> Agency | None:
    """The agency, if ``user`` may see it (None: anyone, as in a command)."""
    agencies = (
        Agency.objects.all() if user is None else permissions.visible_agencies(user)  # type: ignore[arg-type]
    )
    return agencies.filter(pk=agency_id).first()


def subtree(node: Agency) -> QuerySet[Agency]:
    """The agency and everything below it: one path prefix."""
    return Agency.objects.filter(path__startswith=node.path)


def head(node: Agency, prefix: str = "") -> Substr:
    """The path of the column an agency falls in: the node's own path (本级)
    or a child's; ``prefix`` is the lookup to the agency (``report__agency__``)."""
    return Substr(f"{prefix}path", 1, (node.depth + 1) * STEP)


def sums_statement(
    node: Agency, heads: Sequence[str], year: int, statuses: Iterable[str]
) -> tuple[str, list[object]]:
    """THE aggregate, as SQL and parameters: (fmt, column, code, total,
    filled, na) per column and cell, in one statement; ``column`` numbers
    ``heads`` from 0.

    ``heads`` are the columns' paths: the node's own (本级) and its direct
    children's. They come in as a list of values, each with its number, and
    every agency of the subtree meets its column by its path's prefix
    (``SUBSTR(path, 1, (depth + 1) * steplen)``); the values are grouped by
    that number, the format and the cell code. Because the planner knows how
    many columns there are, it estimates the groups well and lets PostgreSQL
    aggregate in parallel (a partial aggregate per worker), about twice as
    fast over 50,000 agencies as numbering the columns in the statement. It
    names no column of the values but those the unique index on (report,
    cell) carries (``reports.constraints``), so PostgreSQL reads that index
    alone (once VACUUM has marked the table's pages, as autovacuum does).
    Plain SQL that SQLite runs as well.
    """
    quote = connection.ops.quote_name
    report, agency, value = (
        quote(model._meta.db_table) for model in (AnnualReport, Agency, ReportValue)
    )
    statuses = list(statuses)
    marks = ", ".join(["%s"] * len(statuses))
    columns = ", ".join(f"(%s, {number:d})" for number in range(len(heads)))
    width = (node.depth + 1) * STEP
    # Only quoted table names, integers and placeholders are formatted in.
    sql = f"""
        WITH columns (head, n) AS (VALUES {columns})
        SELECT r.format, c.n, v.code, SUM(v.value), COUNT(v.value),
               COUNT(*) FILTER (WHERE v.not_applicable)
        FROM columns c
        JOIN {agency} a ON SUBSTR(a.path, 1, {width:d}) = c.head
        JOIN {report} r ON r.agency_id = a.id
        JOIN {value} v ON v.report_id = r.id
        WHERE a.path LIKE %s AND r.year = %s AND r.status IN ({marks})
        GROUP BY c.n, r.format, v.code
    """  # noqa: S608
    return sql, [*heads, f"{node.path}%", year, *statuses]


def subtree_sums(
    node: Agency, heads: Sequence[str], year: int, statuses: Iterable[str]
) -> list[dict[str, Any]]:
    """The rows of ``sums_statement``: fmt, head (one of ``heads``), code,
    total, filled, na."""
    sql, params = sums_statement(node, heads, year, statuses)
    # A sum as the ORM reads one (SQLite returns a float, PostgreSQL a Decimal).
    total = Value(None, output_field=ReportValue._meta.get_field("value"))
    converters = connection.ops.get_db_converters(total)
    columns = ("fmt", "head", "code", "total", "filled", "na")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["head"] = heads[row["head"]]
        for converter in converters:
            row["total"] = converter(row["total"], total, connection)
    return rows


def sums_plan(
    node: Agency, heads: Sequence[str], year: int, statuses: Iterable[str]
) -> str:
    """The database's plan of ``sums_statement`` (for tests and the bench)."""
    sql, params = sums_statement(node, heads, year, statuses)
    prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def column_heads(node: Agency, children: Iterable[Agency]) -> list[str]:
    """The paths the columns sum under: the node's own, then each child's."""
    return [node.path, *(child.path for child in children)]


def sum_annotations() -> dict[str, Sum | Count]:
    """A cell's sum, how many values it adds, and how many "/" it leaves out."""
    return {
        "total": Sum("value"),
        "filled": Count("value"),
        "na": Count("pk", filter=Q(not_applicable=True)),
    }


def _with_report(agencies: QuerySet[Agency], year: int) -> QuerySet[Agency]:
    return agencies.annotate(
        current=FilteredRelation("reports", condition=Q(reports__year=year))
    ).annotate(report_status=F("current__status"), report_format=F("current__format"))


def _states(node: Agency, year: int) -> list[dict[str, Any]]:
    """(head, status, format, n) for the subtree: one grouped statement."""
    return list(
        _with_report(subtree(node), year)
        .annotate(head=head(node))
        .values("head", "report_status", "report_format")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _members(node: Agency, year: int) -> list[Member]:
    """Agencies whose report for the year is absent or not approved."""
    rows = (
        _with_report(subtree(node), year)
        .annotate(state=Coalesce("report_status", Value("")))
        .exclude(state=Status.APPROVED)
        .order_by("path")
        .values_list("code", "name", "path", "report_status", "report_format")
    )
    return [Member(*row) for row in rows]


def children_of(node: Agency) -> list[Agency]:
    return list(subtree(node).filter(depth=node.depth + 1).order_by("path"))


def columns_for(node: Agency, children: Iterable[Agency]) -> list[Column]:
    return [
        Column(SELF, SELF_LABEL, node),
        *(Column(child.path, child.name, child) for child in children),
        Column(TOTAL, TOTAL_LABEL),
    ]


def cell_value(total: Decimal | None, filled: int, na: int) -> CellValue:
    """A sum as a cell: the number, "/" when only "/" was given, or blank."""
    if filled:
        return normal(total if total is not None else Decimal(0))
    return NA if na else None


def normal(value: Decimal) -> Decimal:
    """15 rather than 15.000000; 0.35 rather than 0.350000."""
    whole, denominator = value.as_integer_ratio()
    return Decimal(whole) if denominator == 1 else value.normalize()


def _add(into: dict[str, CellValue], code: str, value: CellValue) -> None:
    """Add a column's sum into the total, by the same rule as the columns."""
    before = into.get(code)
    if isinstance(value, Decimal):
        into[code] = value if not isinstance(before, Decimal) else before + value
    elif value is NA and before is None:
        into[code] = NA


def rule_findings(
    table_format: TableFormat, values: Mapping[str, CellValue], year: int
) -> list[Finding]:
    """The format's rules on summed values: errors and warnings, not blanks."""
    return [
        f
        for f in validate_report(table_format=table_format, values=values, year=year)
        if f.severity is not Severity.MISSING
    ]


def rollup(
    *, node: Agency, year: int, statuses: Iterable[str] = STATUS_CHOICES["approved"]
) -> Rollup:
    """The roll-up of ``node``'s subtree for ``year`` (see the module's rules)."""
    statuses = tuple(statuses)
    children = children_of(node)
    columns = columns_for(node, children)
    # A row's head is the node's own path (本级) or a child's path.
    keys = {c.key: c.key for c in columns if c.is_child} | {node.path: SELF}
    parts: dict[str, Part] = {}

    def part_of(code: str) -> Part | None:
        if code not in parts and code in FORMATS:
            parts[code] = Part(FORMATS[code], columns)
        return parts.get(code)  # None: a format no module declares (any more)

    states = _states(node, year)
    for row in states:
        code, status = row["report_format"], row["report_status"]
        part = part_of(code) if code is not None else None
        if part is None or status not in statuses or row["head"] not in keys:
            continue
        included = part.included
        for key in (keys[row["head"]], TOTAL):
            included[key] = included.get(key, 0) + row["n"]
    for row in subtree_sums(node, column_heads(node, children), year, statuses):
        if row["head"] not in keys:
            continue
        column = keys[row["head"]]
        part = part_of(row["fmt"])
        if part is None:
            continue
        value = cell_value(row["total"], row["filled"], row["na"])
        part.values.setdefault(column, {})[row["code"]] = value
        _add(part.values.setdefault(TOTAL, {}), row["code"], value)
        for key in (column, TOTAL):
            counts = part.na.setdefault(key, {})
            counts[row["code"]] = counts.get(row["code"], 0) + row["na"]
    if not parts:
        part_of(year_format(year).code)
    ordered = sorted(
        parts.values(), key=lambda p: (-p.report_count, p.table_format.first_year)
    )
    for part in ordered:
        for column in columns:
            values = part.values.get(column.key, {})
            if values:
                part.findings[column.key] = rule_findings(
                    part.table_format, values, year
                )
    return Rollup(
        node=node,
        year=year,
        statuses=statuses,
        children=children,
        parts=ordered,
        members=_members(node, year),
        agency_count=sum(row["n"] for row in states),
    )
