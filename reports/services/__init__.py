"""Write operations on annual reports: the one write path for each.

The admin, the importers, the background tasks and the commands all call these
functions; nothing else writes report values, sections or signatories.
"""

from reports.services.actors import system_actor
from reports.services.counts import finding_key, report_findings
from reports.services.errors import ReportError
from reports.services.reports import (
    ReportExistsError,
    SaveResult,
    StaleVersionError,
    allowed_years,
    clean_values,
    report_create,
    report_deletable,
    report_delete,
    report_save_values,
)
from reports.services.review import (
    EDITABLE,
    TRANSITIONS,
    available,
    is_editable,
    not_editable_message,
    report_approve,
    report_reopen,
    report_return,
    report_submit,
    report_withdraw,
    transition_apply,
)
from reports.services.sources import report_fill_from_import, report_for_import

__all__ = [
    "TRANSITIONS",
    "available",
    "is_editable",
    "not_editable_message",
    "report_approve",
    "report_reopen",
    "report_return",
    "report_withdraw",
    "transition_apply",
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
