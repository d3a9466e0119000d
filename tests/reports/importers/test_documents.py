"""Reading documents into lines and grids, and the refusals of parse_document."""

import io
import zipfile

import docx
import pytest
from PIL import Image

from reports.importers.documents import (
    DocumentError,
    Table,
    detect_kind,
    parse_document,
    read_html,
)
from reports.importers.documents.word import read_docx
from reports.importers.text.result import json_number
from reports.tables import get_format
from tests.reports.seed_tables import seed_text

N = None


def tables(html: str) -> list[list[list[str | None]]]:
    return [t.rows for t in read_html(html).tables]


def lines(html: str) -> list[str]:
    return [b for b in read_html(html).blocks if isinstance(b, str)]


def test_spans_are_laid_out_on_the_grid_text_in_the_top_left_slot() -> None:
    html = """<table>
      <tr><th rowspan="2">申请人情况</th><th rowspan=2>自然人</th>
          <th colspan="2">法人或其他组织</th><th rowspan="2">总计</th></tr>
      <tr><th>商业企业</th><th>科研机构</th></tr>
      <tr><td>一、本年新收</td><td>1</td><td></td><td>0</td><td>1</td></tr>
    </table>"""
    assert tables(html) == [
        [
            ["申请人情况", "自然人", "法人或其他组织", N, "总计"],
            [N, N, "商业企业", "科研机构", N],
            ["一、本年新收", "1", N, "0", "1"],
        ]
    ]


def test_scripts_styles_hidden_and_forms_are_not_read() -> None:
    html = """<html><head><title>标题</title><style>p{}</style></head><body>
      <script>document.write('2099年')</script><p>看得见的</p>
      <p style="display: none">看不见的</p><div hidden>也看不见</div>
      <select><option>选项</option></select><p>第二<br>行</p></body></html>"""
    assert lines(html) == ["看得见的", "第二", "行"]


def test_a_layout_table_is_read_as_lines_and_its_inner_table_as_a_grid() -> None:
    html = """<table><tr><td><p>某局2017年政府信息公开工作年度报告</p>
      <table><tr><td>统计指标</td><td>单位</td></tr></table></td></tr></table>"""
    document = read_html(html)
    assert document.blocks[0] == "某局2017年政府信息公开工作年度报告"
    assert document.blocks[1] == Table([["统计指标", "单位"]], "第 1 个表格")


def test_a_term_and_its_description_are_one_line() -> None:
    assert lines("<dl><dt>审核人：</dt><dd>向小燕</dd></dl>") == ["审核人：向小燕"]


def test_a_page_in_gb2312_is_decoded_by_its_meta_charset() -> None:
    page = "<html><head><meta charset='gb2312'></head><body><p>政务公开</p></body>"
    assert detect_kind(page.encode("gb18030")) == "html"


def test_huge_spans_are_cut_to_the_table() -> None:
    html = '<table><tr><td rowspan="99999">a</td><td colspan="3">b</td></tr></table>'
    assert tables(html) == [[["a", "b", N, N]]]


def word(
    rows: list[list[str]], merge: tuple[tuple[int, int], tuple[int, int]]
) -> bytes:
    document = docx.Document()
    document.add_paragraph("第一行\n第二行")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    (r1, c1), (r2, c2) = merge
    table.cell(r1, c1).merge(table.cell(r2, c2))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_repeats_of_a_merged_cell_are_blank() -> None:
    data = word([["行政复议", "", ""], ["维持", "纠正", "总计"]], ((0, 0), (0, 2)))
    document = read_docx(data)
    assert document.blocks[:2] == ["第一行", "第二行"]
    assert document.tables[0].rows == [["行政复议", N, N], ["维持", "纠正", "总计"]]
    data = word([["三、办理结果", "(一)", "1"], ["", "(二)", "2"]], ((0, 0), (1, 0)))
    assert read_docx(data).tables[0].rows == [
        ["三、办理结果", "(一)", "1"],
        [N, "(二)", "2"],
    ]


def test_a_word_part_with_a_dtd_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(word([["a", "b"]], ((0, 0), (0, 1))))) as source:
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/document.xml":
                    data = data.replace(b"?>", b"?><!DOCTYPE x [<!ENTITY a 'b'>]>", 1)
                target.writestr(info, data)
    with pytest.raises(DocumentError, match="DTD"):
        parse_document(out.getvalue(), "x.docx")


def test_a_zip_that_is_no_word_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/readme.txt", "x")
    with pytest.raises(DocumentError, match="不是 Word 文档"):
        parse_document(out.getvalue(), "x.docx")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "是空的"),
        (b"x" * 101, "超过了上限"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(50), "旧版 Word"),
        (b"GIF89a" + bytes(50), "GIF 图片"),
        (b"abc\x00def", "含二进制内容"),
    ],
    ids=["empty", "oversize", "doc", "gif", "nul"],
)
def test_what_cannot_be_read_is_refused_in_chinese(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse_document(data, "x", max_bytes=100)


def test_a_pdf_without_a_text_layer_is_refused_as_a_scan() -> None:
    out = io.BytesIO()
    Image.new("RGB", (100, 140), "white").save(out, "PDF")
    with pytest.raises(DocumentError) as refused:
        parse_document(out.getvalue(), "扫描件.pdf")
    assert refused.value.message == (
        "这是扫描件（没有文字层），无法读取；请上传文字版 PDF、Word 或网页"
    )


def test_plain_text_in_gb18030_is_read_as_pasted_text() -> None:
    data = seed_text("003").encode("gb18030")
    result = parse_document(data, "年报.txt", table_format=get_format("A"), year=2017)
    assert result.table_found
    assert result.values()


def test_a_table_drawn_as_lines_of_text_is_read_as_text() -> None:
    """A page whose statistics are paragraphs, not a table, is the text."""
    text = seed_text("003")
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n"))
    from_page = parse_document(page.encode(), "x.html")
    from_text = parse_document(text.encode(), "x.txt")
    assert from_page.cells == from_text.cells
    assert from_page.table_found


def test_the_parse_report_text_command_reads_a_word_document(tmp_path) -> None:  # noqa: ANN001
    import json

    from django.core.management import call_command

    from tests.reports.importers.test_documents_corpus import make_case, word_document

    case = make_case(3, "B")
    path = tmp_path / "年报.docx"
    path.write_bytes(word_document(case))
    out = io.StringIO()
    call_command("parse_report_text", str(path), "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["format"] == "B"
    assert printed["year"] == case.year
    assert printed["cells"] == {c: json_number(v) for c, v in case.values.items()}
    assert printed["sources"]["b2_rule_issued"]["text"].startswith("第 1 个表格第 3 行")
