"""The tables of a text and the years it prints, as the importer reports them.

Two or three reports pasted together, in any order, with or without their
titles, laid out differently: each table is listed with its lines and what
tells it apart, and choosing one reads that report alone (its cells, years,
填报单位, signatories and sections) with line numbers as in the whole text.
"""

import random
from decimal import Decimal

import pytest

from reports.importers.text import (
    TextImport,
    TextImportError,
    as_json,
    parse_report_text,
)
from reports.tables import Header, get_format
from tests.reports.importers.test_text import COMPACT, FORMAT_B
from tests.reports.seed_tables import SEED_002, SEED_003, decimals
from tests.reports.seed_tables import seed_text as seed

FORMAT_A = get_format("A")
CELLS_A = [row for row in FORMAT_A.tables[0].rows if not isinstance(row, Header)]


def rules(result: TextImport) -> list[str]:
    return [f.rule for f in result.findings]


# The year of the title ----------------------------------------------------------

TITLES = [
    "{agency}{year}年政府信息公开工作年度报告",
    "{agency}{year}年度政府信息公开工作报告",
    "{year}年{agency}政务公开工作年度报告",
    "{agency}关于{year}年度政府信息公开工作的报告",
    "{agency}{year}年政府信息公开年报",
]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("given", [None, 2016, 2022])
def test_the_title_year_is_kept_whatever_year_is_given(
    title: str, given: int | None
) -> None:
    text = title.format(agency="某县统计局", year=2019) + "\n" + COMPACT
    result = parse_report_text(text, year=given, table_format=FORMAT_A)
    assert result.found_year == 2019
    assert result.year == (2019 if given is None else given)
    assert result.table_year == 2017  # "（2017年度）" over COMPACT's table


def test_the_seeds_years_with_the_report_year_given() -> None:
    result = parse_report_text(seed("002"), year=2016)
    assert (result.year, result.found_year, result.table_year) == (2016, 2017, 2016)
    result = parse_report_text(seed("003"), year=2018, table_format=FORMAT_A)
    assert (result.year, result.found_year, result.table_year) == (2018, 2017, 2017)


def test_no_title_no_found_year() -> None:
    text = "\n".join(FORMAT_B.split("\n")[3:])
    result = parse_report_text(text, year=2022)
    assert result.found_year is None
    assert result.year == 2022


# One table ----------------------------------------------------------------------


def test_one_table_is_listed_with_its_lines() -> None:
    result = parse_report_text(seed("003"))
    (table,) = result.tables
    assert (table.index, table.first_line, table.last_line) == (0, 77, 386)
    assert (table.start_line, table.end_line) == (1, 386)
    assert table.title == "湘西州2017年政府信息公开工作年度报告"
    assert table.agency_name == "湘西州政务公开政务服务管理办公室"
    assert (table.year, table.table_year, table.values) == (2017, 2017, 40)
    assert result.table_index is None
    assert "text_two_tables" not in rules(result)


def test_format_b_tables_in_three_places_are_one_table() -> None:
    result = parse_report_text(FORMAT_B)
    assert len(result.tables) == 1
    assert result.tables[0].first_line <= FORMAT_B.split("\n").index("第二十条第(一)项")
    assert result.tables[0].last_line >= FORMAT_B.split("\n").index(
        "1 0 0 0 1 0 0 0 0 0 0 0 0 1 1"
    )


def test_no_table_no_tables() -> None:
    assert parse_report_text(seed("004")).tables == []


# Reports pasted together ----------------------------------------------------------


def small_report(n: int, rng: random.Random) -> tuple[str, dict[str, Decimal], dict]:
    """A format A report of its own agency, year and numbers, laid out its way."""
    agency, year = f"第{n + 1}区统计局", 2015 + n
    values = {
        row.code: Decimal(rng.randrange(1, 999)) for row in rng.sample(CELLS_A, 8)
    }
    sep = rng.choice([" | ", "\t", " ", "\n"])
    lines = []
    if rng.random() < 0.7:
        lines.append(f"{agency}{year}年政府信息公开工作年度报告")
    lines += [f"{year}年，我局认真贯彻落实《条例》。", "政府信息公开情况统计表"]
    lines += [f"（{year}年度）", f"填报单位（盖章）：{agency}"]
    for row in FORMAT_A.tables[0].rows:
        value = values.get(getattr(row, "code", ""))
        lines.append(row.label if value is None else f"{row.label}{sep}{value}")
    lines.append(f"单位负责人：张{n}    审核人：李{n}    填报人：王{n}")
    lines += ["", f"{year + 1}年3月1日"]
    expected = {"agency": agency, "year": year, "head": f"张{n}"}
    return "\n".join(lines), values, expected


@pytest.mark.parametrize("seed_", range(12))
def test_reports_pasted_together_are_listed_and_each_can_be_chosen(
    seed_: int,
) -> None:
    rng = random.Random(seed_)  # noqa: S311 - reproducible test data
    reports = [small_report(n, rng) for n in range(rng.choice([2, 3]))]
    rng.shuffle(reports)
    between = rng.choice(["\n", "\n\n\n", "\n- 2 -\n", "\n\xa0\n"])
    text = between.join(report for report, _v, _e in reports)
    whole = parse_report_text(text)
    assert len(whole.tables) == len(reports)
    assert "text_two_tables" in rules(whole)
    assert whole.values() == reports[0][1]  # without a choice: the first
    lines = text.split("\n")
    for n, (report, values, expected) in enumerate(reports):
        table = whole.tables[n]
        start = text[: text.index(report)].count("\n") + 1
        end = start + report.count("\n")
        assert start <= table.first_line <= table.last_line <= end
        assert table.start_line <= table.first_line <= table.last_line
        assert table.last_line <= table.end_line <= end + between.count("\n")
        # Its part starts at its title, else right after the table before it.
        titled = lines[start - 1].endswith("年度报告")
        assert table.start_line == (
            start if titled or n == 0 else whole.tables[n - 1].last_line + 1
        )
        assert table.agency_name == expected["agency"]
        assert table.table_year == expected["year"]
        assert table.values == len(values)
        if titled:
            assert table.title == lines[start - 1]
            assert table.description == table.title
            assert table.year == expected["year"]
        else:
            assert table.description == f"填报单位：{expected['agency']}"
        chosen = parse_report_text(text, table_index=n)
        assert chosen.table_index == n
        assert chosen.tables == whole.tables
        assert chosen.values() == values
        assert chosen.table_year == expected["year"]
        assert chosen.agency_name == expected["agency"]
        assert chosen.signatories["signed_head"] == expected["head"]
        assert "text_two_tables" not in rules(chosen)
        assert chosen.unplaced_lines == []
        for code, (line, printed) in chosen.sources.items():
            assert start <= line <= end
            assert lines[line - 1].strip() == printed, code


def test_two_seeds_pasted_together_either_can_be_chosen() -> None:
    text = seed("003") + "\n\n" + seed("002")
    whole = parse_report_text(text, year=2017, table_format=FORMAT_A)
    first, second = whole.tables
    assert (first.first_line, first.last_line) == (77, 386)
    assert (second.first_line, second.start_line) == (429, 387)
    assert second.description == "填报单位：吉林市统计局龙潭区分局"
    assert (second.year, second.table_year, second.values) == (2017, 2016, 9)
    (two,) = [f for f in whole.findings if f.rule == "text_two_tables"]
    assert "第429行" in two.message and "2 张" in two.message

    one = parse_report_text(text, year=2017, table_format=FORMAT_A, table_index=0)
    assert one.cells == decimals(SEED_003)
    assert one.agency_name == "湘西州政务公开政务服务管理办公室"
    assert one.sections == parse_report_text(seed("003")).sections

    two_ = parse_report_text(text, year=2017, table_format=FORMAT_A, table_index=1)
    assert two_.cells == decimals(SEED_002)
    assert (two_.found_year, two_.table_year) == (2017, 2016)
    assert two_.agency_name == "吉林市统计局龙潭区分局"
    assert two_.signatories["signed_head"] == "宋玉玲"
    assert two_.sources["a1_total"] == (386 + 2 + 52, "5 |")
    assert two_.sections["response"] == "无需要回应解读的情况"
    assert "湘西" not in "".join(two_.sections.values())
    assert "a_table_year" in rules(two_)  # 2016 over a 2017 report


def test_the_same_table_pasted_twice_gives_two_choices_of_the_same() -> None:
    text = COMPACT + "\n" + COMPACT
    whole = parse_report_text(text)
    assert len(whole.tables) == 2
    first = parse_report_text(text, table_index=0)
    second = parse_report_text(text, table_index=1)
    assert first.values() == second.values() == parse_report_text(COMPACT).values()
    assert second.sources["a1_total"][0] == first.sources["a1_total"][0] + 24


def test_two_format_b_reports_are_two_tables_not_six() -> None:
    other = FORMAT_B.replace("某区", "另一区").replace(
        "10 2 0 0 1 0 13", "9 2 0 0 1 0 12"
    )
    text = FORMAT_B + other
    whole = parse_report_text(text)
    assert len(whole.tables) == 2
    assert whole.tables[1].title == "另一区人民政府2022年政府信息公开工作年度报告"
    chosen = parse_report_text(text, table_index=1)
    assert chosen.cells["b3_new__np"] == Decimal(9)
    assert chosen.cells["b4_review_total"] == Decimal(1)
    assert chosen.sections["overview"] == "2022年，我区认真贯彻落实《条例》。"


@pytest.mark.parametrize("index", [2, 5, -1, True])
def test_a_table_that_is_not_there_is_refused_in_chinese(index: int) -> None:
    text = seed("003") + "\n\n" + seed("002")
    with pytest.raises(TextImportError, match="文中没有所选的"):
        parse_report_text(text, table_index=index)


def test_choosing_the_only_table_reads_it_as_without_a_choice() -> None:
    alone = parse_report_text(seed("003"))
    chosen = parse_report_text(seed("003"), table_index=0)
    assert chosen.cells == alone.cells
    assert chosen.sections == alone.sections
    assert chosen.table_index == 0


def test_as_json_lists_the_tables_and_the_title_year() -> None:
    data = as_json(parse_report_text(seed("003") + "\n\n" + seed("002"), year=2016))
    assert data["year"] == 2016
    assert data["found_year"] == 2017
    assert data["table_index"] is None
    tables = data["tables"]
    assert isinstance(tables, list)
    assert [t["first_line"] for t in tables] == [77, 429]
    assert tables[0]["description"] == "湘西州2017年政府信息公开工作年度报告"
