"""The narrative sections of a report, found by their headings.

A heading is a line numbered "一、" … "十、" whose text starts with a section
title or variant of the format (``reports.tables``), compared after
normalisation; text may follow on the same line ("三、回应解读情况。据统计…")
and becomes the start of the section. A section runs to the next numbered
heading. Two headings of the same section (format A's 六 and 七 in seed 003)
are appended. A numbered heading that matches no section and is numbered after
the current one starts a block that goes to ``other`` (其他需要报告的事项) with
its heading, so that nothing the report says is lost; "附表"/"附件" (the table
itself) and the text before the first heading are left out. Table regions are
skipped, except table titles that are headings (format B's "二、主动公开政府信息
情况").
"""

import re
from collections.abc import Collection

from reports.importers.labels import simplified_key, squeeze
from reports.tables import TableFormat

_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.*)$")
_AFTER_TITLE = "。.:：,，;；(（ "
_LEADING_PUNCTUATION = "。.:：,，;； \xa0\u3000"
_NUMERALS = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATE_LINE = re.compile(r"^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$")
_ATTACHMENT = re.compile(r"^(?:附表|附件|附)\d*[:：]?")


def numeral(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20."""
    if "十" not in text:
        return _NUMERALS.get(text, 0)
    tens, _, units = text.partition("十")
    return _NUMERALS.get(tens, 1) * 10 + _NUMERALS.get(units, 0)


class SectionIndex:
    """The section titles and variants of one format, longest first."""

    def __init__(self, table_format: TableFormat) -> None:
        keys: dict[str, str] = {}
        for section in table_format.sections:
            for title in (section.title, *section.variants):
                keys.setdefault(simplified_key(title), section.key)
        self.keys = sorted(keys.items(), key=lambda item: -len(item[0]))
        self.exact = keys
        self.longest = max((len(k) for k in keys), default=0)
        self.other = next(
            (s.key for s in table_format.sections if s.key == "other"), None
        )

    def match(self, text: str) -> tuple[str, str] | None:
        """(section key, text after the title) when ``text`` starts with a title."""
        squeezed = squeeze(text)
        for title, key in self.keys:
            if squeezed.startswith(title) and (
                len(squeezed) == len(title) or squeezed[len(title)] in _AFTER_TITLE
            ):
                return key, _after(text, len(title))
        return None

    def is_heading(self, line: str) -> bool:
        found = _HEADING.match(line)
        return bool(found and self.match(found.group(2)))


def _after(text: str, length: int) -> str:
    """The part of ``text`` after its first ``length`` non-space characters."""
    count = 0
    for position, char in enumerate(text):
        count += len(squeeze(char))
        if count >= length:
            return text[position + 1 :].strip().lstrip(_LEADING_PUNCTUATION)
    return ""


def _trim(lines: list[str]) -> list[str]:
    """Without the signature and date that close a report, or "附件" lines."""
    lines = [line for line in lines if not _ATTACHMENT.fullmatch(squeeze(line))]
    if lines and _DATE_LINE.match(squeeze(lines[-1])):
        lines.pop()
        last = lines[-1] if lines else ""
        if last and len(squeeze(last)) <= 30 and not re.search(r"[。，,；;]", last):
            lines.pop()
    return lines


def split_sections(
    lines: list[str],
    index: SectionIndex,
    skip: Collection[tuple[int, int]] = (),
    headings: Collection[int] = (),
) -> dict[str, str]:
    """Section key → text, from simplified ``lines``.

    ``skip`` are inclusive (start, end) line ranges of tables; ``headings``
    lines inside them that may still be section headings (table titles).
    """
    skipped = sorted(skip)
    gathered: dict[str, list[str]] = {}
    current: str | None = None
    current_number = 0
    region = 0
    for i, line in enumerate(lines):
        while region < len(skipped) and skipped[region][1] < i:
            region += 1
        in_table = region < len(skipped) and skipped[region][0] <= i
        if in_table and i not in headings:
            continue
        text = line.strip()
        if not text:
            continue
        found = _HEADING.match(text)
        if found:
            number = numeral(found.group(1))
            matched = index.match(found.group(2))
            if in_table and matched is None:
                continue
            if matched is not None:
                current, current_number = matched[0], number
                if matched[1]:
                    gathered.setdefault(current, []).append(matched[1])
                continue
            if _ATTACHMENT.match(squeeze(found.group(2))):
                current, current_number = None, number
                continue
            if number > current_number:
                current, current_number = index.other, number
                if current is not None:
                    gathered.setdefault(current, []).append(text)
                continue
        elif in_table:
            continue
        elif len(text) <= index.longest * 2 and _CJK.search(text):
            # an unnumbered heading: "概述"
            key = index.exact.get(simplified_key(text))
            if key is not None:
                current = key
                continue
        if current is not None:
            gathered.setdefault(current, []).append(text)
    return {key: "\n".join(_trim(parts)) for key, parts in gathered.items()}
