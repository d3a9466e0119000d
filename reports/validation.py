"""The validator: every finding of a report at once, never stopping half-way.

Rules live beside the cells in ``reports.tables``; this module only walks
them, adds the "missing" findings (blank cells, empty required sections and
signatories) and the type checks, and counts the result. Like Django's
``validate_password`` it collects everything and leaves the decision to the
caller.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from reports.tables import (
    NA,
    SIGNATORIES,
    CellValueError,
    Finding,
    Severity,
    TableFormat,
    Values,
)
from reports.tables.base import Context

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.MISSING: 1, Severity.WARNING: 2}


def validate_report(
    *,
    table_format: TableFormat,
    values: Values,
    sections: Mapping[str, str] | None = None,
    signatories: Mapping[str, str | date | None] | None = None,
    year: int | None = None,
    table_year: int | None = None,
    previous: Values | None = None,
) -> list[Finding]:
    """Every finding of one report, errors first, in the order of the form.

    ``sections`` and ``signatories`` left as None are not checked (a table
    alone, as in a spreadsheet row without narrative columns, is judged as a
    table); pass a mapping, even empty, to check them.
    """
    cells = table_format.cells
    findings: list[Finding] = []
    for code, cell in cells.items():
        value = values.get(code)
        if value is None:
            if cell.required:
                findings.append(
                    Finding(
                        Severity.MISSING,
                        "missing_cell",
                        (code,),
                        f"「{cell.display_name}」未填写（没有发生请填 0）。",
                    )
                )
            continue
        if value is NA:
            if not cell.allows_na:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "invalid_value",
                        (code,),
                        f"「{cell.display_name}」不能填“不适用”。",
                    )
                )
            continue
        try:
            cell.check(value)  # type: ignore[arg-type]
        except CellValueError as exc:
            findings.append(
                Finding(Severity.ERROR, "invalid_value", (code,), exc.message)
            )
    unknown = sorted(set(values) - set(cells))
    if unknown:
        findings.append(
            Finding(
                Severity.ERROR,
                "unknown_cell",
                tuple(unknown),
                f"{table_format.name}没有这些单元格：{'、'.join(unknown)}。",
            )
        )
    invalid = {f.cells[0] for f in findings if f.rule == "invalid_value"}
    usable = {c: v for c, v in values.items() if c not in invalid}
    ctx = Context(cells=cells, year=year, table_year=table_year, previous=previous)
    for rule in table_format.rules:
        findings.extend(rule.evaluate(usable, ctx))
    if sections is not None:
        findings.extend(_missing_sections(table_format, sections, values))
    if signatories is not None:
        findings.extend(_missing_signatories(signatories))
    order = {code: index for index, code in enumerate(cells)}
    return sorted(
        findings,
        key=lambda f: (
            SEVERITY_ORDER[f.severity],
            min((order.get(c, len(order)) for c in f.cells), default=-1),
        ),
    )


def _missing_sections(
    table_format: TableFormat, sections: Mapping[str, str], values: Values
) -> Iterable[Finding]:
    for section in table_format.sections:
        if not section.required or (sections.get(section.key) or "").strip():
            continue
        if section.table and _table_has_values(table_format, section.table, values):
            continue  # the part is its table, and the table is filled in
        yield Finding(
            Severity.MISSING,
            "missing_section",
            (f"section:{section.key}",),
            f"正文「{section.title}」未填写。",
        )


def _table_has_values(table_format: TableFormat, key: str, values: Values) -> bool:
    table = next(t for t in table_format.tables if t.key == key)
    return any(values.get(cell.code) is not None for cell in table.cells())


def _missing_signatories(
    signatories: Mapping[str, str | date | None],
) -> Iterable[Finding]:
    for key, label in SIGNATORIES:
        value = signatories.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield Finding(
                Severity.MISSING,
                "missing_signatory",
                (f"signatory:{key}",),
                f"表尾「{label}」未填写。",
            )


def count_findings(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {str(s): counts.get(s, 0) for s in Severity}
