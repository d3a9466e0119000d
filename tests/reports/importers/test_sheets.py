"""reports.importers.sheets: reading uploads, and every refusal saying where.

Every file is built here, in memory; no binary fixtures.
"""

import io
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from pytest_django.fixtures import Settings
from xlsxwriter.workbook import Workbook

from reports.importers.sheets import SpreadsheetError, read_sheet, read_sheets

# Building files -------------------------------------------------------------


def xlsx(build: Callable[[Workbook], None]) -> bytes:
    """An XLSX written by XlsxWriter; build() fills the workbook."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    build(workbook)
    workbook.close()
    return out.getvalue()


def rewrite(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The same zip with one member's content changed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def simple(cells: dict[str, object]) -> bytes:
    """One sheet "Sheet1" with the given cells written by XlsxWriter."""

    def build(workbook: Workbook) -> None:
        sheet = workbook.add_worksheet()
        for ref, value in cells.items():
            sheet.write(ref, value)

    return xlsx(build)


def refusal(data: bytes, **kwargs: object) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        read_sheets(data, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == caught.value.message
    return caught.value.message


# Good XLSX ------------------------------------------------------------------


def test_good_xlsx_values_types_and_positions() -> None:
    def build(workbook: Workbook) -> None:
        sheet = workbook.add_worksheet("数据")
        dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row("A1", ["机关代码", "年度", "金额", "比例", "日期", "备注"])
        sheet.write_row("A3", [" hn-xx ", 2017, 5949.088667, 0.35])
        sheet.write_datetime("E3", date(2024, 1, 5), dates)
        sheet.write("F3", "湖南省统计局")
        sheet.write_row("A4", ["hn-yy", 2018.0, -12, "   "])
        sheet.write_blank("J9", None, dates)  # formatted blank: trimmed away

    sheet = read_sheet(xlsx(build), filename="年报.xlsx")

    assert sheet.name == "数据"
    assert sheet.rows == [
        ["机关代码", "年度", "金额", "比例", "日期", "备注"],
        [None] * 6,
        ["hn-xx", 2017, Decimal("5949.088667"), Decimal("0.35"), date(2024, 1, 5)]
        + ["湖南省统计局"],
        ["hn-yy", 2018, -12, None, None, None],
    ]
    assert type(sheet.rows[2][1]) is int
    assert sheet.cell_name(7, 2) == "B7"
    assert sheet.cell_name(1, 27) == "AA1"


def test_data_starting_below_and_right_keeps_sheet_positions() -> None:
    sheet = read_sheet(simple({"C3": "年度", "C4": 2017}))

    assert sheet.rows == [[None] * 3, [None] * 3, [None, None, "年度"]] + [
        [None, None, 2017]
    ]


def test_booleans_become_text_for_the_caller_to_refuse() -> None:
    assert read_sheet(simple({"A1": True, "B1": False})).rows == [["TRUE", "FALSE"]]


def test_read_sheets_gives_every_visible_sheet_and_skips_empty_ones() -> None:
    def build(workbook: Workbook) -> None:
        workbook.add_worksheet("说明").write("A1", "填报说明")
        workbook.add_worksheet("空白")
        workbook.add_worksheet("表二").write("B2", 3)

    sheets = read_sheets(xlsx(build))

    assert [(s.name, s.rows) for s in sheets] == [
        ("说明", [["填报说明"]]),
        ("表二", [[None, None], [None, 3]]),
    ]


# Formulas -------------------------------------------------------------------


def test_formula_with_cached_value_uses_the_saved_result() -> None:
    def build(workbook: Workbook) -> None:
        sheet = workbook.add_worksheet()
        sheet.write_row("A1", [3, 4])
        sheet.write_formula("C1", "=A1+B1", None, 7)
        sheet.write_formula("D1", "=A1/8", None, 0.375)
        sheet.write_formula("E1", '="合"&"计"', None, "合计")

    assert read_sheet(xlsx(build)).rows == [[3, 4, 7, Decimal("0.375"), "合计"]]


def test_formula_saved_by_openpyxl_without_result_is_refused() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "表一"
    workbook.active["D4"] = 1
    workbook.active["D5"] = "=D4*2"
    out = io.BytesIO()
    workbook.save(out)

    message = refusal(out.getvalue())

    assert "工作表“表一”的单元格 D5 是公式且没有计算结果" in message
    assert "在 Excel 中打开并保存" in message


def test_formula_with_empty_cached_value_is_refused() -> None:
    data = xlsx(lambda wb: wb.add_worksheet().write_formula("B7", "=1+1", None, ""))

    assert "单元格 B7 是公式且没有计算结果" in refusal(data)


def test_formula_with_xlsxwriter_default_zero_is_refused() -> None:
    data = xlsx(lambda wb: wb.add_worksheet().write_formula("C2", "=SUM(A1:A9)"))

    message = refusal(data)

    assert "单元格 C2 是公式" in message
    assert "未经计算" in message


def test_error_value_is_refused_naming_the_cell() -> None:
    data = xlsx(
        lambda wb: wb.add_worksheet().write_formula("E3", "=1/0", None, "#DIV/0!")
    )

    assert "单元格 E3 的值是错误值 #DIV/0!" in refusal(data)


# Structure ------------------------------------------------------------------


def test_merged_cells_read_as_their_top_left_value_the_rest_blank() -> None:
    def build(workbook: Workbook) -> None:
        sheet = workbook.add_worksheet()
        sheet.merge_range("A1:C1", "政府信息公开工作年度报告")
        sheet.merge_range("B2:B3", 12)
        sheet.write("C3", 7)

    sheet = read_sheet(xlsx(build))

    assert sheet.rows == [
        ["政府信息公开工作年度报告", None, None],
        [None, 12, None],
        [None, None, 7],
    ]


def test_merged_range_hiding_a_value_is_refused_naming_the_cell() -> None:
    """Excel shows a merged range's top-left cell only: a value a program left
    under it would be read unseen."""

    def build(workbook: Workbook) -> None:
        sheet = workbook.add_worksheet("统计表")
        sheet.merge_range("A1:C1", "标题")
        sheet.write("A2", 1)

    data = rewrite(
        xlsx(build),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"<v>0</v></c>", b'<v>0</v></c><c r="B1"><v>99</v></c>'
        ),
    )

    message = refusal(data)

    assert "工作表“统计表”的合并单元格 A1:C1 遮住了单元格 B1 中的内容“99”" in message
    assert "取消合并" in message


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        (b'<mergeCell ref="A1:ZZ"/>', "已损坏"),
        (b'<mergeCell ref="A1:C3"/><mergeCell ref="A1:C3"/>', "合并单元格相互重叠"),
    ],
    ids=["malformed", "overlapping"],
)
def test_damaged_merged_ranges_are_refused(ranges: bytes, expected: str) -> None:
    data = rewrite(
        simple({"A1": "a"}),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", b"</sheetData><mergeCells>" + ranges + b"</mergeCells>"
        ),
    )

    assert expected in refusal(data)


def test_too_many_merged_ranges_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reports.importers.sheets.MAX_MERGES", 2)

    def build(workbook: Workbook) -> None:
        sheet = workbook.add_worksheet()
        for row in range(3):
            sheet.merge_range(row, 0, row, 1, f"第{row}行")

    assert "合并单元格超过 2 处" in refusal(xlsx(build))


def test_hidden_sheet_is_refused_naming_it() -> None:
    def build(workbook: Workbook) -> None:
        workbook.add_worksheet("数据").write("A1", 1)
        workbook.add_worksheet("备用").hide()

    message = refusal(xlsx(build))

    assert "工作簿中有隐藏的工作表“备用”" in message
    assert "取消隐藏" in message


def test_very_hidden_sheet_is_refused_too() -> None:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = 1
    workbook.create_sheet("机密").sheet_state = "veryHidden"
    out = io.BytesIO()
    workbook.save(out)

    assert "隐藏的工作表“机密”" in refusal(out.getvalue())


def test_huge_used_range_is_refused_before_reading() -> None:
    data = simple({"A1": "年度", "XFD1048576": 1})

    assert "数据范围太大" in refusal(data)


def test_empty_sheet_is_refused_naming_it() -> None:
    data = simple({"B2": "   ", "C3": ""})

    with pytest.raises(SpreadsheetError, match="工作表“Sheet1”是空的"):
        read_sheet(data)


# Hostile archives -----------------------------------------------------------


def test_zip_bomb_by_ratio_is_refused_without_inflating() -> None:
    data = simple({"A1": 1})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/media/zeros.bin", bytes(20 * 1024 * 1024))

    message = refusal(out.getvalue())

    assert "xl/media/zeros.bin" in message
    assert "压缩炸弹" in message


def test_zip_bomb_by_total_size_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(101):
            target.writestr(f"xl/media/{number}.bin", bytes(1024 * 1024))

    message = refusal(out.getvalue())

    assert "解压后共 101 MB" in message
    assert "100 MB" in message


def test_too_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(10_000):
            target.writestr(f"x/{number}", b"")

    assert "文件超过 10000 个" in refusal(out.getvalue())


@pytest.mark.parametrize(
    "member", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"]
)
def test_xml_entities_are_refused_naming_the_part(member: str) -> None:
    dtd = b'<!DOCTYPE x [<!ENTITY e "&#x41;&#x41;">]>'

    def inject(xml: bytes) -> bytes:
        declaration, _, rest = xml.partition(b"?>")
        return declaration + b"?>" + dtd + rest

    data = rewrite(simple({"A1": "文本", "B2": 1}), member, inject)

    message = refusal(data)

    assert member in message
    assert "DOCTYPE 或 ENTITY" in message


def test_corrupt_zip_is_refused() -> None:
    assert "已损坏" in refusal(b"PK\x03\x04" + bytes(range(256)) * 4)


# Not spreadsheets -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), ["PNG 图片"]),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ["PDF 文件"]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), [".xls", "另存为"]),
    ],
)
def test_renamed_binary_is_refused_saying_what_it_looks_like(
    data: bytes, words: list[str]
) -> None:
    message = refusal(data, filename="年报.xlsx")

    assert message.startswith("“年报.xlsx”不是 XLSX 或 CSV 文件")
    for word in words:
        assert word in message


def test_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("报表/说明.txt", "hello")

    assert "看起来是普通的 ZIP 压缩包" in refusal(out.getvalue())


def test_empty_file_is_refused() -> None:
    assert refusal(b"", filename="a.csv").startswith("“a.csv”是空的")


def test_file_over_the_limit_is_refused_naming_size_and_limit() -> None:
    message = refusal(b"a,b\n" * 100, max_bytes=100)

    assert "大小为 400 字节" in message
    assert "超过了上限 100 字节" in message


def test_default_limit_comes_from_settings(settings: Settings) -> None:
    settings.NIANBAO_UPLOAD_LIMIT_MB = 1

    assert "超过了上限 1 MB" in refusal(b"a,b\n" * 300_000)


# CSV ------------------------------------------------------------------------


def test_csv_utf8_with_bom() -> None:
    data = "\ufeff机关代码,年度,金额\r\nhn-xx, 2017 ,0.35\r\n\r\n".encode()

    sheet = read_sheet(data, filename="年报.csv")

    assert sheet.name == "CSV"
    assert sheet.rows == [["机关代码", "年度", "金额"], ["hn-xx", "2017", "0.35"]]


def test_csv_gbk() -> None:
    sheet = read_sheet("机关代码,年度\nhn-xx,2017".encode("gbk"))

    assert sheet.rows == [["机关代码", "年度"], ["hn-xx", "2017"]]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_csv_delimiter_from_the_header(delimiter: str) -> None:
    text = (
        f"机关代码{delimiter}年度{delimiter}备注\nhn-xx{delimiter}2017{delimiter}a,b\n"
    )

    assert read_sheet(text.encode()).rows == [
        ["机关代码", "年度", "备注"],
        ["hn-xx", "2017", "a,b"],
    ]


def test_csv_quotes_blanks_and_ragged_rows() -> None:
    data = '代码,金额,备注\n"hn,1",,\nhn-2\n'.encode()

    assert read_sheet(data).rows == [
        ["代码", "金额", "备注"],
        ["hn,1", None, None],
        ["hn-2", None, None],
    ]


def test_csv_with_nul_byte_is_refused_as_binary() -> None:
    message = refusal(b"abc,def\n\x00\x01\x02")

    assert "二进制文件" in message
    assert "第 9 字节" in message


def test_csv_in_no_known_encoding_is_refused() -> None:
    message = refusal(b"name,value\nok,1\n\xff\xfe\x80,2\n")

    assert "编码无法识别" in message
    assert "第 3 行" in message


def test_blank_csv_is_refused_as_empty() -> None:
    assert "没有数据" in refusal(b" , \r\n\r\n")


def test_html_disguised_as_spreadsheet_is_refused() -> None:
    message = refusal("<html><table><tr><td>年度</td></tr></table>".encode())

    assert "网页（HTML）" in message


# Speed ----------------------------------------------------------------------


def test_large_sheet_smoke() -> None:
    def build(workbook: Workbook) -> None:
        sheet = workbook.add_worksheet("大表")
        sheet.write_row(0, 0, [f"列{n}" for n in range(60)])
        for row in range(1, 10_000):
            sheet.write_row(row, 0, [row * 60 + col + 0.5 for col in range(60)])

    data = xlsx(build)

    sheet = read_sheet(data)

    assert len(sheet.rows) == 10_000
    assert {len(row) for row in sheet.rows} == {60}
    assert sheet.rows[9_999][59] == Decimal("599999.5")
    assert sheet.rows[0][0] == "列0"
