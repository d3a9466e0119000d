"""Put what an importer read from one report's source into that report.

One write path for the report text and the official-layout sheet, used by the
admin's import page, ``import_report_text`` and ``load_demo``. An import fills
what it found and blanks nothing: cells, sections and signatories that the
source lacks keep what the clerk may have typed.
"""

from typing import Protocol

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from agencies.models import Agency
from audit.services import Kind as AuditKind
from audit.services import audit_record
from reports.models import AnnualReport
from reports.services.reports import (
    ReportError,
    SaveResult,
    report_create,
    report_save_values,
)
from reports.services.review import is_editable, not_editable_message
from reports.tables import CellValue


class ImportedReport(Protocol):
    """What an importer hands over (``reports.importers.text.TextImport``)."""

    table_year: int | None
    sections: dict[str, str]
    signatories: dict[str, object]

    def values(self) -> dict[str, CellValue]: ...


def report_for_import(
    *, agency: Agency, year: int, user: AbstractBaseUser, source: str
) -> AnnualReport:
    """The agency's report for the year, created if missing, if still editable."""
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    if report is None:
        return report_create(agency=agency, year=year, user=user, source=source)
    if not is_editable(report):
        raise ReportError(not_editable_message(report))
    return report


@transaction.atomic
def report_fill_from_import(
    *,
    report: AnnualReport,
    user: AbstractBaseUser,
    expected_version: int,
    imported: ImportedReport,
    source: str,
    source_text: str | None = None,
    source_file: tuple[str, bytes] | None = None,
) -> SaveResult:
    """Save the cells, sections and signatories an import found, and keep its
    original (the text, or the file as ``(name, bytes)``) with the report.

    Strict about versions: a report saved since the preview is refused
    (StaleVersionError), never merged into.
    """
    result = report_save_values(
        report=report,
        user=user,
        expected_version=expected_version,
        values=imported.values(),
        sections={k: v for k, v in imported.sections.items() if v and v.strip()},
        signatories={k: v for k, v in imported.signatories.items() if v},
        table_year=imported.table_year
        if imported.table_year is not None
        else report.table_year,
        source=source,
        source_text=source_text,
        source_file=source_file,
    )
    if result.changed:
        audit_record(
            kind=AuditKind.IMPORT,
            user=user,
            report=result.report,
            action="report",
            summary=f"导入{result.report}：改动 {len(result.changed)} 项"
            f"（来源：{AnnualReport.Source(source).label}）",
            detail={"version": result.report.version, "source": source},
        )
    return result
