"""What a report says about itself: its year, whether it is an annual report,
its 填报单位 and the signatories under its table.

All functions read lines already converted to simplified characters.
"""

import re
import unicodedata
from datetime import date

from reports.importers.labels import squeeze
from reports.tables import SIGNATORIES, Finding, Severity

HEAD_CHARS = 3000  # how much of the opening is read for the title and year
TITLE_CHARS = 60  # a title line is short
_REPORT_TITLE = re.compile(
    r"((?:19|20)\d{2})年度?[^。\n]{0,30}?(?:信息|政务)公开[^。\n]{0,12}?(?:报告|年报)"
)
_YEAR_OF = re.compile(r"((?:19|20)\d{2})年度(?=[\u4e00-\u9fff])")
_PLAN_MARKERS = (
    "工作要点",
    "工作计划",
    "工作安排",
    "实施方案",
    "工作方案",
    "将全面",
    "将继续",
    "将进一步",
)
# The labels printed under the table (reports.tables.SIGNATORIES), and the
# shorter 负责人 some tables print for 单位负责人.
_FIELDS = {label: key for key, label in SIGNATORIES} | {"负责人": "signed_head"}
SIGN_NAMES = "|".join(re.escape(label) for label in _FIELDS)
_SIGN_KEY = re.compile(rf"({SIGN_NAMES}|填报单位(?:\(盖章\))?)\s*[:：]?")
_SIGN_LINE = re.compile(rf"^(?:{SIGN_NAMES}|填报单位)")
_DATE = re.compile(r"((?:19|20)\d{2})[年./-](\d{1,2})[月./-](\d{1,2})日?")
_STRIP = " \t\xa0\u3000|:：,，;；"


def _opening(lines: list[str]) -> str:
    text, size = [], 0
    for line in lines:
        text.append(line)
        size += len(line) + 1
        if size >= HEAD_CHARS:
            break
    opening = unicodedata.normalize("NFKC", "\n".join(text)[:HEAD_CHARS])
    return re.sub(r"[^\S\n]+", "", opening)


def _title_lines(lines: list[str], count: int = 5) -> list[str]:
    found = []
    for line in lines:
        if line.strip():
            found.append(squeeze(line))
            if len(found) == count:
                break
    return found


def find_year(lines: list[str]) -> int | None:
    """The report's year: from its title, else from the opening text."""
    title_lines = _title_lines(lines)
    for line in title_lines:
        match = _REPORT_TITLE.search(line)
        if match:
            return int(match.group(1))
    match = _REPORT_TITLE.search(_opening(lines))
    if match:
        return int(match.group(1))
    # "2017年度政府信息公开工作报告" without 信息公开…报告 in reach; not the
    # "(2017年度)" printed over a table.
    for line in title_lines:
        match = _YEAR_OF.search(line)
        if match:
            return int(match.group(1))
    return None


_PERIOD = re.compile(
    r"(?:统计期限|统计期间|统计时限|统计区间|时间范围|数据统计期|统计时段)[^。\n]{0,8}?"
    r"((?:19|20)\d{2})年1月1日起?(?:至|到|—|-|~|～)(?:\1年)?12月31日"
)
_OPENING_YEAR = re.compile(
    r"^((?:19|20)\d{2})年(?:度)?(?:[,，]|以来|全年|全[区县市州省局])"
)
OPENING_SENTENCES = 5  # lines of the body read for "2023年，全区…"


def infer_year(lines: list[str]) -> tuple[int, str] | None:
    """The year a report without one in its title is about, and the words it
    was read from: its reporting period ("统计期限为2023年1月1日至12月31日"),
    else a first sentence that opens with it ("2023年，全区…")."""
    opening = _opening(lines)
    match = _PERIOD.search(opening)
    if match:
        return int(match.group(1)), match.group(0)
    read = 0
    for line in lines:
        text = squeeze(line)
        if not text:
            continue
        match = _OPENING_YEAR.match(unicodedata.normalize("NFKC", text))
        if match:
            return int(match.group(1)), text[:20]
        read += 1
        if read >= OPENING_SENTENCES:
            break
    return None


def is_report_title(line: str) -> bool:
    """A line that is a report's title ("湘西州2017年政府信息公开工作年度报告"),
    not a sentence that names one."""
    squeezed = squeeze(line)
    return (
        0 < len(squeezed) <= TITLE_CHARS
        and "。" not in squeezed
        and bool(_REPORT_TITLE.search(squeezed))
    )


def looks_like_report(lines: list[str]) -> bool:
    """Whether the opening names the text a (年度/工作) report on 信息公开."""
    opening = _opening(lines)
    return bool(_REPORT_TITLE.search(opening)) or "年度报告" in opening


def not_report_reason(lines: list[str]) -> str:
    opening = _opening(lines)
    reason = "这不是政府信息公开工作年度报告"
    if any(marker in opening for marker in _PLAN_MARKERS):
        reason += "（看起来是工作计划/要点）"
    return (
        reason + "：开头没有“××××年政府信息公开工作年度报告”这样的标题，也没有统计表。"
    )


def _parse_date(text: str) -> date | None:
    match = _DATE.search(squeeze(text))
    if match is None:
        raise ValueError(text)
    year, month, day = (int(g) for g in match.groups())
    return date(year, month, day)


def read_signatories(
    raw_lines: list[str], lines: list[str], *, offset: int = 0
) -> tuple[dict[str, str | date | None], str | None, list[Finding]]:
    """Signatories (keys of reports.tables.SIGNATORIES), 填报单位 and findings.

    Read from lines that start with a label (单位负责人:…, 联系电话:…, 填报单位
    (盖章):…); several labels may share a line. The first non-empty value of
    each wins; values are kept as printed (simplified characters, trimmed).
    ``offset`` is the number of lines before ``lines`` in the text, for the
    line numbers of findings.
    """
    found: dict[str, str | date | None] = {key: None for key, _label in SIGNATORIES}
    agency: str | None = None
    findings: list[Finding] = []
    for i, line in enumerate(lines):
        if not _SIGN_LINE.match(line.lstrip(_STRIP)):
            continue  # cheap: NFKC leaves these labels as they are
        text = unicodedata.normalize("NFKC", line).strip()
        if not text or not _SIGN_LINE.match(text):
            continue
        keys = list(_SIGN_KEY.finditer(text))
        for n, match in enumerate(keys):
            end = keys[n + 1].start() if n + 1 < len(keys) else len(text)
            value = text[match.end() : end].strip(_STRIP)
            label = match.group(1)
            if not value:
                continue
            if label.startswith("填报单位"):
                agency = agency or value
                continue
            field = _FIELDS[label]
            if found[field] is not None:
                continue
            if field != "filled_on":
                found[field] = value
                continue
            try:
                found[field] = _parse_date(value)
            except ValueError:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "text_bad_date",
                        ("signatory:filled_on",),
                        f"第{offset + i + 1}行："
                        f"填报日期“{raw_lines[i].strip()}”无法识别。",
                    )
                )
    return found, agency, findings
