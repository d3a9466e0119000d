"""What a reviewer checks beyond the validator: a report copied from last year.

The validator (reports/validation.py) judges a report on its own; these
checks compare it with the agency's report of the year before: a statistics
table identical to last year's, a narrative section whose text is mostly last
year's, and each cell's change from last year (a change of ten times or more
is marked). They are warnings on the review page only: a clerk cannot be asked
to explain a report for not being new. Pure reads: nothing here writes.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from reports.tables import CellValue, Finding, Severity, TableFormat
from reports.tables.base import fmt, shown

SAME_TABLE = "same_table_as_last_year"
COPIED_SECTION = "section_copied"
COPIED_SHARE = 0.8  # the share of last year's text that makes a section copied
JUMP = 10  # a change of this many times (up or down) is marked
TEXT_LIMIT = 10_000  # characters of a section compared
# Shorter sections ("无。", "无需要回应解读的情况。") are alike every year
# without being copied.
SHORT_TEXT = 30


@dataclass(frozen=True)
class Comparison:
    """One cell beside last year's: what a reviewer reads next to the value."""

    before: str  # last year's value as written ("" blank, "/" not applicable)
    change: str = ""  # "+2" or "-3"; "" when unchanged or either is no number
    jump: str = ""  # "×12↑" or "÷12↓" for a change of ten times or more
    jump_title: str = ""  # the same in words, for the tooltip


def _times(now: Decimal, before: Decimal) -> tuple[str, str]:
    """The mark of a change of ten times or more, with its words."""
    if now <= 0 or before <= 0:
        # From or to nothing is no multiple; the change itself says it.
        return "", ""
    if now >= before * JUMP:
        times = fmt(round(now / before))
        return f"×{times}↑", f"是上年的 {times} 倍"
    if before >= now * JUMP:
        times = fmt(round(before / now))
        return f"÷{times}↓", f"只有上年的 1/{times}"
    return "", ""


def compare_cell(now: CellValue, before: CellValue) -> Comparison | None:
    """This year's value beside last year's; None when last year's is blank."""
    if before is None:
        return None
    if not (isinstance(now, Decimal) and isinstance(before, Decimal)):
        return Comparison(before=shown(before))
    difference = now - before
    change = ""
    if difference:
        change = ("+" if difference > 0 else "") + fmt(difference)
    jump, title = _times(now, before)
    return Comparison(before=shown(before), change=change, jump=jump, jump_title=title)


def compare_cells(
    table_format: TableFormat,
    values: Mapping[str, CellValue],
    previous: Mapping[str, CellValue] | None,
) -> dict[str, Comparison]:
    """Each cell of the format that last year's report filled, by code.

    Cells are matched by code: formats B2019 and B share theirs; format A
    shares none with them, so a first format B report has no comparisons.
    """
    if not previous:
        return {}
    result = {}
    for code in table_format.cells:
        comparison = compare_cell(values.get(code), previous.get(code))
        if comparison is not None:
            result[code] = comparison
    return result


def same_tables(
    table_format: TableFormat,
    values: Mapping[str, CellValue],
    previous: Mapping[str, CellValue] | None,
    *,
    previous_format: str | None,
) -> list[Finding]:
    """A warning for each official table whose every cell is last year's.

    Only when last year's report is of the same format and its table holds a
    number other than 0: two years of nothing (no 行政复议, no 诉讼) are
    alike without being copied.
    """
    if not previous or previous_format != table_format.code:
        return []
    findings = []
    for table in table_format.tables:
        codes = [cell.code for cell in table.cells()]
        held = [previous.get(code) for code in codes]
        if not any(isinstance(v, Decimal) and v != 0 for v in held):
            continue
        if all(
            values.get(code) == before for code, before in zip(codes, held, strict=True)
        ):
            findings.append(
                Finding(
                    Severity.WARNING,
                    SAME_TABLE,
                    (),
                    f"「{table.title}」的 {len(codes)} 项数值与上年报告完全相同，"
                    "请核实是否照抄了上年的数据。",
                )
            )
    return findings


def copied_share(text: str, before: str) -> float | None:
    """The share of ``text`` that is the same as ``before`` (difflib's ratio)
    when it is at least ``COPIED_SHARE``; None below.

    Chinese text is compared without difflib's "junk" heuristic, which would
    ignore its most frequent characters (的, 公, 开). Each text counts up to
    ``TEXT_LIMIT`` characters, to bound the time of a comparison.
    """
    matcher = SequenceMatcher(None, text[:TEXT_LIMIT], before[:TEXT_LIMIT], False)
    # Cheap upper bounds first: most sections differ and stop here.
    if matcher.real_quick_ratio() < COPIED_SHARE:
        return None
    if matcher.quick_ratio() < COPIED_SHARE:
        return None
    share = matcher.ratio()
    return share if share >= COPIED_SHARE else None


def section_copies(
    table_format: TableFormat,
    sections: Mapping[str, str],
    previous_sections: Mapping[str, str] | None,
) -> dict[str, float]:
    """The narrative sections mostly the same as last year's: key → share."""
    if not previous_sections:
        return {}
    copies = {}
    for section in table_format.sections:
        text = (sections.get(section.key) or "").strip()
        before = (previous_sections.get(section.key) or "").strip()
        if len(text) >= SHORT_TEXT and before:
            share = copied_share(text, before)
            if share is not None:
                copies[section.key] = share
    return copies


def copied_sections(
    table_format: TableFormat, copies: Mapping[str, float]
) -> list[Finding]:
    """A warning for each section of ``section_copies``, in the form's order."""
    return [
        Finding(
            Severity.WARNING,
            COPIED_SECTION,
            (f"section:{section.key}",),
            f"正文「{section.title}」与上年报告的相同文字约占 "
            f"{copies[section.key]:.0%}，请核实是否照抄了上年的报告。",
        )
        for section in table_format.sections
        if section.key in copies
    ]


@dataclass(frozen=True)
class ReviewChecks:
    """Everything the review page shows of the comparison with last year."""

    findings: list[Finding]  # warnings: identical tables, copied sections
    comparisons: dict[str, Comparison]  # by cell code
    copies: dict[str, float]  # by section key


def review_checks(
    table_format: TableFormat,
    *,
    values: Mapping[str, CellValue],
    sections: Mapping[str, str],
    previous: Mapping[str, CellValue] | None,
    previous_format: str | None,
    previous_sections: Mapping[str, str] | None,
) -> ReviewChecks:
    """The checks of this module on one report; ``previous`` and
    ``previous_sections`` are None when the agency filed nothing last year."""
    copies = section_copies(table_format, sections, previous_sections)
    return ReviewChecks(
        findings=[
            *same_tables(
                table_format, values, previous, previous_format=previous_format
            ),
            *copied_sections(table_format, copies),
        ],
        comparisons=compare_cells(table_format, values, previous),
        copies=copies,
    )
