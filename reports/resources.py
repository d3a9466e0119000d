"""The flat import's resource: a whole sheet to the bulk import service.

The admin keeps django-import-export's URLs and forms (reports/views/
flat_import.py replaces its two views); the resource hands the whole sheet to
``reports.services.imports.reports_import``, so that the preview shows exactly
what the confirmed import will do, and either every row is imported or none.
``preview_rows`` says per row, in Chinese and with the official cell names,
what the import did or will do.

The flat export's resource, ``ReportExportResource``, is the one place where
an export is limited to its user's scope (``filter_export``): the admin's
export, the background export job and ``export_reports`` all go through it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import tablib
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from import_export import resources
from import_export.formats import base_formats
from import_export.results import Result, RowResult

from agencies import permissions
from reports.exporters.flat import CONTENT_TYPES, SHEET_NAME, flat_table, write_flat
from reports.importers.flat import FlatSheetError
from reports.importers.flat_template import parse_flat_file
from reports.importers.sheets import Sheet, read_sheet
from reports.models import AnnualReport
from reports.services.actors import is_system
from reports.services.imports import ImportOutcome, RowOutcome, reports_import
from reports.tables import SIGNATORIES, format_for_year

PREVIEW_HEADERS = ["机关", "年度", "改动", "缺项", "错误", "提示", "校验结果"]
# Above this many rows the import runs as a background job (ImportJob).
INTERACTIVE_ROWS = 2000
PREVIEW_FINDINGS = 5
PREVIEW_CHANGES = 8
ACTIONS = {"new": "新建", "update": "更新", "unchanged": "无变化", "refused": "拒绝"}
SIGNATORY_LABELS = dict(SIGNATORIES)


class SheetRefused(Exception):
    """The file as a whole cannot be imported; ``messages`` say why."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


class _SheetFormat:
    """Read the upload as bytes and through ``read_sheet``; never with tablib."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: bytes | str) -> tablib.Dataset:
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        sheet = read_sheet(data)
        width = max(len(row) for row in sheet.rows)
        dataset = tablib.Dataset(title=sheet.name)
        for row in sheet.rows:
            dataset.append([*row, *[None] * (width - len(row))])
        return dataset


class SafeXLSX(_SheetFormat, base_formats.XLSX):
    def get_title(self) -> str:
        return "XLSX"


class SafeCSV(_SheetFormat, base_formats.CSV):
    def get_title(self) -> str:
        return "CSV"


def sheet_from_dataset(dataset: tablib.Dataset) -> Sheet:
    return Sheet(name=dataset.title or "Sheet1", rows=[list(r) for r in dataset])


def import_sheet(
    sheet: Sheet,
    *,
    user: AbstractBaseUser | None,
    dry_run: bool,
    expected_versions: Mapping[tuple[int, int], int | None] | None = None,
) -> ImportOutcome:
    """Check (and unless ``dry_run`` write) a flat sheet; SheetRefused if the
    file as a whole cannot be imported."""
    data_rows = len(sheet.rows) - 1
    if data_rows > INTERACTIVE_ROWS:
        raise SheetRefused(
            [
                f"文件有 {data_rows} 行报告，超过 {INTERACTIVE_ROWS} 行："
                "请在报告列表页用“后台导入大文件”导入，可以离开页面并查看进度。"
            ]
        )
    try:
        incoming = parse_flat_file(sheet)
    except FlatSheetError as refused:
        raise SheetRefused(refused.messages) from None
    if not incoming:
        raise SheetRefused(["文件中除表头外没有填写任何一行，没有可导入的报告。"])
    return reports_import(
        incoming=incoming,
        user=user,
        dry_run=dry_run,
        expected_versions=expected_versions,
    )


def change_label(year: int | None, key: str) -> str:
    """What ``RowOutcome.changed`` names, as users know it."""
    if key == "table_year":
        return "统计表标注年度"
    if key.startswith("signatory:"):
        return SIGNATORY_LABELS.get(key.removeprefix("signatory:"), "表尾")
    table_format = format_for_year(year) if year else None
    if key.startswith("section:"):
        wanted = key.removeprefix("section:")
        titles = {s.key: s.title for s in table_format.sections} if table_format else {}
        return f"正文“{titles.get(wanted, wanted)}”"
    cell = table_format.cells.get(key) if table_format else None
    return cell.display_name if cell else key


@dataclass
class PreviewRow:
    """One row of the preview table."""

    row: int
    action: str
    agency: str
    year: str
    changes: str
    counts: dict[str, int]
    errors: list[str] = field(default_factory=list)
    findings: str = ""

    @property
    def action_label(self) -> str:
        return ACTIONS[self.action]


def preview_row(row: RowOutcome) -> PreviewRow:
    counts = row.counts
    shown = [f.message for f in row.findings if f.severity != "missing"]
    if counts["missing"]:
        shown.insert(0, f"缺 {counts['missing']} 项")
    findings = "；".join(shown[:PREVIEW_FINDINGS])
    if len(shown) > PREVIEW_FINDINGS:
        findings += f" 等 {len(shown)} 条"
    changes = "、".join(
        change_label(row.year, c) for c in row.changed[:PREVIEW_CHANGES]
    )
    if len(row.changed) > PREVIEW_CHANGES:
        changes += f" 等 {len(row.changed)} 项"
    return PreviewRow(
        row=row.row,
        action=row.action,
        agency=row.agency.name if row.agency else "",
        year=str(row.year or ""),
        changes=changes,
        counts=counts,
        errors=list(row.errors),
        findings=findings,
    )


def preview_rows(outcome: ImportOutcome) -> list[PreviewRow]:
    """The refused rows first: they are what the user has to fix."""
    rows = [preview_row(r) for r in outcome.rows]
    return sorted(rows, key=lambda r: (r.action != "refused", r.row))


def outcome_counts(outcome: ImportOutcome) -> str:
    return (
        f"新建 {outcome.total('new')} 份，更新 {outcome.total('update')} 份，"
        f"{outcome.total('unchanged')} 份无变化"
    )


class ReportImportResource(resources.Resource):
    """One row per report: agency code or full name, year, cells by code."""

    class Meta:
        model = AnnualReport

    @classmethod
    def get_display_name(cls) -> str:
        return "年度报告（每行一份）"

    def get_user_visible_fields(self) -> list:
        return []

    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> Result:
        """django-import-export's entry point, for callers other than the admin."""
        result = Result()
        result.diff_headers = PREVIEW_HEADERS
        try:
            outcome = import_sheet(
                sheet_from_dataset(dataset),
                user=kwargs.get("user"),
                dry_run=dry_run,
                expected_versions=kwargs.get("expected_versions"),
            )
        except SheetRefused as refused:
            result.append_invalid_row(1, {}, ValidationError(refused.messages))
            return result
        for row in outcome.rows:
            result.total_rows += 1
            shown = preview_row(row)
            values = [
                shown.agency,
                shown.year,
                shown.changes,
                *(str(shown.counts[k]) for k in ("missing", "error", "warning")),
                shown.findings,
            ]
            if row.action == "refused":
                named = dict(zip(PREVIEW_HEADERS, values, strict=True))
                result.append_invalid_row(row.row, named, ValidationError(row.errors))
                continue
            row_result = RowResult()
            row_result.import_type = _IMPORT_TYPE[row.action]
            row_result.diff = values
            row_result.object_id = row.report_id
            row_result.object_repr = f"{shown.agency} {shown.year}年度报告"
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
        return result


_IMPORT_TYPE = {
    "new": RowResult.IMPORT_TYPE_NEW,
    "update": RowResult.IMPORT_TYPE_UPDATE,
    "unchanged": RowResult.IMPORT_TYPE_SKIP,
}


# Export ---------------------------------------------------------------------


class ReportExportResource(resources.Resource):
    """The flat export (reports/exporters/flat.py): one row per report.

    Every way out reads through ``filter_export``: the reports of ``user``'s
    scope (all of them for the system actor, none without a user). ``export``
    gives django-import-export's ``Dataset`` (the codes as headers, the
    labels as its first row); ``write`` streams the file itself, and is what
    the admin, the background job and ``export_reports`` use.
    """

    class Meta:
        model = AnnualReport

    def __init__(self, *, user: AbstractBaseUser | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def get_display_name(cls) -> str:
        return "年度报告（每行一份）"

    def get_user_visible_fields(self) -> list:
        return []

    def get_queryset(self) -> QuerySet[AnnualReport]:
        return AnnualReport.objects.all()

    def filter_export(
        self, queryset: QuerySet[AnnualReport], **kwargs: Any
    ) -> QuerySet[AnnualReport]:
        if self.user is None:
            return queryset.none()
        if is_system(self.user):
            return queryset
        scope = permissions.scope_q(self.user, "agency__")
        return queryset if scope is None else queryset.filter(scope)

    def export(
        self, queryset: QuerySet[AnnualReport] | None = None, **kwargs: Any
    ) -> tablib.Dataset:
        reports = self.filter_export(
            self.get_queryset() if queryset is None else queryset
        )
        table = flat_table(reports)
        dataset = tablib.Dataset(
            headers=[column.key for column in table.columns], title=SHEET_NAME
        )
        dataset.append([column.label for column in table.columns])
        for row in table.rows:
            dataset.append(row)
        return dataset

    def write(
        self,
        queryset: QuerySet[AnnualReport],
        target: BinaryIO,
        *,
        kind: str,
        progress: Callable[[int], None] | None = None,
        large: bool = False,
    ) -> int:
        """Write the file (``kind``: xlsx or csv) to ``target``; how many."""
        return write_flat(
            self.filter_export(queryset),
            target,
            kind=kind,
            progress=progress,
            large=large,
        )


class _FlatFormat(base_formats.Format):
    """An export format of the flat export; ``ReportExportResource`` writes."""

    kind = ""

    def get_title(self) -> str:
        return self.kind.upper()

    def get_extension(self) -> str:
        return self.kind

    def get_content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    def can_export(self) -> bool:
        return True


class FlatXLSX(_FlatFormat):
    kind = "xlsx"


class FlatCSV(_FlatFormat):
    kind = "csv"
