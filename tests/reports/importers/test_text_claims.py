"""Figures stated in the prose against the table (rule ``text_vs_table``), and
prose-only reports, whose figures are suggestions, never placed.

Sentences are generated from several wordings and separators with a fixed
seed; the table is format A's compact layout with the figure equal to or
different from the sentence's.
"""

import random
from decimal import Decimal

import pytest

from reports.importers.text import TextImport, as_json, parse_report_text
from reports.tables import get_format
from tests.reports.importers.test_text import COMPACT
from tests.reports.seed_tables import seed_text as seed

FORMAT_A = get_format("A")
WORDINGS = {
    "a9_meetings": ["全年召开{n}次政府信息公开工作会议", "共召开政务公开专题会议{n}次"],
    "a9_trainings": ["举办各类培训班{n}次", "举办{n}期信息公开业务培训"],
    "a3_received": ["全年共收到政府信息公开申请{n}件", "收到申请{n}件"],
    "a8_staff_parttime": ["兼职人员{n}人", "兼职工作人员为{n}人"],
}


def rules(result: TextImport) -> list[str]:
    return [f.rule for f in result.findings]


def test_seed_002_states_other_meetings_and_trainings_than_its_table() -> None:
    result = parse_report_text(seed("002"))
    found = {f.cells: f.message for f in result.findings if f.rule == "text_vs_table"}
    assert set(found) == {("a9_meetings",), ("a9_trainings",)}
    assert "全年召开2次政府信息公开工作会议" in found[("a9_meetings",)]
    assert "第33行" in found[("a9_meetings",)]
    assert "举办各类培训班1次" in found[("a9_trainings",)]


@pytest.mark.parametrize("seed_number", range(10))
def test_generated_sentences_against_the_table(seed_number: int) -> None:
    rng = random.Random(seed_number)  # noqa: S311
    code = rng.choice(sorted(WORDINGS))
    table_value = rng.randrange(0, 60)
    differs = rng.random() < 0.5
    stated = table_value + rng.randrange(1, 9) if differs else table_value
    sentence = rng.choice(WORDINGS[code]).format(n=stated)
    end = rng.choice(["。", "；", "。全年工作平稳。"])
    lines = COMPACT.split("\n")
    cell = FORMAT_A.cells[code]
    sep = rng.choice([" | ", "\t", " "])
    row = f"{cell.label}{sep}{cell.unit}{sep}{table_value}"
    lines.insert(lines.index("七、依申请公开信息收取的费用 | 万元 | 0.35"), row)
    lines.insert(2, "本年度，" + sentence + end)
    result = parse_report_text("\n".join(lines))
    found = [f for f in result.findings if f.rule == "text_vs_table"]
    if differs:
        (finding,) = found
        assert finding.cells == (code,)
        assert sentence in finding.message
    else:
        assert found == []


def test_a_figure_said_of_one_channel_is_not_the_total() -> None:
    text = COMPACT.replace(
        "本年度工作情况良好。",
        "本年度工作情况良好。政府网站全年主动公开政府信息99999条。",
    )
    assert "text_vs_table" not in rules(parse_report_text(text))


def test_prose_only_report_suggests_but_never_places() -> None:
    text = (
        "某县统计局2017年政府信息公开工作年度报告\n一、概述\n"
        "全年共收到政府信息公开申请12件，全年召开3次政府信息公开工作会议。\n"
        "二、存在的问题\n公开内容不够全面。\n"
    )
    result = parse_report_text(text)
    assert not result.table_found
    assert all(value is None for value in result.cells.values())
    assert {(s.code, s.number) for s in result.suggestions} == {
        ("a3_received", Decimal(12)),
        ("a9_meetings", Decimal(3)),
    }
    assert all(s.line == 3 for s in result.suggestions)
    assert "text_vs_table" not in rules(result)
    data = as_json(result)
    assert {"line": 3, "number": 12, "code": "a3_received"}.items() <= data[
        "suggestions"
    ][0].items()


def test_a_report_with_a_table_has_no_suggestions() -> None:
    assert parse_report_text(seed("002")).suggestions == []
