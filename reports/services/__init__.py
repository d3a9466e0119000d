"""Write operations on annual reports: the one write path for each.

The admin, the importers, the background tasks and the commands all call these
functions; nothing else writes report values, sections or signatories.
"""

from reports.services.actors import system_actor
from reports.services.reports import (
    EDITABLE,
    ReportError,
    ReportExistsError,
    SaveResult,
    StaleVersionError,
    allowed_years,
    clean_values,
    finding_key,
    report_create,
    report_deletable,
    report_delete,
    report_findings,
    report_save_values,
    report_submit,
)
from reports.services.sources import report_fill_from_import, report_for_import

__all__ = [
    "EDITABLE",
    "ReportError",
    "ReportExistsError",
    "SaveResult",
    "StaleVersionError",
    "allowed_years",
    "clean_values",
    "finding_key",
    "report_create",
    "report_deletable",
    "report_delete",
    "report_fill_from_import",
    "report_findings",
    "report_for_import",
    "report_save_values",
    "report_submit",
    "system_actor",
]
