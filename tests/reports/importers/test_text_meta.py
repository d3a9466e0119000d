"""What a report says about itself beyond its title: the year inferred from
its reporting period or first sentence, the edition its table was printed on,
and amounts printed in 元 where the table counts 万元.

Titles, periods and sentences are generated with a fixed seed (separators,
full-width or half-width punctuation, wordings), not copied from one report.
"""

import random
from decimal import Decimal

import pytest

from reports.importers.text import TextImport, parse_report_text
from reports.tables import get_format
from tests.reports.importers.test_text import FORMAT_B

B2019 = get_format("B2019")


def rules(result: TextImport) -> list[str]:
    return [f.rule for f in result.findings]


BODY_B = "\n".join(FORMAT_B.split("\n")[3:])  # the tables, no title, no year
PERIODS = [
    "本报告中所列数据的统计期限为{y}年1月1日至12月31日。",
    "本报告统计期限自{y}年1月1日起至{y}年12月31日止。",
    "统计时段：{y}年1月1日—{y}年12月31日。",
    "本年报数据统计期间为{y}年1月1日到12月31日。",
]
OPENINGS = [
    "{y}年，全区坚持以人民为中心。",
    "{y}年,全县政务公开工作扎实推进。",
    "{y}年以来，我局认真落实《条例》。",
    "{y}年度，全市深入推进政务公开。",
]


@pytest.mark.parametrize("seed", range(8))
def test_year_inferred_from_the_period_or_the_first_sentence(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311
    year = rng.choice([2021, 2022, 2023, 2024])
    head = ["某区人民政府政府信息公开工作年度报告"]
    sentence = rng.choice(PERIODS + OPENINGS).format(y=year)
    if rng.random() < 0.5:
        sentence = sentence.replace("，", ",").replace("：", ":")
    head.insert(rng.randrange(1, 2), sentence)
    result = parse_report_text("\n".join(head) + "\n" + BODY_B)
    assert result.year == year
    assert result.found_year is None  # not printed in a title
    assert "text_year_inferred" in rules(result)
    assert "text_no_year" not in rules(result)
    (finding,) = [f for f in result.findings if f.rule == "text_year_inferred"]
    assert str(year) in finding.message


def test_a_year_in_the_title_is_not_inferred() -> None:
    result = parse_report_text(FORMAT_B)
    assert result.year == 2022
    assert "text_year_inferred" not in rules(result)


def test_a_date_is_not_a_year_to_infer() -> None:
    text = "某区政府信息公开工作年度报告\n2023年3月1日\n无。\n" + BODY_B
    result = parse_report_text(text)
    assert result.year is None
    assert "text_no_year" in rules(result)


# The edition of the table -------------------------------------------------------

TRIAL_TABLE_TWO = """二、主动公开政府信息情况
第二十条第(一)项
信息内容{s}本年新制作数量{s}本年新公开数量{s}对外公开总数量
规章{s}1{s}2{s}3
规范性文件{s}4{s}5{s}6
第二十条第(五)项
信息内容{s}上一年项目数量{s}本年增/减{s}处理决定数量
行政许可{s}10{s}-2{s}300
第二十条第(九)项
信息内容{s}采购项目数量{s}采购总金额
政府集中采购{s}3{s}12.5
"""


@pytest.mark.parametrize("sep", ["\t", " ", " | "])
def test_a_trial_edition_table_under_a_2021_year_is_refused(sep: str) -> None:
    text = (
        "某区人民政府2022年政府信息公开工作年度报告\n一、总体情况\n无。\n"
        + TRIAL_TABLE_TWO.format(s=sep)
    )
    result = parse_report_text(text)
    assert result.format == "B"
    assert "text_edition_mismatch" in rules(result)
    assert all(value is None for value in result.cells.values())
    (finding,) = [f for f in result.findings if f.rule == "text_edition_mismatch"]
    assert B2019.name in finding.message
    assert "本年新制作数量" in finding.message


def test_the_trial_edition_is_read_without_a_year() -> None:
    text = "一、总体情况\n无。\n" + TRIAL_TABLE_TWO.format(s="\t")
    result = parse_report_text(text)
    assert result.format == "B2019"
    assert "text_edition_mismatch" not in rules(result)
    assert result.cells["b2t_rule_new_made"] == Decimal(1)
    assert result.cells["b2t_licensing_change"] == Decimal(-2)


def test_the_right_edition_is_read() -> None:
    result = parse_report_text(
        "某局2020年政府信息公开工作年度报告\n" + TRIAL_TABLE_TWO.format(s="\t")
    )
    assert result.format == "B2019"
    assert "text_edition_mismatch" not in rules(result)
    assert result.cells["b2t_procurement_amount"] == Decimal("12.5")


# Amounts in 元 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("12345678.90元", "1234.56789"),
        ("250000元", "25"),
        ("3500元", "0.35"),
        ("1元", "0.0001"),
        ("12,345元", "1.2345"),
    ],
)
def test_amounts_in_yuan_are_converted_exactly_with_a_warning(
    printed: str, value: str
) -> None:
    text = FORMAT_B.replace("行政事业性收费\t0.35", f"行政事业性收费\t{printed}")
    result = parse_report_text(text)
    assert result.cells["b2_fees"] == Decimal(value)
    assert "text_yuan_converted" in rules(result)


def test_yuan_beyond_six_decimals_is_refused() -> None:
    text = FORMAT_B.replace("行政事业性收费\t0.35", "行政事业性收费\t0.001元")
    result = parse_report_text(text)
    assert result.cells["b2_fees"] is None
    assert "text_bad_number" in rules(result)


def test_yuan_in_a_count_is_still_refused() -> None:
    text = FORMAT_B.replace("行政强制\t0", "行政强制\t5元")
    result = parse_report_text(text)
    assert result.cells["b2_coercion"] is None
    assert "text_bad_number" in rules(result)
