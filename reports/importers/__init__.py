"""Importers: turn what a clerk has (a report's text, a spreadsheet) into values.

Importers only read and return previews; storing goes through
``reports.services`` (``report_create``, ``report_save_values``). Shared by
all of them: ``labels`` (label normalisation and matching against the format
declarations in ``reports.tables``). The report-text importer is
``reports.importers.text.parse_report_text``.
"""
