"""Create, save and submit one report.

The admin, the importers and the commands all call these functions; nothing
else writes report values, sections or signatories.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import EllipsisType
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_date

from agencies import permissions
from agencies.models import Agency
from reports.models import (
    FIRST_YEAR,
    AnnualReport,
    ReportChange,
    ReportValue,
    ReviewEvent,
)
from reports.selectors import (
    changes_since,
    next_report,
    previous_values,
    report_signatories,
    report_values,
)
from reports.tables import (
    NA,
    SIGNATORIES,
    CellValue,
    CellValueError,
    Finding,
    TableFormat,
    format_for_year,
)
from reports.tables.base import shown
from reports.validation import count_findings, validate_report

EDITABLE = (AnnualReport.Status.DRAFT, AnnualReport.Status.RETURNED)
SIGNATORY_LABELS = dict(SIGNATORIES)


class ReportError(Exception):
    """A refused operation; ``messages`` say what and where, in Chinese."""

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(self.messages))


class ReportExistsError(ReportError):
    def __init__(self, existing: AnnualReport) -> None:
        self.existing = existing
        super().__init__(f"{existing.agency} 的 {existing.year} 年度报告已存在。")


class StaleVersionError(ReportError):
    """Someone saved the report after the editor loaded it."""

    def __init__(self, report: AnnualReport, expected: int) -> None:
        self.report = report
        self.expected = expected
        self.changes = list(changes_since(report, expected))
        who = sorted({str(c.user) for c in self.changes if c.user})
        super().__init__(
            f"保存被拒绝：您打开的是第 {expected} 版，此后"
            f"{'、'.join(who) or '其他人'}已保存到第 {report.version} 版。"
            "您的修改没有保存，也没有覆盖别人的修改；请核对后重新保存。"
        )


@dataclass
class SaveResult:
    report: AnnualReport
    findings: list[Finding]
    changed: list[str] = field(default_factory=list)


def allowed_years(today: date | None = None) -> range:
    today = today or timezone.localdate()
    return range(FIRST_YEAR, today.year + 2)


def _check_year(year: int) -> None:
    years = allowed_years()
    if year not in years:
        raise ReportError(f"报告年度 {year} 不在 {years.start}–{years.stop - 1} 之间。")


def _check_may_file(user: AbstractBaseUser | None, agency: Agency) -> None:
    # user None is the system itself (demo loader, command line).
    if user is not None and not permissions.can_file(user, agency):
        raise PermissionDenied(f"您无权为「{agency}」填报。")


def report_create(
    *,
    agency: Agency,
    year: int,
    user: AbstractBaseUser | None,
    source: str = AnnualReport.Source.TYPED,
) -> AnnualReport:
    """Start the report of ``agency`` for ``year`` as an empty draft."""
    _check_may_file(user, agency)
    _check_year(year)
    existing = AnnualReport.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        raise ReportExistsError(existing)
    table_format = format_for_year(year)
    report = AnnualReport(
        agency=agency,
        year=year,
        format=table_format.code,
        source=source,
        updated_by=user if user is not None and user.pk else None,
    )
    _store_counts(report, _validate(report, {}, previous=previous_values(report)))
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Two clicks raced; the first one won.
        raise ReportExistsError(
            AnnualReport.objects.get(agency=agency, year=year)
        ) from None
    return report


def clean_values(
    table_format: TableFormat, raw: Mapping[str, object]
) -> tuple[dict[str, CellValue], dict[str, str]]:
    """Typed values by code, and a message for each refused one, by code."""
    cleaned: dict[str, CellValue] = {}
    errors: dict[str, str] = {}
    for code, value in raw.items():
        cell = table_format.cells.get(code)
        if cell is None:
            errors[code] = f"{table_format.name}没有单元格“{code}”。"
            continue
        try:
            cleaned[code] = cell.clean(value)
        except CellValueError as exc:
            errors[code] = exc.message
    return cleaned, errors


def clean_signatories(raw: Mapping[str, object]) -> tuple[dict[str, Any], list[str]]:
    cleaned: dict[str, Any] = {}
    errors: list[str] = []
    for key, value in raw.items():
        if key not in SIGNATORY_LABELS:
            errors.append(f"没有表尾项“{key}”。")
        elif key == "filled_on":
            if value in (None, ""):
                cleaned[key] = None
            elif isinstance(value, date):
                cleaned[key] = value
            else:
                parsed = parse_date(str(value).strip())
                if parsed is None:
                    errors.append(f"「填报日期」“{value}”不是日期（应为 2018-03-01）。")
                cleaned[key] = parsed
        else:
            text = "" if value is None else str(value).strip()
            if len(text) > 50:
                errors.append(f"「{SIGNATORY_LABELS[key]}」超过 50 个字。")
            cleaned[key] = text
    return cleaned, errors


def report_save_values(
    *,
    report: AnnualReport,
    user: AbstractBaseUser | None,
    expected_version: int,
    values: Mapping[str, object] | None = None,
    sections: Mapping[str, str] | None = None,
    signatories: Mapping[str, object] | None = None,
    table_year: int | None | EllipsisType = ...,
    source: str | None = None,
    source_text: str | None = None,
) -> SaveResult:
    """Validate and store values, sections and signatories of one report.

    Only the cells named in ``values`` change (None blanks a cell). A save
    made against a version older than the stored one is refused with
    StaleVersionError and changes nothing; a refused value raises ReportError
    naming every bad cell, and nothing is stored either.
    """
    _check_may_file(user, report.agency)
    table_format = report.table_format
    cleaned, cell_errors = clean_values(table_format, values or {})
    signed, signature_errors = clean_signatories(signatories or {})
    errors = [*cell_errors.values(), *signature_errors]
    unknown_sections = set(sections or {}) - {s.key for s in table_format.sections}
    errors += [f"{table_format.name}没有正文部分“{key}”。" for key in unknown_sections]
    if errors:
        raise ReportError(errors)

    with transaction.atomic():
        updated = AnnualReport.objects.filter(
            pk=report.pk, version=expected_version, status__in=EDITABLE
        ).update(version=F("version") + 1)
        if not updated:
            current = AnnualReport.objects.get(pk=report.pk)
            if current.status not in EDITABLE:
                raise ReportError(
                    f"报告状态为“{current.get_status_display()}”，不能修改。"
                )
            raise StaleVersionError(current, expected_version)
        report.refresh_from_db()
        version = report.version
        stored = report_values(report)
        changes: list[ReportChange] = []

        def record(field_name: str, old: object, new: object) -> None:
            changes.append(
                ReportChange(
                    report=report,
                    version=version,
                    field=field_name,
                    old=shown(old),
                    new=shown(new),
                    user=user if user is not None and user.pk else None,
                )
            )

        to_write: list[ReportValue] = []
        to_blank: list[str] = []
        for code, value in cleaned.items():
            old = stored.get(code)
            if old == value and type(old) is type(value):
                continue
            record(code, old, value)
            if value is None:
                to_blank.append(code)
                stored.pop(code, None)
            else:
                to_write.append(
                    ReportValue(
                        report=report,
                        code=code,
                        value=None if value is NA else value,
                        not_applicable=value is NA,
                    )
                )
                stored[code] = value
        if to_blank:
            ReportValue.objects.filter(report=report, code__in=to_blank).delete()
        if to_write:
            ReportValue.objects.bulk_create(
                to_write,
                update_conflicts=True,
                unique_fields=["report", "code"],
                update_fields=["value", "not_applicable"],
            )

        new_sections = dict(report.sections)
        for key, text in (sections or {}).items():
            text = (text or "").strip()
            if new_sections.get(key, "") != text:
                record(f"section:{key}", new_sections.get(key, ""), text)
                new_sections[key] = text
        report.sections = new_sections
        for key, value in signed.items():
            if getattr(report, key) != value:
                record(f"signatory:{key}", getattr(report, key), value)
                setattr(report, key, value)
        if table_year is not ... and table_year != report.table_year:
            record("table_year", report.table_year, table_year)
            report.table_year = table_year  # type: ignore[assignment]
        if source is not None:
            report.source = source
        if source_text is not None:
            report.source_text = source_text

        findings = _validate(report, stored, previous=previous_values(report))
        _store_counts(report, findings)
        report.updated_by = user if user is not None and user.pk else None
        report.save()
        ReportChange.objects.bulk_create(changes)
        _revalidate_next_year(report, stored)
    return SaveResult(
        report=report, findings=findings, changed=[c.field for c in changes]
    )


def _validate(
    report: AnnualReport,
    values: Mapping[str, CellValue],
    *,
    previous: Mapping[str, CellValue] | None,
) -> list[Finding]:
    return validate_report(
        table_format=report.table_format,
        values=values,
        sections=report.sections,
        signatories=report_signatories(report),
        year=report.year,
        table_year=report.table_year,
        previous=previous,
    )


def report_findings(
    report: AnnualReport,
    *,
    values: Mapping[str, CellValue] | None = None,
    previous: Mapping[str, CellValue] | None | EllipsisType = ...,
) -> list[Finding]:
    """The findings of a stored report, as the validator sees it now.

    A caller that has already read the report's values, or last year's
    (``None`` when there is no report last year), passes them in.
    """
    return _validate(
        report,
        report_values(report) if values is None else values,
        previous=previous_values(report) if previous is ... else previous,
    )


def _store_counts(report: AnnualReport, findings: list[Finding]) -> None:
    counts = count_findings(findings)
    report.missing_count = counts["missing"]
    report.error_count = counts["error"]
    report.warning_count = counts["warning"]


def _revalidate_next_year(
    report: AnnualReport, values: Mapping[str, CellValue]
) -> None:
    """Next year's cross-year findings read this report: keep its counts true."""
    following = next_report(report)
    if following is None:
        return
    findings = _validate(following, report_values(following), previous=values)
    _store_counts(following, findings)
    AnnualReport.objects.filter(pk=following.pk).update(
        missing_count=following.missing_count,
        error_count=following.error_count,
        warning_count=following.warning_count,
    )


def finding_key(finding: Finding) -> str:
    """A stable key for a warning, under which its explanation is stored."""
    return f"{finding.rule}|{'/'.join(finding.cells)}"


def report_submit(
    *,
    report: AnnualReport,
    user: AbstractBaseUser | None,
    explanations: Mapping[str, str] | None = None,
) -> AnnualReport:
    """Submit for review: nothing missing, no error, every warning explained."""
    _check_may_file(user, report.agency)
    explanations = explanations or {}
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if locked.status not in EDITABLE:
            raise ReportError(
                f"报告状态为“{locked.get_status_display()}”，不能再次提交。"
            )
        findings = report_findings(locked)
        counts = count_findings(findings)
        if counts["missing"] or counts["error"]:
            raise ReportError(
                f"还有 {counts['missing']} 个缺项、{counts['error']} 个错误，"
                "不能提交审核；请补齐并改正后再提交（草稿已保存）。"
            )
        warnings = {finding_key(f): f for f in findings if f.severity == "warning"}
        lacking = [
            f"请说明：{f.message}"
            for key, f in warnings.items()
            if not (explanations.get(key) or "").strip()
        ]
        if lacking:
            raise ReportError(lacking)
        previous_status = locked.status
        locked.explanations = {k: explanations[k].strip() for k in warnings}
        locked.status = AnnualReport.Status.SUBMITTED
        locked.version += 1
        _store_counts(locked, findings)
        locked.updated_by = user if user is not None and user.pk else None
        locked.save()
        ReviewEvent.objects.create(
            report=locked,
            from_status=previous_status,
            to_status=locked.status,
            user=locked.updated_by,
        )
    return locked
