"""Pages of the report admin beyond Django's own: the form and the imports."""

from reports.views.editor import ReportEditor

__all__ = ["ReportEditor"]
