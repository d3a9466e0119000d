"""Import from a report's text: the seeds, layouts, number spellings, limits."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import opencc
import pytest

from reports.importers.text import (
    MAX_TEXT_CHARS,
    TextImport,
    TextImportError,
    as_json,
    parse_report_text,
    read_text_file,
)
from reports.tables import NA, CellValueError, get_format
from tests.reports.seed_tables import SEED_002, SEED_003, decimals
from tests.reports.seed_tables import seed_text as seed


def rules(result: TextImport) -> list[str]:
    return [f.rule for f in result.findings]


# Every cell of seed 002's table as printed (2016年度, 吉林市统计局龙潭区分局).


def test_expected_dicts_cover_every_cell_of_format_a() -> None:
    assert list(SEED_002) == list(get_format("A").cells)
    assert list(SEED_003) == list(get_format("A").cells)


def test_seed_002_pipe_separated_table() -> None:
    result = parse_report_text(seed("002"))
    assert result.is_report
    assert result.format == "A"
    assert result.year == 2017
    assert result.table_year == 2016
    assert result.agency_name == "吉林市统计局龙潭区分局"
    assert result.cells == decimals(SEED_002)
    assert result.signatories == {
        "signed_head": "宋玉玲",
        "signed_reviewer": "李永吉",
        "signed_preparer": "刘沛雨",
        "contact_phone": "63041864",
        "filled_on": date(2018, 3, 1),
    }
    assert result.unplaced_lines == []
    assert "a_table_year" in rules(result)
    assert set(result.sources) == set(SEED_002)
    assert result.sources["a1_total"] == (53, "5 |")
    assert result.sources["a9_trainees"] == (242, "14 |")
    assert result.sections["overview"].startswith("(一)强化领导")
    assert result.sections["response"] == "无需要回应解读的情况"
    assert result.sections["problems"].endswith("有效性和安全性。")  # no "附件"


def test_seed_003_label_unit_value_on_separate_lines() -> None:
    result = parse_report_text(seed("003"))
    assert result.year == 2017
    assert result.table_year == 2017
    assert result.format == "A"
    assert result.agency_name == "湘西州政务公开政务服务管理办公室"
    assert result.cells == decimals(SEED_003)
    assert result.signatories == {
        "signed_head": "包太洋",
        "signed_reviewer": "向小燕",
        "signed_preparer": "彭莹",
        "contact_phone": "0743--8233025",
        # The "2018年3月15日" closing the prose dates the report, not the table.
        "filled_on": None,
    }
    assert result.unplaced_lines == []
    errors = {f.rule for f in result.findings if f.severity == "error"}
    warnings = {f.rule for f in result.findings if f.severity == "warning"}
    assert errors == {"a_reviews_sum"}
    assert "a_channels_sum" in warnings
    missing = {f.cells[0] for f in result.findings if f.rule == "missing_cell"}
    assert missing == {code for code, value in SEED_003.items() if value is None}
    assert result.sources["a1_total"] == (99, "248071")
    assert result.sources["a3_recv_fax"][0] == 208  # blank: its label line
    assert result.sources["a2_other"] == (181, "45237")


def test_seed_003_sections_by_their_headings() -> None:
    sections = parse_report_text(seed("003")).sections
    assert list(sections) == [
        "overview",
        "active",
        "response",
        "application",
        "review",
        "institution",
        "problems",
    ]
    assert sections["overview"].startswith("2017年,湘西自治州坚持")
    assert sections["response"].startswith("据统计,全州回应公众关注热点")
    assert sections["application"].startswith("一是依申请公开申请情况")
    # 六、机构建设和保障经费情况 and 七、政府信息公开会议和培训情况, appended.
    assert sections["institution"].startswith("一是政府信息公开工作专门机构")
    assert "据统计,全州召开政府信息公开工作会议" in sections["institution"]
    # 九、附表 and the signature that follows it are not part of 八.
    assert sections["problems"].endswith("规范行政权力。")


def test_seed_000_traditional_characters_without_table() -> None:
    result = parse_report_text(seed("000"))
    assert result.is_report
    assert result.not_report_reason == ""
    assert result.year == 2017
    assert result.format == "A"
    assert not result.table_found
    assert set(result.cells) == set(get_format("A").cells)
    assert all(value is None for value in result.cells.values())
    assert result.sections["overview"].startswith("2017年,我局认真贯彻落实")
    assert "text_no_table" in rules(result)
    assert result.agency_name is None


def test_seed_004_report_without_table() -> None:
    result = parse_report_text(seed("004"))
    assert result.is_report
    assert result.year == 2017
    assert result.format == "A"
    assert all(value is None for value in result.cells.values())
    assert set(result.sections) >= {
        "overview",
        "active",
        "application",
        "review",
        "problems",
    }
    assert result.sections["review"].startswith("2017年,没有因政府信息公开")
    # Headings that are no section of the format go to 其他需要报告的事项.
    assert result.sections["other"].startswith("四、接受社会公众咨询情况")
    assert "五、费用收取与减免情况" in result.sections["other"]


def test_seed_001_work_plan_is_not_a_report() -> None:
    result = parse_report_text(seed("001"))
    assert not result.is_report
    assert "这不是政府信息公开工作年度报告" in result.not_report_reason
    assert "工作计划" in result.not_report_reason
    assert result.findings[0].rule == "text_not_report"
    assert result.findings[0].severity == "error"


def test_traditional_characters_table() -> None:
    traditional = opencc.OpenCC("s2t").convert(seed("003"))
    assert "統計" in traditional
    result = parse_report_text(traditional)
    assert result.cells == decimals(SEED_003)
    assert result.agency_name == "湘西州政务公开政务服务管理办公室"
    assert result.signatories["signed_reviewer"] == "向小燕"
    assert result.table_year == 2017


def _replace_lines(text: str, replacements: dict[str, str]) -> str:
    lines = text.split("\n")
    for old, new in replacements.items():
        assert lines.count(old) >= 1, old
        lines[lines.index(old)] = new
    return "\n".join(lines)


def test_number_spellings() -> None:
    text = _replace_lines(
        seed("003"),
        {
            "248071": "248,071",  # a1_total
            "2137": "２１３７",  # a1_gazette
            "181049": "18.1049万",  # a1_website
            "1202": "1202条",  # a1_weibo
            "65": "0.35",  # a8_budget, 万元
            "0": "0.35万元",  # the first "0": a2_weibo_wechat (次)
        },
    )
    result = parse_report_text(text)
    assert result.cells["a1_total"] == Decimal(248071)
    assert result.cells["a1_gazette"] == Decimal(2137)
    assert result.cells["a1_website"] == Decimal(181049)
    assert result.cells["a1_weibo"] == Decimal(1202)
    assert result.cells["a8_budget"] == Decimal("0.35")
    assert result.cells["a2_weibo_wechat"] is None
    bad = [f for f in result.findings if f.rule == "text_bad_number"]
    assert [f.cells for f in bad] == [("a2_weibo_wechat",)]
    assert bad[0].message.startswith("第175行")


@pytest.mark.parametrize(
    ("printed", "message"),
    [
        ("1.5", "应为整数"),
        ("1.45678万", "应为整数"),
        ("12,34", "逗号"),
        ("/", "不能填"),
        ("1,5", "逗号"),
        ("5,0", "逗号"),
        (",5", "逗号"),
        ("1,,2", "逗号"),
        ("١٢", "0–9"),
        ("१२人次", "0–9"),
        ("1.2.3", "不是数字"),
    ],
)
def test_unreadable_numbers_name_the_line(printed: str, message: str) -> None:
    result = parse_report_text(_replace_lines(seed("003"), {"3155": printed}))
    assert result.cells["a9_trainees"] is None
    (bad,) = [f for f in result.findings if f.rule == "text_bad_number"]
    assert bad.severity == "error"
    assert bad.cells == ("a9_trainees",)
    assert bad.message.startswith("第380行")
    assert message in bad.message


@pytest.mark.parametrize(
    "printed",
    ["0,35", "0,35万元", "1,5", ",5", "1,23", "١٢", "1.2.3", "十二", "若干", "约5"],
)
def test_a_number_is_refused_as_the_form_refuses_it(printed: str) -> None:
    """One rule: the finding says what the change form says of the same value."""
    result = parse_report_text(_replace_lines(seed("003"), {"65": printed}))
    assert result.cells["a8_budget"] is None
    (bad,) = [f for f in result.findings if f.rule == "text_bad_number"]
    assert bad.cells == ("a8_budget",)
    with pytest.raises(CellValueError) as form:
        get_format("A").cells["a8_budget"].clean(printed.removesuffix("万元"))
    assert bad.message == f"第362行：{form.value.message}".replace(
        f"“{printed.removesuffix('万元')}”", f"“{printed}”"
    )


@pytest.mark.parametrize(
    ("printed", "value"),
    [("1,234.5", "1234.5"), ("１，２３４万元", "1234"), ("0.35万元", "0.35")],
)
def test_grouped_and_full_width_amounts(printed: str, value: str) -> None:
    result = parse_report_text(_replace_lines(seed("003"), {"65": printed}))
    assert result.cells["a8_budget"] == Decimal(value)
    assert "text_bad_number" not in rules(result)


def test_amount_to_six_decimals_and_fees() -> None:
    text = _replace_lines(seed("003"), {"65": "5949.088667"})
    assert parse_report_text(text).cells["a8_budget"] == Decimal("5949.088667")


def test_two_tables_use_the_first() -> None:
    text = seed("003")
    table = "\n".join(text.split("\n")[76:])
    result = parse_report_text(text + "\n" + table.replace("248071", "1"))
    assert result.cells == decimals(SEED_003)
    (two,) = [f for f in result.findings if f.rule == "text_two_tables"]
    assert two.severity == "error"
    assert "第387行" in two.message
    assert result.unplaced_lines == []
    assert parse_report_text(text).sections == result.sections


def test_unplaced_lines_are_reported() -> None:
    text = seed("003").replace(
        "\xa0\xa0\xa0\xa0 2、传真申请数",
        "\xa0\xa0\xa0\xa0 2、传真申请数\n\n其他来源申请数",
    )
    result = parse_report_text(text)
    assert result.unplaced_lines == [(210, "其他来源申请数")]
    assert result.cells == decimals(SEED_003)
    (finding,) = [f for f in result.findings if f.rule == "text_unplaced_lines"]
    assert "第210行" in finding.message


def test_extra_value_is_unplaced_not_guessed() -> None:
    text = _replace_lines(seed("003"), {"(不同渠道和方式公开相同的信息列为1条)": "99"})
    result = parse_report_text(text)
    assert result.cells["a1_total"] == Decimal(99)
    assert result.unplaced_lines == [(99, "248071")]


COMPACT = """某县统计局2017年政府信息公开工作年度报告
一、概述
本年度工作情况良好。
政府信息公开情况统计表
（2017年度）
填报单位（盖章）：某县统计局
统计指标 | 单位 | 统计数
一、主动公开情况 | — |
（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条） | 条 | 1,234
其中：主动公开规范性文件数\t条\t12
制发规范性文件总数\t件\t
1.政府公报公开政府信息数 条 3
四、行政复议数量 | 件 | 2
（一）维持具体行政行为数 | 件 | 1
（二）被依法纠错数 | 件 | 1
（三）其他情形数 | 件 | 0
五、行政诉讼数量 | 件 | 1
（一）维持具体行政行为或者驳回原告诉讼请求数 | 件 | 0
（二）被依法纠错数 | 件 | 1
（三）其他情形数 | 件 | 0
七、依申请公开信息收取的费用 | 万元 | 0.35
单位负责人：张三    审核人：李四    填报人：王五
联系电话：0431-1234567    填报日期：2018-02-28
"""


def test_compact_and_tab_separated_rows() -> None:
    result = parse_report_text(COMPACT)
    assert result.year == 2017
    assert result.table_year == 2017
    assert result.agency_name == "某县统计局"
    assert result.values() == decimals(
        {
            "a1_total": 1234,
            "a1_normative": 12,
            "a1_gazette": 3,
            "a4_reviews": 2,
            "a4_rev_upheld": 1,
            "a4_rev_corrected": 1,
            "a4_rev_other": 0,
            "a5_suits": 1,
            "a5_suit_upheld": 0,
            "a5_suit_corrected": 1,
            "a5_suit_other": 0,
            "a7_fees": "0.35",
        }
    )
    assert result.sources["a1_normative_issued"][0] == 11
    assert result.signatories["filled_on"] == date(2018, 2, 28)
    assert result.signatories["contact_phone"] == "0431-1234567"
    assert result.unplaced_lines == []
    assert result.sections == {"overview": "本年度工作情况良好。"}


FORMAT_B = """某区人民政府2022年政府信息公开工作年度报告
一、总体情况
2022年，我区认真贯彻落实《条例》。
二、主动公开政府信息情况
第二十条第(一)项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t/\t/\t/
行政规范性文件\t3\t1\t12
第二十条第(五)项
信息内容\t本年处理决定数量
行政许可\t1.4万
第二十条第(六)项
信息内容\t本年处理决定数量
行政处罚\t45
行政强制\t0
第二十条第(八)项
信息内容\t本年收费金额(单位:万元)
行政事业性收费\t0.35
三、收到和处理政府信息公开申请情况
申请人情况 自然人 法人或其他组织 总计
商业企业 科研机构 社会公益组织 法律服务机构 其他
一、本年新收政府信息公开申请数量 10 2 0 0 1 0 13
二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1
三、本年度办理结果
(一)予以公开
5
1
0
0
0
0
6
(二)部分公开(区分处理的,只计这一情形,不计其他情形) 1 0 0 0 0 0 1
(三)不予公开
1.属于国家秘密 0 0 0 0 0 0 0
(四)无法提供
1.本机关不掌握相关政府信息 3 1 0 0 1 0 5
(六)其他处理
3.其他 0 0 0 0 0 0 0
(七)总计 9 2 0 0 1 0 12
四、结转下年度继续办理 2 0 0 0 0 0 2
四、政府信息公开行政复议、行政诉讼情况
行政复议
行政诉讼
结果维持
结果纠正
其他结果
尚未审结
总计
未经复议直接起诉
复议后起诉
1 0 0 0 1 0 0 0 0 0 0 0 0 1 1
五、存在的主要问题及改进情况
一是公开质量有待提高。
六、其他需要报告的事项
无。
"""


def test_format_b_flattened_grid() -> None:
    result = parse_report_text(FORMAT_B)
    assert result.format == "B"
    assert result.year == 2022
    assert result.unplaced_lines == []
    cells = result.cells
    assert cells["b2_rule_issued"] is NA
    assert cells["b2_rule_in_force"] is NA
    assert cells["b2_norm_in_force"] == Decimal(12)
    assert cells["b2_licensing"] == Decimal(14000)
    assert cells["b2_fees"] == Decimal("0.35")
    columns = ("np", "biz", "sci", "ngo", "law", "oth", "total")
    expected_rows = {
        "new": (10, 2, 0, 0, 1, 0, 13),
        "carried_in": (1, 0, 0, 0, 0, 0, 1),
        "granted": (5, 1, 0, 0, 0, 0, 6),
        "partial": (1, 0, 0, 0, 0, 0, 1),
        "deny_secret": (0,) * 7,
        "unable_not_held": (3, 1, 0, 0, 1, 0, 5),
        "other_other": (0,) * 7,
        "total": (9, 2, 0, 0, 1, 0, 12),
        "carried_out": (2, 0, 0, 0, 0, 0, 2),
    }
    for row, numbers in expected_rows.items():
        for column, number in zip(columns, numbers, strict=True):
            assert cells[f"b3_{row}__{column}"] == Decimal(number), (row, column)
    assert cells["b3_deny_law__np"] is None  # not printed: missing
    assert [cells[f"b4_review_{c}"] for c in ("upheld", "total")] == [1, 1]
    assert cells["b4_suit_after_review_pending"] == Decimal(1)
    assert cells["b4_suit_after_review_total"] == Decimal(1)
    assert result.sections["overview"] == "2022年，我区认真贯彻落实《条例》。"
    assert result.sections["problems"] == "一是公开质量有待提高。"
    assert result.sections["other"] == "无。"


def test_format_b_one_value_per_line_with_blank_cells() -> None:
    text = (
        "某局2021年政府信息公开工作年度报告\n"
        "三、收到和处理政府信息公开申请情况\n"
        "一、本年新收政府信息公开申请数量\n4\n\xa0\n\xa0\n\xa0\n1\n\xa0\n5\n"
        "二、上年结转政府信息公开申请数量\n0\n0\n0\n0\n0\n0\n0\n"
    )
    result = parse_report_text(text)
    assert result.format == "B"
    assert result.cells["b3_new__np"] == Decimal(4)
    assert result.cells["b3_new__biz"] is None
    assert result.cells["b3_new__law"] == Decimal(1)
    assert result.cells["b3_new__total"] == Decimal(5)
    assert result.cells["b3_carried_in__total"] == Decimal(0)


def test_short_grid_row_is_reported_not_guessed() -> None:
    text = (
        "某局2021年政府信息公开工作年度报告\n"
        "三、收到和处理政府信息公开申请情况\n"
        "一、本年新收政府信息公开申请数量 4 1 5\n"
        "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n"
        "(一)予以公开 0 0 0 0 0 0 0\n"
    )
    result = parse_report_text(text)
    assert result.cells["b3_new__np"] is None
    assert "text_row_incomplete" in rules(result)
    assert result.unplaced_lines == [(3, "一、本年新收政府信息公开申请数量 4 1 5")]


WORD_MERGED = (
    "某局2019年政府信息公开工作年度报告\n"
    "二、主动公开政府信息情况\n"
    "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
    "规章\t1\t2\t3\n"
    "规范性文件\t4\t5\t6\n"
    "信息内容\t上一年项目数量\t本年增/减\t本年增/减\n"
    "行政事业性收费\t{fees}\n"
    "信息内容\t采购项目数量\t采购总金额\t采购总金额\n"
    "政府集中采购\t{procurement}\n"
)


def test_a_merged_cell_repeated_by_word_is_read_once() -> None:
    """python-docx gives a merged cell's text in every column it covers: the
    headings say which columns are one cell, and the same number there is
    one value."""
    text = WORD_MERGED.format(fees="7819\t7\t7", procurement="/\t0\t0")
    result = parse_report_text(text)
    assert result.cells["b2t_fees_prev_items"] == Decimal(7819)
    assert result.cells["b2t_fees_change"] == Decimal(7)
    assert result.cells["b2t_rule_total_public"] == Decimal(3)
    assert result.cells["b2t_procurement_items"] is NA
    assert result.cells["b2t_procurement_amount"] == Decimal(0)
    assert "text_row_too_many" not in rules(result)


def test_a_blank_before_a_repeated_merged_number_stays_blank() -> None:
    """The row holds as many fields as the heading line: the repeat is still
    one cell, so the blank stays in the first cell and is not filled."""
    text = WORD_MERGED.format(fees="\t31\t31", procurement="\t\t")
    result = parse_report_text(text)
    assert result.cells["b2t_fees_prev_items"] is None
    assert result.cells["b2t_fees_change"] == Decimal(31)
    assert result.cells["b2t_procurement_items"] is None
    assert result.cells["b2t_procurement_amount"] is None


def test_different_numbers_under_a_merged_heading_are_reported() -> None:
    text = WORD_MERGED.format(fees="7819\t7\t8", procurement="3\t0\t0")
    result = parse_report_text(text)
    assert result.cells["b2t_fees_prev_items"] is None
    assert result.cells["b2t_fees_change"] is None
    assert "text_row_too_many" in rules(result)
    assert (7, "行政事业性收费\t7819\t7\t8") in result.unplaced_lines
    assert result.cells["b2t_procurement_items"] == Decimal(3)


def test_equal_numbers_under_different_headings_are_two_values() -> None:
    text = WORD_MERGED.replace("本年增/减\t本年增/减", "本年增/减").format(
        fees="7\t7", procurement="0\t0"
    )
    result = parse_report_text(text)
    assert result.cells["b2t_fees_prev_items"] == Decimal(7)
    assert result.cells["b2t_fees_change"] == Decimal(7)


def test_forced_format_and_year() -> None:
    result = parse_report_text(seed("002"), year=2016)
    assert result.year == 2016
    assert "a_table_year" not in rules(result)
    forced = parse_report_text(seed("003"), table_format=get_format("B"))
    assert forced.format == "B"
    assert not forced.table_found
    assert all(v is None for v in forced.cells.values())


def test_table_of_another_format_than_the_year_is_a_warning() -> None:
    result = parse_report_text(seed("003"), year=2022)
    assert result.format == "B"
    assert "text_format_mismatch" in rules(result)


def test_shape_decides_without_year() -> None:
    text = "\n".join(FORMAT_B.split("\n")[3:])  # no title, no year
    result = parse_report_text(text)
    assert result.year is None
    assert result.format == "B"
    assert "text_no_year" in rules(result)


def test_too_long_text_is_refused() -> None:
    with pytest.raises(TextImportError, match="文本过长"):
        parse_report_text("统" * (MAX_TEXT_CHARS + 1))


def test_five_megabytes_parse() -> None:
    text = seed("003")
    prose = "\n全州通过报刊、专栏等渠道公开政府信息45237条，其中州本级6425条。"
    text += prose * ((MAX_TEXT_CHARS - len(text)) // len(prose))
    assert MAX_TEXT_CHARS - 100 < len(text) <= MAX_TEXT_CHARS
    result = parse_report_text(text)
    assert result.cells == decimals(SEED_003)


def test_as_json_numbers() -> None:
    data = as_json(parse_report_text(FORMAT_B))
    cells = data["cells"]
    assert isinstance(cells, dict)
    assert cells["b2_rule_issued"] == "n/a"
    assert cells["b2_fees"] == "0.35"
    assert cells["b2_norm_in_force"] == 12
    assert cells["b3_deny_law__np"] is None


def test_read_text_file_encodings(tmp_path: Path) -> None:
    utf8 = tmp_path / "utf8.txt"
    utf8.write_bytes("\ufeff政府信息公开".encode())
    assert read_text_file(utf8) == "政府信息公开"
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("政府信息公开情况统计表".encode("gb18030"))
    assert read_text_file(gbk) == "政府信息公开情况统计表"
    binary = tmp_path / "a.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00\xff\xfe" * 10)
    with pytest.raises(TextImportError, match="不是文本文件"):
        read_text_file(binary)
    with pytest.raises(TextImportError, match="无法读取"):
        read_text_file(tmp_path / "missing.txt")


def test_label_broken_across_lines() -> None:
    label = "1、专职人员数(不包括政府公报及政府网站工作人员数)"
    printed = "\xa0\xa0\xa0\xa0\xa0 \xa0 " + label
    broken = "1、专职人员数(不包括政府公报\n及政府网站工作人员数)"
    text = _replace_lines(seed("003"), {printed: broken})
    result = parse_report_text(text)
    assert result.cells == decimals(SEED_003)
    assert result.unplaced_lines == []


def test_table_in_the_middle_and_sections_after_it() -> None:
    head, _, tail = COMPACT.partition("单位负责人")
    text = (
        head
        + "单位负责人"
        + tail
        + "七、存在的主要问题及改进情况\n公开内容不够全面。\n"
    )
    result = parse_report_text(text)
    assert result.sections == {
        "overview": "本年度工作情况良好。",
        "problems": "公开内容不够全面。",
    }
    assert result.cells["a1_total"] == Decimal(1234)
    assert result.unplaced_lines == []


def test_year_from_a_title_without_the_usual_words() -> None:
    result = parse_report_text("某局2019年度工作总结与报告\n一、总体情况\n无。\n")
    assert result.year == 2019
    assert result.format == "B2019"


def test_table_four_keeps_a_blank_in_its_place() -> None:
    text = FORMAT_B.replace(
        "1 0 0 0 1 0 0 0 0 0 0 0 0 1 1",
        "1 | 0 |  | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 1 |",
    )
    cells = parse_report_text(text).cells
    assert cells["b4_review_upheld"] == Decimal(1)
    assert cells["b4_review_other"] is None  # blank where it was printed
    assert cells["b4_review_total"] == Decimal(1)
    assert cells["b4_suit_after_review_total"] == Decimal(1)


def test_table_four_with_a_number_missing_is_reported_not_shifted() -> None:
    text = FORMAT_B.replace(
        "1 0 0 0 1 0 0 0 0 0 0 0 0 1 1", "1 0 0 1 0 0 0 0 0 0 0 0 1 1"
    )
    result = parse_report_text(text)
    assert all(
        result.cells[code] is None for code in result.cells if code.startswith("b4_")
    )
    assert "text_row_incomplete" in {f.rule for f in result.findings}
