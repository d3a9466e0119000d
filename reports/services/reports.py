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
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from agencies import permissions
from agencies.models import Agency
from reports.models import (
    FIRST_YEAR,
    AnnualReport,
    ReportChange,
    ReportValue,
)
from reports.selectors import (
    changes_since,
    previous_values,
    report_signatories,
    report_values,
)
from reports.services import changes
from reports.services.actors import actor, is_system
from reports.services.counts import (
    findings_for,
    revalidate_next_years,
    store_counts,
)
from reports.services.errors import ReportError
from reports.services.review import is_editable, not_editable_message
from reports.tables import (
    NA,
    SIGNATORIES,
    CellValue,
    CellValueError,
    Finding,
    TableFormat,
    field_label,
    format_for_year,
)

SIGNATORY_LABELS = dict(SIGNATORIES)


class ReportExistsError(ReportError):
    def __init__(self, existing: AnnualReport) -> None:
        self.existing = existing
        super().__init__(f"{existing.agency} 的 {existing.year} 年度报告已存在。")


class StaleVersionError(ReportError):
    """Someone saved the report after the user opened (or previewed) it.

    ``conflicts`` holds, for a merged save, each field both sides changed:
    field → (this user's value, the stored value), as shown; ``merged`` the
    fields others changed and this user did not, with their stored value.
    """

    def __init__(
        self,
        report: AnnualReport,
        expected: int,
        *,
        conflicts: Mapping[str, tuple[str, str]] | None = None,
        merged: Mapping[str, str] | None = None,
    ) -> None:
        self.report = report
        self.expected = expected
        self.conflicts = dict(conflicts or {})
        self.merged = dict(merged or {})
        self.changes = list(changes_since(report, expected)) if expected > 0 else []
        who = sorted({str(c.user) for c in self.changes if c.user})
        by = "、".join(who) or "其他人"
        if self.conflicts:
            names = "、".join(
                f"「{field_label(report.table_format, name)}」"
                for name in self.conflicts
            )
            text = (
                f"保存被拒绝：您打开的是第 {expected} 版，此后{by}已保存到第 "
                f"{report.version} 版，并且也改了{names}。您的修改没有保存，"
                "也没有覆盖别人的修改；请对每一项选择保留哪个值后重新保存。"
            )
        else:
            text = (
                f"保存被拒绝：您打开（或预览）的是第 {expected} 版，此后{by}"
                f"已保存到第 {report.version} 版。本次没有保存任何内容；"
                "请重新打开（或重新预览）后再操作。"
            )
        super().__init__(text)


@dataclass
class SaveResult:
    report: AnnualReport
    findings: list[Finding]
    changed: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # others' changes kept


def allowed_years(today: date | None = None) -> range:
    today = today or timezone.localdate()
    return range(FIRST_YEAR, today.year + 1)  # no report for a future year


def _check_year(year: int) -> None:
    years = allowed_years()
    if year not in years:
        raise ReportError(f"报告年度 {year} 不在 {years.start}–{years.stop - 1} 之间。")


def _check_may_file(user: AbstractBaseUser, agency: Agency) -> None:
    if not (is_system(user) or permissions.can_file(user, agency)):
        raise PermissionDenied(f"您无权为「{agency}」填报。")


def report_create(
    *,
    agency: Agency,
    year: int,
    user: AbstractBaseUser,
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
        updated_by=actor(user),
    )
    store_counts(report, _validate(report, {}, previous=previous_values(report)))
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
            text = "" if value is None else str(value).replace("\x00", "").strip()
            if len(text) > 50:
                errors.append(f"「{SIGNATORY_LABELS[key]}」超过 50 个字。")
            cleaned[key] = text
    return cleaned, errors


def report_save_values(
    *,
    report: AnnualReport,
    user: AbstractBaseUser,
    expected_version: int,
    values: Mapping[str, object] | None = None,
    sections: Mapping[str, str] | None = None,
    signatories: Mapping[str, object] | None = None,
    table_year: int | None | EllipsisType = ...,
    source: str | None = None,
    source_text: str | None = None,
    source_file: tuple[str, bytes] | None = None,
    merge: bool = False,
) -> SaveResult:
    """Validate and store values, sections and signatories of one report.

    Only the fields named change (a None value blanks a cell). A save that
    changes nothing stores nothing and makes no version.

    ``expected_version`` is the version the user saw. When the report has been
    saved since: with ``merge`` (the form), the user's edits are the fields
    they sent that differ from that version; others' changes to other fields
    are kept and reported in ``SaveResult.merged``, and only a field both
    changed, differently, refuses the save (StaleVersionError naming it).
    Without ``merge`` (imports, which replace what the user previewed) any
    later save refuses it. A refused value raises ReportError naming every
    bad cell. Whatever is refused, nothing is stored.
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
    proposed = changes.proposal(
        values=cleaned, sections=sections, signatories=signed, table_year=table_year
    )

    with transaction.atomic():
        current = AnnualReport.objects.select_for_update().get(pk=report.pk)
        _check_editable(current)
        stored = report_values(current)
        state = changes.stored_state(
            values=stored,
            sections=current.sections,
            signatories=report_signatories(current),
            table_year=current.table_year,
        )
        merged: list[str] = []
        if expected_version != current.version:
            if not merge or not 0 < expected_version < current.version:
                raise StaleVersionError(current, expected_version)
            later = list(changes_since(current, expected_version))
            outcome = changes.merge(
                base=changes.state_at(changes.as_text(state), later),
                current=state,
                proposed=proposed,
            )
            if outcome.conflicts:
                now = changes.as_text(state)
                raise StaleVersionError(
                    current,
                    expected_version,
                    conflicts=outcome.conflicts,
                    merged={name: now.get(name, "") for name in outcome.merged},
                )
            edits, merged = outcome.edits, outcome.merged
        else:
            edits = changes.differences(state, proposed)
        if not edits:  # nothing to store, not even the source: no version
            report.refresh_from_db()
            return SaveResult(
                report=report,
                findings=_validate(current, stored, previous=previous_values(current)),
                merged=merged,
            )
        if source is not None:
            current.source = source
        # The original kept is the one this import came from: a text or a file.
        if source_text is not None:
            current.source_text = source_text
            current.source_file = None
        if source_file is not None:
            name, content = source_file
            current.source_text = ""
            _keep_original(current, name, content)
        _apply(current, stored, edits)
        findings = _validate(current, stored, previous=previous_values(current))
        store_counts(current, findings)
        current.version += 1
        current.updated_by = actor(user)
        current.save()
        ReportChange.objects.bulk_create(_records(current, user, edits))
        if any(name in table_format.cells for name in edits):
            revalidate_next_years([current], {current.pk: stored})
    report.refresh_from_db()
    return SaveResult(
        report=report, findings=findings, changed=list(edits), merged=merged
    )


def _keep_original(report: AnnualReport, name: str, content: bytes) -> None:
    # A full or read-only disk refuses the whole save: the transaction rolls back.
    try:
        report.source_file.save(name, ContentFile(content), save=False)
    except OSError as exc:
        raise ReportError(
            "原始文件无法保存（服务器磁盘已满或不可写），本次没有保存任何内容；"
            "请稍后重试，如仍失败请联系系统管理员。"
        ) from exc


def _check_editable(report: AnnualReport) -> None:
    if not is_editable(report):
        raise ReportError(not_editable_message(report))


def _apply(
    report: AnnualReport,
    stored: dict[str, CellValue],
    edits: Mapping[str, tuple[object, object]],
) -> None:
    """Write the edited fields: cells to rows, the rest onto ``report``."""
    to_write: list[ReportValue] = []
    to_blank: list[str] = []
    sections = dict(report.sections)
    for name, (_old, value) in edits.items():
        if name in report.table_format.cells:
            if value is None:
                to_blank.append(name)
                stored.pop(name, None)
            else:
                to_write.append(
                    ReportValue(
                        report=report,
                        code=name,
                        value=None if value is NA else value,
                        not_applicable=value is NA,
                    )
                )
                stored[name] = value  # type: ignore[assignment]
        elif name.startswith(changes.SECTION):
            sections[name.removeprefix(changes.SECTION)] = value
        elif name.startswith(changes.SIGNATORY):
            setattr(report, name.removeprefix(changes.SIGNATORY), value)
        elif name == changes.TABLE_YEAR:
            report.table_year = value  # type: ignore[assignment]
    report.sections = sections
    if to_blank:
        ReportValue.objects.filter(report=report, code__in=to_blank).delete()
    if to_write:
        ReportValue.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["report", "code"],
            update_fields=["value", "not_applicable"],
        )


def _records(
    report: AnnualReport,
    user: AbstractBaseUser,
    edits: Mapping[str, tuple[object, object]],
) -> list[ReportChange]:
    return [
        ReportChange(
            report=report,
            version=report.version,
            field=name,
            old=changes.as_shown(name, old),
            new=changes.as_shown(name, new),
            user=actor(user),
        )
        for name, (old, new) in edits.items()
    ]


def _validate(
    report: AnnualReport,
    values: Mapping[str, CellValue],
    *,
    previous: Mapping[str, CellValue] | None,
) -> list[Finding]:
    return findings_for(report, values, previous=previous)


def report_deletable(report: AnnualReport) -> bool:
    """Only a draft that was never submitted may be deleted: once submitted, a
    report and its history (review events, change records) stay."""
    return report.status == AnnualReport.Status.DRAFT and not report.events.exists()


def report_delete(*, report: AnnualReport, user: AbstractBaseUser) -> None:
    """Delete a never-submitted draft, with its values and change records."""
    _check_may_file(user, report.agency)
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if not report_deletable(locked):
            raise ReportError(
                f"{locked} 已提交过审核（当前状态“{locked.get_status_display()}”），"
                "不能删除；其修改和审核记录须保留。"
            )
        locked.delete()
