"""Figures the report's sentences state, and the cell each one is about.

"全年召开2次政府信息公开工作会议" states 召开会议数 = 2; when the table says 1,
the clerk should look (rule ``text_vs_table``, a warning naming the sentence
and the cell). The mapping is declarative: ``CLAIMS`` holds, per format, a
few patterns (each with one group, the number in Arabic digits, followed by
its unit) and the code of the cell they speak of. A pattern is written
narrowly: a sentence that says something else ("州本级6425条") must not match.

In a report without a table the same figures are only *suggestions*
(sentence, number, cell): nothing is ever placed from prose.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from reports.tables import Finding, Severity, TableFormat
from reports.tables.numbers import NumberError, parse_number

_N = r"(\d[\d,]*)"
_GAP = r"[^，,。；;、\n]{0,12}?"
_DISCLOSURE = "(?:信息公开|政务公开)"
# said of one channel or one part, not of the whole: "政府网站…公开…条"
_CHANNEL = "网站|微博|微信|公报|其中|本级|县市"

# format code → ((pattern, cell code[, words that cancel it in the same
# sentence]), …); B2019 shares B's tables 三 and 四.
_A = (
    (rf"收到{_GAP}申请(?:共|总计|合计)?(?:为)?{_N}件", "a3_received"),
    (rf"(?:受理|收到){_GAP}依申请公开{_GAP}{_N}件", "a3_received"),
    (rf"主动公开{_GAP}信息(?:共|总数)?(?:为)?{_N}条", "a1_total", _CHANNEL),
    (rf"公开{_GAP}信息总数(?:为)?{_N}条", "a1_total", _CHANNEL),
    (rf"召开{_N}次{_GAP}{_DISCLOSURE}{_GAP}会议", "a9_meetings"),
    (rf"召开{_GAP}{_DISCLOSURE}{_GAP}会议(?:共)?{_N}次", "a9_meetings"),
    (rf"举办{_GAP}培训班?(?:共)?{_N}(?:次|期)", "a9_trainings"),
    (rf"举办{_N}(?:次|期){_GAP}培训", "a9_trainings"),
    (rf"(?:接受)?培训(?:人员)?(?:共)?{_N}人次?", "a9_trainees"),
    (rf"专职(?:工作)?人员(?:为)?{_N}人", "a8_staff_fulltime"),
    (rf"兼职(?:工作)?人员(?:为)?{_N}人", "a8_staff_parttime"),
    (rf"(?:收到|发生){_GAP}行政复议(?:案件)?{_N}件", "a4_reviews"),
    (rf"(?:收到|发生){_GAP}行政诉讼(?:案件)?{_N}件", "a5_suits"),
)
_B = (
    (rf"(?:收到|新收){_GAP}申请(?:共|总计|合计)?(?:为)?{_N}件", "b3_new__total"),
    (rf"上年结转{_GAP}{_N}件", "b3_carried_in__total"),
    (rf"结转下年度{_GAP}{_N}件", "b3_carried_out__total"),
    (rf"(?:收到|发生){_GAP}行政复议(?:案件)?{_N}件", "b4_review_total"),
)
CLAIMS: dict[str, tuple[tuple[str, ...], ...]] = {"A": _A, "B": _B, "B2019": _B}
_COMPILED = {
    code: tuple(
        (
            re.compile(claim[0]),
            claim[1],
            re.compile(claim[2]) if len(claim) > 2 else None,  # noqa: PLR2004
        )
        for claim in claims
    )
    for code, claims in CLAIMS.items()
}
_ENDS = "。；;！!？?．"
MAX_SENTENCE = 120  # shown in a message


@dataclass(frozen=True)
class Claim:
    """A figure a sentence states: 1-based line, the sentence, the number and
    the cell it is about."""

    line: int
    sentence: str
    number: Decimal
    code: str


def find_claims(
    lines: list[str], table_format: TableFormat, skip: list[tuple[int, int]]
) -> list[Claim]:
    """The claims of the lines outside ``skip`` (0-based inclusive regions:
    the tables), in order; each sentence counts once per cell.

    Each pattern runs once over the whole text, not line by line: a
    5 MB report is read in a few passes of the regular-expression engine.
    """
    patterns = _COMPILED.get(table_format.code, ())
    if not patterns:
        return []
    shown = list(lines)
    for first, last in skip:
        shown[first : last + 1] = [""] * (last + 1 - first)
    # Not NFKC'd: that costs more than the rest on 5 MB; "\d" and the
    # patterns take full-width digits and punctuation as they are.
    normalised = shown
    text = "\n".join(shown)
    starts = list(accumulate((len(line) + 1 for line in normalised), initial=0))
    found: dict[tuple[int, int, str], Claim] = {}
    for pattern, code, unless in patterns:
        if code not in table_format.cells:
            continue
        for match in pattern.finditer(text):
            try:
                number = parse_number(match.group(1))
            except NumberError:
                continue
            i = bisect_right(starts, match.start()) - 1
            line = normalised[i]
            at = match.start() - starts[i]
            begin = max(line.rfind(mark, 0, at) for mark in _ENDS) + 1
            ends = [e for e in (line.find(m, at) for m in _ENDS) if e >= 0]
            sentence = line[begin : min(ends) + 1 if ends else len(line)].strip()
            if unless is not None and unless.search(sentence):
                continue
            key = (i, begin, code)
            if key not in found:
                found[key] = Claim(i + 1, sentence[:MAX_SENTENCE], number, code)
    return [found[key] for key in sorted(found)]


def text_vs_table(
    claims: list[Claim], cells: dict[str, object], table_format: TableFormat
) -> list[Finding]:
    """A warning for each claim the table contradicts (a cell read with
    another number); a cell left blank is no contradiction."""
    findings = []
    for claim in claims:
        value = cells.get(claim.code)
        if not isinstance(value, Decimal) or value == claim.number:
            continue
        cell = table_format.cells[claim.code]
        findings.append(
            Finding(
                Severity.WARNING,
                "text_vs_table",
                (claim.code,),
                f"第{claim.line}行“{claim.sentence}”中为 {claim.number}"
                f"{cell.unit}，统计表「{cell.display_name}」却为 {value}"
                f"{cell.unit}，请核对。",
            )
        )
    return findings
