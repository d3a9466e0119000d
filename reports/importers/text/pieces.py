"""Labels and headings broken over lines, joined back into one.

A narrow column of a web page or a Word table breaks its text over lines: a
row label over two or three lines ("政府信息公开行政" / "复议数量"), a column
heading one to three characters a line ("三、本" / "年度办" / "理结果";
"社" / "会" / "公" / "益" / "组" / "织"), with padding around each piece.
None of the pieces reads as anything on its own, so the line-by-line reader
would report each as unplaced and end the table after three of them.

``join_pieces`` is asked about a line that cannot be read on its own (or that
reads as a label or heading only as a prefix of a longer one): it joins the
first field of that line with the first fields of the lines below, while they
cannot be read on their own either, and takes the longest join that is a
label or a heading (not a title). The values printed on any of the pieces'
lines, after the piece, stay on their lines; a line that held only a piece
becomes empty. A join never crosses a sentence, a line that reads as
something of its own (other than a short piece), or ``MAX_JOINED`` characters.
"""

import re
from collections.abc import Callable
from dataclasses import replace

from reports.importers.labels import LabelIndex, has_numbering, squeeze
from reports.importers.text.lines import (
    EMPTY_KINDS,
    VALUE_KINDS,
    Event,
    Kind,
    atom,
    classify_line,
)
from reports.importers.text.values import NA, UNITS, looks_like_value, number_token

MAX_PIECES = 24  # lines one label may be broken over (one character a line)
MAX_FIRST = 40  # characters of a first piece (a longer line is no piece)
MAX_JOINED = 48  # characters of a joined label
SHORT_PIECE = 3  # a piece this short may read as a heading alone ("其他")
# Not a table's title: an agency's name above a report's title would join
# into one ("吉林市统计局龙潭分局" / "2016年…年度报告附表").
JOINED_KINDS = (Kind.LABEL, Kind.FURNITURE)
# What a first piece may read as alone: a shorter label or heading, or a
# Chinese numeral ("三" of "三、本年度办理结果" printed a character a line).
STARTS = (*JOINED_KINDS, Kind.NOT_NUMBER)
_CELL_KINDS = VALUE_KINDS | EMPTY_KINDS | {Kind.UNIT, Kind.NOTE}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2}|[、，]")  # not "十二", "三"
_PUNCTUATION = re.compile(r"^[\s、，,.．:：;；()（）“”\"'·\-—/《》]+$")


def _is_cell_word(word: str) -> bool:
    squeezed = squeeze(word)
    if squeezed not in NA and _PUNCTUATION.match(squeezed):
        return False  # "、" of a heading broken a character a line
    return bool(
        squeezed in NA
        or squeezed in UNITS
        or number_token(word)
        or looks_like_value(word)
    )


def split_piece(line: str) -> tuple[str, str]:
    """The first field of a line (a possible piece of a label) and the rest of
    the line, its cells, as a line of their own ("" when none)."""
    text = line.replace("｜", "|")
    if "|" in text:
        # Empty places before the piece are the label columns' ("|  | 2.其他").
        body = text.strip().lstrip("| \t\u3000")
        piece, separator, rest = body.partition("|")
        return piece.strip(), ("|" + rest) if separator and rest.strip(" |") else ""
    if "\t" in text:
        fields = text.split("\t")
        # Empty fields before the piece are the label columns' ("\t一情形…").
        k = next((n for n, f in enumerate(fields) if f.strip()), 0)
        if not _CJK.search(fields[k]):
            return "", line
        return fields[k].strip(), "\t".join(fields[k + 1 :])
    words = text.split()
    end = len(words)
    while end > 0 and _is_cell_word(words[end - 1]):
        end -= 1
    return " ".join(words[:end]), " ".join(words[end:])


def _piece_of(line: str, *, first: bool = False) -> tuple[str, str] | None:
    """A line's piece and the rest, if it may be a piece of a label: Chinese
    characters, or (after the first piece) the punctuation of a label, or a
    word alone that could be written as a value ("大量" of "4.无正当理由" /
    "大量" / "反复申请"; the join is kept only if it makes a label)."""
    if not line or "。" in line:
        return None
    piece, rest = split_piece(line)
    word = line.strip()
    if not piece and not first and _CJK_ONLY.match(word):
        piece, rest = word, ""
    if not piece:
        return None
    if not _CJK.search(piece) and (first or not _PUNCTUATION.match(piece)):
        return None
    return piece, rest


def _with_head(line: str) -> tuple[str, str]:
    """Line ``i`` of a join as (what comes before its piece, the line from its
    piece on): a group's label may stand before a sub-row's broken label on
    one line ("(三)不予公开\t1.属于国家" / "秘密\t4")."""
    for separator in ("|", "｜", "\t"):
        if separator in line:
            fields = line.split(separator)
            texts = [
                n
                for n, f in enumerate(fields)
                if f.strip() and not _is_cell_word(f.strip())
            ]
            if len(texts) >= 2:
                cut = texts[-1]
                return separator.join(fields[:cut]), separator.join(fields[cut:])
            break
    return "", line


def _rest_events(rest: str, index: LabelIndex) -> list[Event] | None:
    return classify_line(rest, index) if rest else []


def join_pieces(
    lines: list[str],
    i: int,
    alone: list[Event] | None,
    index: LabelIndex,
    own: Callable[[int], list[Event] | None],
) -> dict[int, list[Event]] | None:
    """The events of lines ``i``… when line ``i`` starts a label broken over
    lines, else None. ``alone``: line ``i``'s events read alone; ``own(j)``:
    line ``j``'s."""
    if i + 1 >= len(lines) or _piece_of(lines[i + 1]) is None and lines[i + 1]:
        return None  # the quick answer for most lines: no piece below
    head, line = _with_head(lines[i]) if alone is None else ("", lines[i])
    if alone is not None and len(alone) == 1 and alone[0].kind is Kind.NOT_NUMBER:
        first = (line.strip(), "")  # "三" of "三、本年度办理结果", a value alone
    else:
        first = _piece_of(line, first=True)
    if first is None or len(squeeze(first[0])) > MAX_FIRST:
        return None
    # A column heading with cells after it is no row: the first piece of a
    # row's label that reads as a heading alone ("其他 | 931 |  | 416" /
    # "对外管理服务事项"); only a row label may come of it.
    heading_row = alone is not None and _heading_with_cells(alone)
    texts = _texts(alone or [])
    if not (
        alone is None
        or heading_row
        or (len(texts) == 1 and texts[0].kind in STARTS and not first[1])
        or alone[0].kind is Kind.NOT_NUMBER
    ):
        return None
    before = classify_line(head, index) if head else []
    if before is None:
        return None
    pieces = [first]
    numbers = [i]
    best: tuple[Event, int] | None = None
    joined = squeeze(first[0])
    j = i
    while j + 1 < len(lines) and len(pieces) < MAX_PIECES:
        j += 1
        if lines[j] == "":
            continue  # an empty line between pieces
        found = _piece_of(lines[j])
        if found is None:
            break
        alone_j = own(j)
        if alone_j is not None and len(squeeze(found[0])) > SHORT_PIECE:
            # A line of its own ends the label, unless an unreadable first
            # piece goes before a label without numbering, its cells after
            # it or not: "其中:" / "主动公开规范性文件数" is one label,
            # "十二" / "八、…" is not.
            texts = _texts(alone_j)
            label_below = bool(texts) and texts[0].kind in JOINED_KINDS
            label_below &= all(e.kind in _CELL_KINDS for e in texts[1:])
            if alone is not None or not label_below or has_numbering(found[0]):
                break
        joined += squeeze(found[0])
        if len(joined) > MAX_JOINED:
            break
        pieces.append(found)
        numbers.append(j)
        event = atom(joined, index)
        if event is not None and event.kind in (
            (Kind.LABEL,) if heading_row else JOINED_KINDS
        ):
            best = (event, len(pieces))
    if best is None:
        return None
    event, count = best
    rests = [_rest_events(rest, index) for _piece, rest in pieces[:count]]
    if any(events is None for events in rests):
        return None  # a piece's line holds something that is no cell
    # Places counted from the rest of a line are not the line's own.
    rests = [[replace(e, column=-1) for e in events or []] for events in rests]
    joined_events: dict[int, list[Event]] = {
        n: list(events or []) for n, events in zip(numbers, rests, strict=False)
    }
    for n in range(i, numbers[count - 1] + 1):
        joined_events.setdefault(n, [])  # an empty line between pieces
    joined_events[i] = [*before, event, *joined_events[i]]
    return joined_events


def may_start_label(events: list[Event]) -> bool:
    """A lone label, heading or Chinese numeral, Chinese words read as a
    value before a row's cells ("四、结\t722\t69"), or a heading before a
    row's cells: each may be the first piece of a longer label."""
    texts = _texts(events)
    if len(texts) == 1:
        return texts[0].kind in STARTS
    return bool(events) and (_words_as_value(events[0]) or _heading_with_cells(events))


def _heading_with_cells(events: list[Event]) -> bool:
    """A column heading with cells after it ("其他 | 931 |  | 416"), empty
    label columns before it ("|  |  | 2.其他 | 342 |")."""
    texts = _texts(events)
    return (
        len(texts) > 1
        and texts[0].kind is Kind.FURNITURE
        and all(e.kind in _CELL_KINDS for e in texts[1:])
    )


def _texts(events: list[Event]) -> list[Event]:
    """A line's events without its empty cells."""
    return [e for e in events if e.kind not in EMPTY_KINDS]


def _words_as_value(event: Event) -> bool:
    return event.kind is Kind.NOT_NUMBER and bool(_CJK_WORD.search(event.text))
