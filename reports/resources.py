"""django-import-export for reports: formats that read through nianbao's safe
reader, and a resource whose import is the bulk import service.

The admin keeps django-import-export's flow (upload, dry run with a preview,
confirm); the resource hands the whole sheet to
``reports.services.imports.reports_import`` so that the preview shows exactly
what the confirmed import will do, and either every row is imported or none.
"""

from typing import Any

import tablib
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.formats import base_formats
from import_export.results import Result, RowResult

from reports.importers.flat import FlatSheetError, parse_flat
from reports.importers.sheets import Sheet, read_sheet
from reports.models import AnnualReport
from reports.services.imports import ImportOutcome, RowOutcome, reports_import

PREVIEW_HEADERS = ["机关", "年度", "改动", "缺项", "错误", "提示", "校验结果"]
# Above this many rows the import runs as a background job (ImportJob).
INTERACTIVE_ROWS = 2000
PREVIEW_FINDINGS = 5


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
    pass


class SafeCSV(_SheetFormat, base_formats.CSV):
    pass


def sheet_from_dataset(dataset: tablib.Dataset) -> Sheet:
    return Sheet(name=dataset.title or "Sheet1", rows=[list(r) for r in dataset])


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
        result = Result()
        result.diff_headers = PREVIEW_HEADERS
        if len(dataset) > INTERACTIVE_ROWS:
            message = (
                f"文件有 {len(dataset)} 行，超过 {INTERACTIVE_ROWS} 行："
                "请在报告列表页用“后台导入大文件”导入，可以离开页面并查看进度。"
            )
            result.append_invalid_row(1, {}, ValidationError([message]))
            return result
        sheet = sheet_from_dataset(dataset)
        try:
            incoming = parse_flat(sheet)
        except FlatSheetError as refused:
            result.append_invalid_row(1, {}, ValidationError(refused.messages))
            return result
        outcome = reports_import(
            incoming=incoming, user=kwargs.get("user"), dry_run=dry_run
        )
        _fill(result, outcome)
        return result


_IMPORT_TYPE = {
    "new": RowResult.IMPORT_TYPE_NEW,
    "update": RowResult.IMPORT_TYPE_UPDATE,
    "unchanged": RowResult.IMPORT_TYPE_SKIP,
}


def _preview(row: RowOutcome) -> list[str]:
    counts = row.counts
    shown = [f.message for f in row.findings if f.severity != "missing"]
    missing = counts["missing"]
    if missing:
        shown.insert(0, f"缺 {missing} 项")
    text = "；".join(shown[:PREVIEW_FINDINGS])
    if len(shown) > PREVIEW_FINDINGS:
        text += f" 等 {len(shown)} 条"
    return [
        row.agency.name if row.agency else "",
        str(row.year or ""),
        "、".join(row.changed[:8]) + (" …" if len(row.changed) > 8 else ""),
        str(counts["missing"]),
        str(counts["error"]),
        str(counts["warning"]),
        text,
    ]


def _fill(result: Result, outcome: ImportOutcome) -> None:
    for row in outcome.rows:
        result.total_rows += 1
        if row.action == "refused":
            values = dict(zip(PREVIEW_HEADERS, _preview(row), strict=True))
            result.append_invalid_row(row.row, values, ValidationError(row.errors))
            continue
        row_result = RowResult()
        row_result.import_type = _IMPORT_TYPE[row.action]
        row_result.diff = _preview(row)
        row_result.object_id = row.report_id
        row_result.object_repr = f"{row.agency} {row.year}年度报告"
        result.increment_row_result_total(row_result)
        result.append_row_result(row_result)
