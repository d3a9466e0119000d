"""Import many reports at once: all or nothing, in a handful of queries.

Importers (flat sheets, commands, background tasks) turn their source into
``IncomingReport`` objects; ``reports_import`` checks every one of them against
the scope, the years, the existing reports and the cell types, validates the
result with the one validator, and writes only when nothing was refused. A
dry run does everything but the write, so its preview is exactly what the real
run will do. Re-importing the same data changes nothing.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from agencies import permissions
from agencies.models import Agency
from audit.services import Kind as AuditKind
from audit.services import audit_record_reports
from reports.importers.incoming import IncomingReport, parse_year
from reports.models import AnnualReport, ReportValue
from reports.selectors import values_from_rows
from reports.services import changes as field_changes
from reports.services.actors import is_system
from reports.services.bulk_write import Planned, write_planned
from reports.services.reports import (
    allowed_years,
    clean_signatories,
    clean_values,
)
from reports.services.review import is_editable, not_editable_message
from reports.tables import SIGNATORIES, CellValue, Finding, format_for_year
from reports.tables.base import PreviousYear
from reports.validation import count_findings, validate_report

BATCH = 2000


@dataclass
class RowOutcome:
    row: int
    agency: Agency | None = None
    year: int | None = None
    action: str = "refused"  # new, update, unchanged, refused
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    report_id: int | None = None
    version: int | None = None  # the stored report's version; None: no report

    @property
    def counts(self) -> dict[str, int]:
        return count_findings(self.findings)


@dataclass
class ImportOutcome:
    rows: list[RowOutcome]
    written: bool = False

    @property
    def ok(self) -> bool:
        return not any(r.action == "refused" for r in self.rows)

    def total(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def errors(self) -> list[str]:
        return [e for r in self.rows for e in r.errors]

    def versions(self) -> dict[tuple[int, int], int | None]:
        """What a preview saw: each located report's version (None: no report).

        A confirm passes this back as ``expected_versions``.
        """
        return {
            (r.agency.pk, r.year): r.version
            for r in self.rows
            if r.agency is not None and r.year is not None
        }


def _where(incoming: IncomingReport, code: str | None = None) -> str:
    where = f"第 {incoming.row} 行"
    if code and code in incoming.columns:
        where += f"「{incoming.columns[code]}」列"
    return where


def _resolve_agencies(
    incoming: Sequence[IncomingReport],
) -> tuple[dict[str, Agency], dict[str, list[Agency]]]:
    codes = {i.agency_code for i in incoming if i.agency_code}
    names = {i.agency_name for i in incoming if i.agency_name and not i.agency_code}
    by_code: dict[str, Agency] = {}
    by_name: dict[str, list[Agency]] = defaultdict(list)
    if codes or names:
        for agency in Agency.objects.filter(Q(code__in=codes) | Q(name__in=names)):
            by_code[agency.code] = agency
            by_name[agency.name].append(agency)
    return by_code, by_name


def _agency_of(
    incoming: IncomingReport,
    by_code: Mapping[str, Agency],
    by_name: Mapping[str, list[Agency]],
    user: AbstractBaseUser,
) -> tuple[Agency | None, str | None]:
    if incoming.agency_code:
        agency = by_code.get(incoming.agency_code)
        label = f"机关代码“{incoming.agency_code}”"
    elif incoming.agency_name:
        found = by_name.get(incoming.agency_name, [])
        if len(found) > 1:
            return (
                None,
                f"有 {len(found)} 个机关名为“{incoming.agency_name}”，请改用机关代码",
            )
        agency = found[0] if found else None
        label = f"机关“{incoming.agency_name}”"
    else:
        return None, "没有填写机关代码或机关全称"
    # An agency outside the scope reads like an unknown one: nothing leaks.
    if agency is None or not (is_system(user) or permissions.can_see(user, agency)):
        return None, f"{label}不存在或不在您的管辖范围内"
    if not (is_system(user) or permissions.can_file(user, agency)):
        return None, f"您无权为“{agency.name}”填报"
    return agency, None


def _year_of(raw: object) -> tuple[int | None, str | None]:
    years = allowed_years()
    try:
        year = parse_year(raw)
    except ValueError:
        return None, f"年度“{raw}”不是年份"
    if year is None:
        return None, "没有填写年度"
    if year not in years:
        return None, f"年度 {year} 不在 {years.start}–{years.stop - 1} 之间"
    return year, None


def reports_import(
    *,
    incoming: Sequence[IncomingReport],
    user: AbstractBaseUser,
    dry_run: bool,
    source: str = AnnualReport.Source.SPREADSHEET,
    progress: Callable[[int, int], None] | None = None,
    expected_versions: Mapping[tuple[int, int], int | None] | None = None,
) -> ImportOutcome:
    """Check, validate and (unless ``dry_run`` or anything is refused) write.

    ``expected_versions`` is what the preview saw (``ImportOutcome.versions()``):
    a report created or saved since then is refused, never overwritten.
    """
    by_code, by_name = _resolve_agencies(incoming)
    outcomes: list[RowOutcome] = []
    keyed: dict[tuple[int, int], IncomingReport] = {}
    located: list[tuple[IncomingReport, RowOutcome]] = []
    for item in incoming:
        outcome = RowOutcome(row=item.row, errors=list(item.errors))
        outcomes.append(outcome)
        agency, problem = _agency_of(item, by_code, by_name, user)
        if problem:
            outcome.errors.append(f"{_where(item)}：{problem}。")
        year, problem = _year_of(item.year)
        if problem:
            outcome.errors.append(f"{_where(item)}：{problem}。")
        outcome.agency, outcome.year = agency, year
        if agency is None or year is None:
            continue
        first = keyed.get((agency.pk, year))
        if first is not None:
            outcome.errors.append(
                f"第 {item.row} 行与第 {first.row} 行是同一机关（{agency.name}）"
                f"同一年度（{year}）的报告。"
            )
            continue
        keyed[agency.pk, year] = item
        located.append((item, outcome))

    # A dry run holds no transaction, so that a caller's progress reports
    # (written to the database) are visible while it runs.
    with nullcontext() if dry_run else transaction.atomic():
        planned = _plan(located, dry_run=dry_run)
        for count, plan in enumerate(planned, 1):
            _check_previewed(plan, expected_versions)
            _check_and_validate(plan)
            if progress is not None and count % 500 == 0:
                progress(count, len(planned))
        result = ImportOutcome(rows=outcomes)
        if dry_run or not result.ok:
            return result
        write_planned(planned, user=user, source=source)
        audit_record_reports(
            kind=AuditKind.IMPORT,
            action="bulk",
            user=user,
            items=(
                (r.agency, r.report_id, describe(r))
                for r in outcomes
                if r.action in ("new", "update") and r.agency and r.report_id
            ),
            detail={"source": source, "rows": len(outcomes)},
        )
        result.written = True
    if progress is not None:
        progress(len(planned), len(planned))
    return result


def _plan(
    located: list[tuple[IncomingReport, RowOutcome]], *, dry_run: bool
) -> list[Planned]:
    """Existing reports, their values and last year's, in a few queries."""
    if not located:
        return []
    agency_ids = {o.agency.pk for _i, o in located if o.agency}
    years = {o.year for _i, o in located if o.year}
    # Last year's values matter only to formats with cross-year rules.
    previous_years = {y - 1 for y in years if _has_cross_year(y)}
    existing_qs = AnnualReport.objects.filter(agency_id__in=agency_ids, year__in=years)
    if not dry_run:
        # Nobody else may change these reports until the import commits.
        existing_qs = existing_qs.select_for_update()
    existing = {(r.agency_id, r.year): r for r in existing_qs}
    if previous_years:
        existing |= {
            (r.agency_id, r.year): r
            for r in AnnualReport.objects.filter(
                agency_id__in=agency_ids, year__in=previous_years - years
            )
        }
    stored: dict[int, dict[str, CellValue]] = defaultdict(dict)
    ids = [r.pk for r in existing.values()]
    for start in range(0, len(ids), BATCH):
        rows = ReportValue.objects.filter(report_id__in=ids[start : start + BATCH])
        grouped: dict[int, list[tuple[str, Any, bool]]] = defaultdict(list)
        for report_id, code, value, na in rows.values_list(
            "report_id", "code", "value", "not_applicable"
        ):
            grouped[report_id].append((code, value, na))
        for report_id, items in grouped.items():
            stored[report_id] = values_from_rows(items)
    plans = []
    for item, outcome in located:
        assert outcome.agency is not None and outcome.year is not None  # noqa: S101
        report = existing.get((outcome.agency.pk, outcome.year))
        previous = existing.get((outcome.agency.pk, outcome.year - 1))
        plan = Planned(
            outcome=outcome,
            incoming=item,
            report=report,
            values={},
            stored=dict(stored.get(report.pk, {})) if report else {},
            merged={},
            sections=dict(report.sections) if report else {},
            edits={},
            signatories={},
        )
        plan.signatories = (
            {key: getattr(report, key) for key, _label in SIGNATORIES} if report else {}
        )
        plan.previous = stored.get(previous.pk) if previous else None
        plans.append(plan)
    return plans


def _check_previewed(
    plan: Planned, expected: Mapping[tuple[int, int], int | None] | None
) -> None:
    outcome = plan.outcome
    assert outcome.agency is not None and outcome.year is not None  # noqa: S101
    outcome.version = plan.report.version if plan.report else None
    if expected is None:
        return
    key = (outcome.agency.pk, outcome.year)
    if key in expected and expected[key] == outcome.version:
        return
    name = f"{outcome.agency.name} {outcome.year} 年度报告"
    if key not in expected:
        change = "不在预览之中"
    elif expected[key] is None:
        change = "在预览之后已由他人新建"
    elif outcome.version is None:
        change = "在预览之后已被删除"
    else:
        change = (
            f"在预览之后已被修改（预览时第 {expected[key]} 版，"
            f"现为第 {outcome.version} 版）"
        )
    outcome.errors.append(
        f"{_where(plan.incoming)}：{name}{change}，本次没有导入；请重新上传并预览。"
    )


def _has_cross_year(year: int) -> bool:
    return any(isinstance(r, PreviousYear) for r in format_for_year(year).rules)


def _check_and_validate(plan: Planned) -> None:
    item, outcome, report = plan.incoming, plan.outcome, plan.report
    assert outcome.year is not None  # noqa: S101
    table_format = format_for_year(outcome.year)
    cleaned, cell_errors = clean_values(table_format, item.values)
    outcome.errors += [f"{_where(item, c)}：{e}" for c, e in cell_errors.items()]
    signed, errors = clean_signatories(item.signatories)
    outcome.errors += [f"{_where(item)}：{e}" for e in errors]
    known_sections = {s.key for s in table_format.sections}
    for key in item.sections:
        if key not in known_sections:
            outcome.errors.append(
                f"{_where(item)}：{table_format.name}没有正文部分“{key}”。"
            )
    if outcome.errors:
        outcome.action = "refused"
        return
    state = field_changes.stored_state(
        values=plan.stored,
        sections=plan.sections,
        signatories=plan.signatories,
        table_year=getattr(report, "table_year", None),
    )
    proposed = field_changes.proposal(
        values=cleaned,
        sections=item.sections,
        signatories=signed,
        table_year=item.table_year if item.table_year is not None else ...,
    )
    edits = field_changes.differences(state, proposed)
    if edits and report is not None and not is_editable(report):
        # An unchanged row of a locked report is no error; a change is.
        outcome.errors.append(f"{_where(item)}：{not_editable_message(report)}")
        outcome.action = "refused"
        return
    # A new report's change record is one entry (write_planned): keeping its
    # 58 to 200 (blank, value) pairs would hold 45 MB at 10,000 reports.
    plan.edits = edits if report is not None else {}
    changed = list(edits)
    merged = dict(plan.stored)
    for name, (_old, value) in edits.items():
        if name in table_format.cells:
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value  # type: ignore[assignment]
        elif name.startswith(field_changes.SECTION):
            plan.sections[name.removeprefix(field_changes.SECTION)] = value  # type: ignore[assignment]
        elif name.startswith(field_changes.SIGNATORY):
            plan.signatories[name.removeprefix(field_changes.SIGNATORY)] = value
    table_year = item.table_year
    plan.values, plan.merged = cleaned, merged
    outcome.changed = changed
    if report is None:
        outcome.action = "new"
    else:
        outcome.action = "update" if changed else "unchanged"
        outcome.report_id = report.pk
    has_cross_year = _has_cross_year(outcome.year)
    outcome.findings = validate_report(
        table_format=table_format,
        values=merged,
        sections=plan.sections if (item.sections or report) else None,
        signatories=plan.signatories if (item.signatories or report) else None,
        year=outcome.year,
        table_year=table_year
        if table_year is not None
        else getattr(report, "table_year", None),
        previous=plan.previous if has_cross_year else None,
    )


def describe(outcome: RowOutcome) -> str:
    """One line for previews and logs."""
    verbs = {"new": "新建", "update": "更新", "unchanged": "无变化", "refused": "拒绝"}
    head = f"第 {outcome.row} 行"
    if outcome.agency is not None and outcome.year is not None:
        head += f" {outcome.agency.name} {outcome.year}年度"
    counts = outcome.counts
    line = f"{head}：{verbs[outcome.action]}"
    if outcome.action == "update":
        line += f"，改动 {len(outcome.changed)} 项"
    return (
        f"{line}；缺项 {counts['missing']}，错误 {counts['error']}，"
        f"提示 {counts['warning']}"
    )
