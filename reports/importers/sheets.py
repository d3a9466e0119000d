"""Reading an uploaded spreadsheet (XLSX or CSV), safely: the only place that does.

The type is told by the content, never by the file name. An XLSX file is
checked before anything parses it: member count, declared sizes and ratios
(zip bombs), DTDs and entities in every XML part, hidden sheets, and in the
sheets to be read formulas without a saved result, error values, a used range
too large to hold and too many merged ranges. Only then does python-calamine
read the values. Formulas are never evaluated: the result Excel saved is used.

A merged range (the official form's headings, nianbao's own export) is read as
Excel shows it: its top-left value, the rest blank. A range that hides content
under it (a value in a covered cell, which Excel does not show) is refused, as
is a range that cannot be read.

Values: ``str`` (stripped, never empty), ``int``, ``Decimal``, ``datetime.date``
or ``None`` for a blank. CSV values stay strings. ``Sheet.rows`` is
rectangular, trailing blank rows and columns trimmed, and row *i* of the sheet
is ``rows[i - 1]``. Every refusal is a ``SpreadsheetError`` whose Chinese
``message`` says where.
"""

import codecs
import csv
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from python_calamine import CalamineWorkbook

from reports.importers.merged import cell_name, merged_problem

MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # smaller members cannot be bombs: the total caps them
MAX_MEMBERS = 10_000
MAX_CELLS = 5_000_000  # A1 to the last cell, summed over the sheets read
MAX_MERGES = 10_000  # merged ranges in one sheet; the official form has ~60
CHUNK = 1024 * 1024
RECALC_HINT = "请在 Excel 中打开并保存后再导入"
# (how it starts or a member it has, what it looks like, can Excel convert it)
MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Excel（.xls）文件或加密的工作簿", True),
    (b"\x89PNG", "PNG 图片", False),
    (b"\xff\xd8\xff", "JPEG 图片", False),
    (b"GIF8", "GIF 图片", False),
    (b"%PDF", "PDF 文件", False),
    (b"Rar!", "RAR 压缩包", False),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", False),
    (b"\x1f\x8b", "gzip 压缩包", False),
    (b"{\\rtf", "RTF 文档", False),
)
ZIP_KINDS = (
    ("xl/workbook.bin", "二进制 Excel 工作簿（.xlsb）", True),
    ("content.xml", "OpenDocument 文件（.ods 等）", True),
    ("word/document.xml", "Word 文档（.docx）", False),
    ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx）", False),
)
DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")
TYPE_ATTR = re.compile(rb"""\bt\s*=\s*["']([^"']*)["']""")
REF_ATTR = re.compile(rb"""\br\s*=\s*["']([^"']*)["']""")


class SpreadsheetError(Exception):
    """A file nianbao refuses; ``message`` is Chinese and says where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """One sheet's values; row *i* of the sheet is ``rows[i - 1]``."""

    name: str
    rows: list[list[object]]

    def cell_name(self, row: int, column: int) -> str:
        """Excel's name of a 1-based cell: ``cell_name(7, 2) == "B7"``."""
        return cell_name(row, column)


def upload_limit_bytes() -> int:
    """The largest upload accepted: ``settings.NIANBAO_UPLOAD_LIMIT_MB`` in bytes."""
    return settings.NIANBAO_UPLOAD_LIMIT_MB * 1024 * 1024


def read_sheet(
    data: bytes, *, filename: str = "", max_bytes: int | None = None
) -> Sheet:
    """The first visible worksheet of an XLSX file, or the CSV file's rows."""
    return _read(data, filename, max_bytes, first_only=True)[0]


def read_sheets(
    data: bytes, *, filename: str = "", max_bytes: int | None = None
) -> list[Sheet]:
    """Every visible worksheet holding data (at least one), in workbook order."""
    return _read(data, filename, max_bytes, first_only=False)


def _read(
    data: bytes, filename: str, max_bytes: int | None, first_only: bool
) -> list[Sheet]:
    label = f"“{filename}”" if filename else "文件"
    if not data:
        raise SpreadsheetError(f"{label}是空的（0 字节）：请选择填好的文件")
    limit = upload_limit_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise SpreadsheetError(
            f"{label}大小为 {_size(len(data))}，超过了上限 {_size(limit)}"
        )
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_xlsx(data, label, first_only)
    for magic, kind, convertible in MAGIC:
        if data.startswith(magic):
            raise _not_ours(label, kind, convertible)
    return [_read_csv(data, label)]


def _size(n: int) -> str:
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} 字节"


def _not_ours(label: str, kind: str, convertible: bool) -> SpreadsheetError:
    hint = "请上传 XLSX 或 CSV 文件"
    if convertible:
        hint = "请在 Excel 中打开，另存为“Excel 工作簿（*.xlsx）”后再导入"
    return SpreadsheetError(f"{label}不是 XLSX 或 CSV 文件，看起来是{kind}：{hint}")


# CSV ------------------------------------------------------------------------


def decode_text(data: bytes, label: str = "文件") -> str:
    """Text of an upload: UTF-8 (with or without BOM), else GB18030 (GBK),
    or UTF-16 with its BOM; a binary or undecodable file is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        at = data.index(b"\x00") + 1
        raise _not_ours(label, f"二进制文件（第 {at} 字节是 NUL）", False)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            error = exc
    line = data.count(b"\n", 0, error.start) + 1
    raise SpreadsheetError(
        f"{label}的编码无法识别（第 {line} 行，第 {error.start + 1} 字节）："
        "请保存为 UTF-8 或 GBK 编码"
    )


def _read_csv(data: bytes, label: str) -> Sheet:
    text = decode_text(data, label)
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        raise _not_ours(label, "网页（HTML）或 XML 文件", True)
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=header.count)  # a tie goes to the comma
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows: list[list[object]] = [[v.strip() or None for v in r] for r in reader]
    except csv.Error as exc:
        where = f"{label}第 {reader.line_num} 行"
        raise SpreadsheetError(f"{where}无法按 CSV 读取（{exc}）：请检查引号") from exc
    return _trimmed("CSV", rows, f"{label}中没有数据（CSV 文件是空的）")


def _trimmed(name: str, rows: list[list[object]], empty: str) -> Sheet:
    """Trailing blank rows and columns dropped, short rows padded with None."""
    height = width = 0
    for number, row in enumerate(rows, 1):
        for index in range(len(row) - 1, -1, -1):
            if row[index] is not None:
                height, width = number, max(width, index + 1)
                break
    if not height:
        raise SpreadsheetError(empty)
    rows = rows[:height]
    for index, row in enumerate(rows):
        if len(row) != width:
            rows[index] = row[:width] + [None] * (width - len(row))
    return Sheet(name=name, rows=rows)


# XLSX -----------------------------------------------------------------------


def _read_xlsx(data: bytes, label: str, first_only: bool) -> list[Sheet]:
    broken = f"{label}已损坏或已加密，无法作为 XLSX 读取：{RECALC_HINT}"
    if data.count(b"PK\x01\x02") > MAX_MEMBERS:
        raise SpreadsheetError(f"{label}中的文件超过 {MAX_MEMBERS} 个，已拒绝读取")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive, label)
            targets, full_calc = _plan(archive, first_only)
            read = {member for _, member in targets}
            for name in archive.namelist():
                if name.lower().endswith((".xml", ".rels")) and name not in read:
                    _scan_part(archive, name)
            scanned = [_scan_sheet(archive, *target, full_calc) for target in targets]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, LookupError) as exc:
        raise SpreadsheetError(broken) from exc
    except (NotImplementedError, RuntimeError, ValueError) as exc:
        raise SpreadsheetError(broken) from exc
    area = sum(cells for cells, _merges in scanned)
    if area > MAX_CELLS:
        raise SpreadsheetError(
            f"{label}的数据范围太大（约 {area} 个单元格，上限 {MAX_CELLS}）："
            "请删除多余的行和列后再导入"
        )
    sheets: list[Sheet] = []
    empty: list[str] = []
    try:
        workbook = CalamineWorkbook.from_object(io.BytesIO(data))
        for (name, _member), (_cells, merges) in zip(targets, scanned, strict=True):
            raw = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [[_value(value) for value in row] for row in raw]
            hidden = merged_problem(name, rows, merges)
            if hidden:
                raise SpreadsheetError(hidden)
            try:
                sheets.append(_trimmed(name, rows, f"工作表“{name}”是空的"))
            except SpreadsheetError as exc:
                empty.append(exc.message)
    except BaseException as exc:  # pyo3's PanicException is a BaseException
        if isinstance(exc, SpreadsheetError):
            raise
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise SpreadsheetError(broken) from exc
    if not sheets:
        raise SpreadsheetError(empty[0])
    return sheets


def _check_archive(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse a zip that is no workbook, or might be a zip bomb (sizes as declared)."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        kind, convertible = next(
            ((k, c) for member, k, c in ZIP_KINDS if member in names),
            ("普通的 ZIP 压缩包", False),
        )
        raise _not_ours(label, kind, convertible)
    if len(infos) > MAX_MEMBERS:
        raise SpreadsheetError(f"{label}中的文件超过 {MAX_MEMBERS} 个，已拒绝读取")
    bomb = "疑似“压缩炸弹”，已拒绝读取"
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        limit = _size(MAX_UNCOMPRESSED)
        raise SpreadsheetError(
            f"{label}解压后共 {_size(total)}，超过上限 {limit}，{bomb}"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise SpreadsheetError(
                f"{label}中的 {info.filename} 压缩比为 {ratio:.0f}:1，"
                f"超过上限 {MAX_RATIO}:1，{bomb}"
            )


def _plan(
    archive: zipfile.ZipFile, first_only: bool
) -> tuple[list[tuple[str, str]], bool]:
    """The worksheets to read as (name, member), and whether fullCalcOnLoad is set."""
    names = set(archive.namelist())
    workbook = _parse(archive, "xl/workbook.xml")
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = _parse(archive, rels_name) if rels_name in names else Element("none")
    members: dict[str, str] = {}
    for rel in rels.iter():
        target = rel.get("Target", "")
        internal = rel.get("TargetMode", "Internal") == "Internal"
        if rel.get("Type", "").endswith("/worksheet") and internal:
            path = posixpath.normpath(posixpath.join("/xl", target)).lstrip("/")
            members[rel.get("Id", "")] = path
    hidden: list[str] = []
    targets: list[tuple[str, str]] = []
    full_calc = False
    for element in workbook.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "calcPr":
            full_calc = element.get("fullCalcOnLoad") in ("1", "true")
        elif tag == "sheet":
            name = element.get("name", "")
            if element.get("state") in ("hidden", "veryHidden"):
                hidden.append(f"“{name}”")
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            if members.get(rid) in names:
                targets.append((name, members[rid]))
    if hidden:
        raise SpreadsheetError(
            f"工作簿中有隐藏的工作表{'、'.join(hidden)}："
            "请删除或取消隐藏后再导入，以免有数据被忽略"
        )
    if not targets:
        raise SpreadsheetError("工作簿中没有可读取的工作表")
    return (targets[:1] if first_only else targets), full_calc


def _parse(archive: zipfile.ZipFile, member: str) -> Element:
    _scan_part(archive, member)
    try:
        return fromstring(archive.read(member), forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise SpreadsheetError(f"工作簿的 {member} 无法解析，文件可能已损坏") from exc


def _check_chunk(chunk: bytes, member: str, first: bool) -> None:
    """Refuse UTF-16 parts (a byte search could not see their DTD) and DTDs."""
    bom16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if first and (chunk.startswith(bom16) or b"\x00" in chunk[:4]):
        raise SpreadsheetError(f"工作簿的 {member} 不是 UTF-8 编码，已拒绝读取")
    if DTD.search(chunk):
        raise SpreadsheetError(
            f"工作簿的 {member} 含有 DOCTYPE 或 ENTITY 声明"
            "（可能是 XML 实体攻击），已拒绝读取"
        )


def _scan_part(archive: zipfile.ZipFile, member: str) -> None:
    """Refuse a DTD anywhere in an XML part, reading it in chunks."""
    previous = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            _check_chunk(previous + chunk, member, first=not previous)
            previous = chunk[-32:]


@cache
def _patterns(prefix: bytes) -> dict[str, re.Pattern[bytes]]:
    """Regexes for a worksheet whose elements carry ``prefix`` (usually none)."""
    p = re.escape(prefix)
    q = rb"\s*=\s*[\"']"
    return {
        "row_end": re.compile(rb"</" + p + rb"row\s*>"),
        "merge": re.compile(rb"<" + p + rb"mergeCell\s[^>]*?\bref" + q + rb"([^\"']*)"),
        "ref": re.compile(rb"<" + p + rb"c\s[^>]*?\br" + q + rb"([A-Z]{1,3})(\d{1,7})"),
        "formula": re.compile(rb"<" + p + rb"f[\s>/]"),
        "cell": re.compile(
            rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c\s*>)", re.S
        ),
        "value": re.compile(
            rb"<" + p + rb"v\b[^>]*?(?:/>|>(.*?)</" + p + rb"v\s*>)", re.S
        ),
        "inline": re.compile(rb"<" + p + rb"is\b"),
    }


def _scan_sheet(
    archive: zipfile.ZipFile, name: str, member: str, full_calc: bool
) -> tuple[int, list[str]]:
    """Check a worksheet's XML in one streaming pass; return its area from A1
    and its merged ranges ("A1:C1").

    Each chunk is cut after its last ``</row>`` so that no cell is split; the
    rest waits for the next chunk. Refuses DTDs, too many merged ranges,
    formulas without a result and error values.
    """
    tail = b""
    merges: list[str] = []
    problem = ""
    max_row = max_column = tags = refs = row_tags = 0
    with archive.open(member) as stream:
        chunk = stream.read(CHUNK)
        root = ROOT_PREFIX.search(chunk)
        prefix = (root.group(1) or b"") if root else b""
        pat = _patterns(prefix)
        first = True
        while True:
            buffer = tail + chunk
            ends = list(pat["row_end"].finditer(buffer)) if chunk else []
            cut = ends[-1].end() if ends else (0 if chunk else len(buffer))
            region, tail = buffer[:cut], buffer[cut:]
            _check_chunk(buffer if first else region, member, first)
            first = False
            merges += [m.decode(errors="replace") for m in pat["merge"].findall(region)]
            if len(merges) > MAX_MERGES:
                raise SpreadsheetError(
                    f"工作表“{name}”中的合并单元格超过 {MAX_MERGES} 处，已拒绝读取："
                    "请取消合并后再导入"
                )
            found = pat["ref"].findall(region)
            if found:
                letters = max({c for c, _ in found}, key=lambda c: (len(c), c))
                column = 0
                for letter in letters:
                    column = column * 26 + letter - 64
                max_column = max(max_column, column)
                max_row = max(max_row, *(int(r) for r in {r for _, r in found}))
            refs += len(found)
            tags += region.count(b"<" + prefix + b"c ") + region.count(
                b"<" + prefix + b"c>"
            )
            row_tags += region.count(b"<" + prefix + b"row")
            problem = problem or _cell_problem(region, prefix, name, full_calc)
            if not chunk:
                break
            chunk = stream.read(CHUNK)
    if problem:
        raise SpreadsheetError(problem)
    # A cell without an r attribute follows the one before: bound those generously.
    return max(max_row, row_tags) * (max_column + max(tags - refs, 0)), merges


def _cell_problem(region: bytes, prefix: bytes, name: str, full_calc: bool) -> str:
    """The first formula without a result or error value in region, as a message.

    Only the cells around an ``<f>`` or a ``t="e"`` are looked at, so a sheet
    without formulas costs a few fast searches.
    """
    pat = _patterns(prefix)
    spots = [m.start() for m in pat["formula"].finditer(region)]
    for needle in (b't="e"', b"t='e'"):
        spot = region.find(needle)
        while spot >= 0:
            spots.append(spot)
            spot = region.find(needle, spot + 1)
    for spot in sorted(spots):
        start = region.rfind(b"<" + prefix + b"c", 0, spot)
        match = pat["cell"].match(region, max(start, 0))
        if not match or match.group(2) is None:
            continue
        attributes, content = match.groups()
        ref = REF_ATTR.search(attributes)
        where = f"工作表“{name}”的单元格 {ref.group(1).decode() if ref else '？'}"
        kind = TYPE_ATTR.search(attributes)
        kind_text = kind.group(1) if kind else b"n"
        cached = pat["value"].search(content)
        text = (cached.group(1) or b"").strip() if cached else b""
        if kind_text == b"e":
            error = text.decode(errors="replace") or "错误"
            return f"{where} 的值是错误值 {error}：请修正公式或数据后再导入"
        if not pat["formula"].search(content) or (
            cached is None and pat["inline"].search(content)
        ):
            continue
        if cached is None or (not text and kind_text not in (b"str", b"inlineStr")):
            return f"{where} 是公式且没有计算结果：{RECALC_HINT}"
        if full_calc and text == b"0" and kind_text == b"n":
            return (
                f"{where} 是公式，文件中保存的结果 0 未经计算"
                f"（生成文件的程序要求打开时重新计算）：{RECALC_HINT}"
            )
    return ""


def _value(value: object) -> object:
    """A calamine value as nianbao's: int, Decimal, str, date or None."""
    kind = type(value)
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if number.is_integer():
            return int(number)
        if number != number or abs(number) == float("inf"):
            return str(number)
        return Decimal(repr(number))
    if kind is str:
        return value.strip() or None  # type: ignore[union-attr]
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is datetime:
        moment: datetime = value  # type: ignore[assignment]
        return moment.date() if moment.time() == time() else moment.isoformat(" ")
    if value is None or kind is int or kind is date:
        return value
    return str(value)  # time, timedelta
