"""Import from a report's text: the text of a published report, as pasted.

``parse_report_text`` finds the statistics table wherever it is and however it
is laid out (``table``, ``rows``, ``lines``, ``values``), the report's year,
the year printed over the table, 填报单位 and signatories (``meta``) and the
narrative sections (``sections``), in simplified or traditional characters.
The result is a preview, a ``TextImport``: every cell (None where missing)
with the line it came from, every line of the table that could not be placed,
and every finding, the validator's and the reader's own (rule codes
``text_*``). A value the table prints but that is no number ("十二", "若干",
"-5", "12.5") is a ``text_bad_number`` finding naming its cell and line, never
a silent blank. Nothing here writes to the database; ``import_report_text``
stores a preview through ``reports.services``.

Decisions: the report year comes from the ``year`` argument, else the title
("湘西州2017年政府信息公开工作年度报告"), which is kept as ``found_year``
either way; the format from ``table_format``, else the year, else the table's
shape. The date that closes a report's prose ("2018年3月15日") is the
report's date, not the table's 填报日期, and is not used. Names and the agency
are taken in simplified characters, trimmed; ``sources`` and
``unplaced_lines`` show lines as printed.

Several tables (two reports pasted together) are listed in ``tables``
(``found.FoundTable``); without ``table_index`` the first is read and a
``text_two_tables`` error says so; with it, only the chosen table's part of
the text is read, with line numbers as in the whole text.
"""

import re
from dataclasses import replace
from pathlib import Path

from reports.importers.labels import to_simplified
from reports.importers.text.claims import find_claims, text_vs_table
from reports.importers.text.edition import edition_check, found_edition
from reports.importers.text.found import FoundTable, found_tables
from reports.importers.text.lines import chinese_lines, count_labels
from reports.importers.text.meta import (
    find_year,
    infer_year,
    looks_like_report,
    not_report_reason,
    read_signatories,
)
from reports.importers.text.result import TextImport, as_json
from reports.importers.text.rows import TableRead
from reports.importers.text.sections import SectionIndex, split_sections
from reports.importers.text.table import Classified, read_tables
from reports.tables import (
    FORMATS,
    CellValue,
    Finding,
    Severity,
    TableFormat,
    format_for_year,
)
from reports.validation import validate_report

__all__ = [
    "MAX_TEXT_CHARS",
    "FoundTable",
    "TextImport",
    "TextImportError",
    "as_json",
    "parse_report_text",
    "read_text_file",
]

MAX_TEXT_CHARS = 5 * 1024 * 1024
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
EDITION_MISMATCH = "text_edition_mismatch"
SHAPE_LABELS = 5  # rows of a format named in a text that make it "its" table


class TextImportError(ValueError):
    """Input that cannot be read at all (too long, not text); message in Chinese."""


def _finding(severity: Severity, rule: str, message: str) -> Finding:
    return Finding(severity, rule, (), message)


def _choose_format(
    lines: list[str],
    candidates: list[int],
    forced: TableFormat | None,
    year: int | None,
) -> tuple[TableFormat, list[Finding]]:
    """``forced``, else the year's format, else the table's shape (else A)."""
    findings: list[Finding] = []
    chosen = forced
    if chosen is None and year is not None:
        try:
            chosen = format_for_year(year)
        except KeyError:
            findings.append(
                _finding(
                    Severity.WARNING,
                    "text_format_year",
                    f"{year} 年没有适用的统计表格式，按统计表的样式判断。",
                )
            )
    counts = count_labels(lines, candidates, FORMATS.values())
    # Tables 三 and 四 are common to B2019 and B: a tie goes to the newer.
    best = max(reversed(FORMATS.values()), key=lambda f: counts[f.code])
    if chosen is None:
        chosen = best if counts[best.code] else FORMATS["A"]
        return edition_check(chosen, found_edition(lines)) or chosen, findings
    other = edition_check(chosen, found_edition(lines))
    if other is not None:
        edition = found_edition(lines)
        headings = "、".join(edition.headings[:4]) if edition else ""
        findings.append(
            _finding(
                Severity.ERROR,
                EDITION_MISMATCH,
                f"统计表的栏目（{headings}）属于「{other.name}」，"
                f"与应使用的「{chosen.name}」不同：同名的行在两版中含义不同，"
                "不能按位置填入，统计表未读取。请核对报告年度或所用的表格版本。",
            )
        )
        return chosen, findings
    if counts[best.code] >= SHAPE_LABELS and counts[chosen.code] < SHAPE_LABELS:
        findings.append(
            _finding(
                Severity.WARNING,
                "text_format_mismatch",
                f"文中的统计表像是「{best.name}」，但按报告年度应使用"
                f"「{chosen.name}」，统计表未能读取，请核对年度。",
            )
        )
    return chosen, findings


def _report_year(
    year: int | None, found_year: int | None, lines: list[str]
) -> tuple[int | None, list[Finding]]:
    """``year``, else the title's, else one inferred from the reporting period
    or the first sentences, with a finding that says so."""
    if year is not None or found_year is not None:
        return (year if year is not None else found_year), []
    inferred = infer_year(lines)
    if inferred is None:
        return None, []
    found, words = inferred
    return found, [
        _finding(
            Severity.WARNING,
            "text_year_inferred",
            f"标题中没有报告年度，按正文“{words}”推断为 {found} 年，请核对。",
        )
    ]


def parse_report_text(
    text: str,
    *,
    table_format: TableFormat | None = None,
    year: int | None = None,
    table_index: int | None = None,
) -> TextImport:
    """Read a report's text into a preview; see the module docstring.

    ``table_index`` (from 0, as in ``TextImport.tables``) reads only that
    table and its part of the text; TextImportError when there is none such.
    """
    if not isinstance(text, str):
        raise TypeError("parse_report_text expects str")
    if len(text) > MAX_TEXT_CHARS:
        raise TextImportError(
            f"文本过长：{len(text)} 个字符，最多 {MAX_TEXT_CHARS} 个字符（5 MB）。"
        )
    text = text.removeprefix("\ufeff")
    raw_lines = _LINE_BREAK.split(text)
    lines = _LINE_BREAK.split(to_simplified(text))
    if len(lines) != len(raw_lines):  # never seen; keep line numbers right anyway
        lines = [to_simplified(line) for line in raw_lines]
    if table_index is None:
        return _parse(raw_lines, lines, table_format, year, (0, len(lines) - 1))
    tables, classified = _tables(raw_lines, lines, table_format, year)
    if isinstance(table_index, bool) or not 0 <= table_index < len(tables):
        raise TextImportError(
            f"文中没有所选的第 {table_index + 1} 张统计表"
            f"（找到 {len(tables)} 张），请重新预览后再选择。"
        )
    chosen = tables[table_index]
    first, last = chosen.start_line - 1, chosen.end_line - 1
    read = _parse(
        raw_lines,
        lines,
        table_format,
        year,
        (first, last),
        classified.within(first, last),
    )
    return replace(read, tables=tables, table_index=table_index)


def _tables(
    raw_lines: list[str],
    lines: list[str],
    forced: TableFormat | None,
    year: int | None,
) -> tuple[list[FoundTable], Classified]:
    """The tables of the whole text, as ``_parse`` finds them, and its lines'
    events."""
    report_year, _inferred = _report_year(year, find_year(lines), lines)
    candidates = chinese_lines(lines)
    chosen, _findings = _choose_format(lines, candidates, forced, report_year)
    classified = Classified(len(lines), chosen)
    reads = read_tables(
        raw_lines,
        lines,
        chosen,
        SectionIndex(chosen).is_heading,
        candidates,
        classified,
    )
    return found_tables(reads, raw_lines, lines), classified


def _parse(
    all_raw: list[str],
    all_lines: list[str],
    forced: TableFormat | None,
    year: int | None,
    part: tuple[int, int],
    classified: Classified | None = None,
) -> TextImport:
    """The preview of the lines ``part`` (inclusive, 0-based) of the text; the
    others are read as empty, so that line numbers are the text's.
    ``classified``: the events of these lines, when already worked out."""
    first, last = part
    raw_part, part_lines = all_raw[first : last + 1], all_lines[first : last + 1]
    if (first, last) == (0, len(all_lines) - 1):
        raw_lines, lines = all_raw, all_lines
    else:
        before, after = [""] * first, [""] * (len(all_lines) - last - 1)
        raw_lines = before + raw_part + after
        lines = before + part_lines + after
    found_year = find_year(part_lines)
    report_year, inferred = _report_year(year, found_year, part_lines)
    candidates = chinese_lines(lines)
    chosen, findings = _choose_format(lines, candidates, forced, report_year)
    findings += inferred
    reads = read_tables(
        raw_lines,
        lines,
        chosen,
        SectionIndex(chosen).is_heading,
        candidates,
        classified,
    )
    table = reads[0]
    cells: dict[str, CellValue] = dict.fromkeys(chosen.cells)
    refused = any(f.rule == EDITION_MISMATCH for f in findings)
    if table.found and not refused:
        cells.update({c: v for c, v in table.cells.items() if c in cells})
    sources = {} if refused else {c: s for c, s in table.sources.items() if c in cells}
    regions = [region for read in reads for region in read.regions]
    claims = find_claims(lines, chosen, regions)
    sections = split_sections(
        lines,
        SectionIndex(chosen),
        regions,
        {title for read in reads for title in read.titles},
    )
    signatories, agency_name, sign_findings = read_signatories(
        raw_part, part_lines, offset=first
    )

    is_report = table.found or looks_like_report(part_lines)
    reason = "" if is_report else not_report_reason(part_lines)
    if not is_report:
        findings.insert(0, _finding(Severity.ERROR, "text_not_report", reason))
    if report_year is None:
        findings.append(
            _finding(
                Severity.WARNING,
                "text_no_year",
                "没有找到报告年度（如“2017年政府信息公开工作年度报告”），请指定年度。",
            )
        )
    if not table.found and is_report:
        findings.append(
            _finding(
                Severity.WARNING,
                "text_no_table",
                f"文中没有找到「{chosen.name}」的统计表，所有统计数均未填写。",
            )
        )
    unplaced = [
        (i + 1, raw_lines[i].strip()) for i in sorted(table.unplaced) if not refused
    ]
    if unplaced:
        shown = "、".join(f"第{n}行“{t[:30]}”" for n, t in unplaced[:10])
        more = f"等 {len(unplaced)} 行" if len(unplaced) > 10 else ""
        findings.append(
            _finding(
                Severity.WARNING,
                "text_unplaced_lines",
                f"统计表中有无法识别的内容：{shown}{more}，请核对。",
            )
        )
    findings += _two_tables(reads) + sign_findings
    findings += [] if refused else table.findings
    if table.found and not refused:
        findings += text_vs_table(claims, cells, chosen)
    findings += validate_report(
        table_format=chosen,
        values=cells,
        sections=sections,
        signatories=signatories,
        year=report_year,
        table_year=table.table_year,
    )
    return TextImport(
        format=chosen.code,
        year=report_year,
        table_year=table.table_year,
        agency_name=agency_name,
        cells=cells,
        sources=sources,
        sections=sections,
        signatories=signatories,
        unplaced_lines=unplaced,
        is_report=is_report,
        not_report_reason=reason,
        findings=findings,
        table_found=table.found,
        found_year=found_year,
        tables=found_tables(reads, raw_lines, lines),
        suggestions=[] if table.found else claims,
    )


def _two_tables(reads: list[TableRead]) -> list[Finding]:
    if len(reads) < 2:
        return []
    second = reads[1]
    count = f"至少 {len(reads)}" if reads[-1].more_after else f"{len(reads)}"
    return [
        _finding(
            Severity.ERROR,
            "text_two_tables",
            f"第{second.first + 1}行起统计表重复出现（「{second.repeated}」在前面"
            f"已读过）：文中有 {count} 张统计表，只读取了第一张。",
        )
    ]


def read_text_file(path: str | Path) -> str:
    """A text file's content: UTF-8 (with or without BOM), else GB18030.

    Raises TextImportError for a file too large, binary or in neither
    encoding, with a Chinese message.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_CHARS * 4:
            raise TextImportError(f"文件过大（{size} 字节），最多约 5 MB 文本。")
        data = path.read_bytes()
    except OSError as exc:
        raise TextImportError(f"无法读取文件 {path}：{exc.strerror}。") from None
    if b"\x00" in data:
        raise TextImportError(f"{path.name} 不是文本文件（含二进制内容）。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls > max(8, len(text) // 100):
            break
        return text
    raise TextImportError(
        f"{path.name} 不是文本文件，或编码不是 UTF-8 / GB18030，无法读取。"
    )
