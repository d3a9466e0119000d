"""``manage.py rollup`` (reports/management/commands/rollup.py)."""

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import World
from tests.factories import make_agency
from tests.reports.exporters.rollup_tree import Tree, build_tree, file_report


@pytest.fixture
def tree(world: World) -> Tree:
    return build_tree(world)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("rollup", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


def test_json_is_the_hand_sums(tree: Tree) -> None:
    payload = run_json("--agency", "t-xx", "--year", "2017")
    findings = payload.pop("findings")
    assert payload == {
        "agency": "t-xx",
        "year": 2017,
        "format": "A",
        "statuses": ["approved"],
        "included": 4,
        "missing": ["t-xx-fh", "t-xx-ys", "t-xx-ys-tjj"],
        "not_approved": [],
        "cells": {
            "a1_total": 42,
            "a3_received": 13,
            "a3_recv_in_person": 3,
            "a3_recv_fax": 0,
            "a3_recv_online": 8,
            "a3_recv_letter": 1,
            "a7_fees": 0.45,
        },
        "columns": {
            "本级": {
                "a1_total": 10,
                "a3_received": 4,
                "a3_recv_in_person": 1,
                "a3_recv_fax": 0,
                "a3_recv_online": 3,
                "a3_recv_letter": 0,
                "a7_fees": 0.35,
            },
            "t-xx-zw": {
                "a1_total": 5,
                "a3_received": 2,
                "a3_recv_in_person": 2,
                "a3_recv_fax": 0,
                "a3_recv_online": 0,
                "a3_recv_letter": 0,
            },
            "t-xx-js": {
                "a1_total": 27,
                "a3_received": 7,
                "a3_recv_in_person": 0,
                "a3_recv_fax": 0,
                "a3_recv_online": 5,
                "a3_recv_letter": 1,
                "a7_fees": 0.1,
            },
            "t-xx-fh": {},
            "t-xx-ys": {},
        },
    }
    assert [f["rule"] for f in findings] == ["a_received_sum"]


def test_statuses_option(tree: Tree) -> None:
    payload = run_json(
        "--agency", "t-xx", "--year", "2017", "--statuses", "approved,submitted"
    )
    assert payload["included"] == 5
    assert payload["cells"]["a1_total"] == 142
    assert payload["not_approved"] == ["t-xx-fh"]
    assert payload["missing"] == ["t-xx-ys", "t-xx-ys-tjj"]
    same = run_json(
        "--agency", "t-xx", "--year", "2017", "--statuses", "submitted, approved"
    )
    assert same["cells"] == payload["cells"]
    for bad in ("draft", "submitted", "approved,draft", ""):
        with pytest.raises(CommandError, match="--statuses"):
            run("--agency", "t-xx", "--year", "2017", "--statuses", bad)


def test_user_scope(tree: Tree, world: World) -> None:
    own = run_json("--agency", "t-xx-js", "--year", "2017", "--user", "js_clerk")
    assert own["cells"]["a1_total"] == 27
    for user, code in (
        ("js_clerk", "t-xx"),  # the parent of the clerk's agency
        ("fh_clerk", "t-xx-js"),  # a sibling
        ("outsider", "t-xx"),  # another subtree
        ("clerk", "t-xx-js"),
    ):
        with pytest.raises(CommandError, match="没有找到代码为"):
            run("--agency", code, "--year", "2017", "--user", user)
    with pytest.raises(CommandError, match="没有找到代码为"):
        run("--agency", "no-such", "--year", "2017")
    with pytest.raises(CommandError, match="有效用户"):
        run("--agency", "t-xx", "--year", "2017", "--user", "nobody")
    whole = run_json("--agency", "t-xx", "--year", "2017", "--user", "hn_reviewer")
    assert whole["cells"]["a1_total"] == 42


def test_bad_year(tree: Tree) -> None:
    for bad in ("abc", "2007", "-1", "2017.5"):
        with pytest.raises(CommandError, match="报告年度"):
            run("--agency", "t-xx", "--year", bad)


def test_two_formats_need_a_choice_in_json(tree: Tree) -> None:
    archive = make_agency(parent=tree.xx, name="州档案馆", code="t-xx-da")
    file_report(agency=archive, format_code="B", values={"b3_new__total": 3})
    with pytest.raises(CommandError, match="--format"):
        run("--agency", "t-xx", "--year", "2017", "--json")
    b = run_json("--agency", "t-xx", "--year", "2017", "--format", "B")
    assert b["format"] == "B" and b["cells"] == {"b3_new__total": 3}
    assert b["columns"]["t-xx-da"] == {"b3_new__total": 3}
    assert b["included"] == 1
    text = run("--agency", "t-xx", "--year", "2017")
    assert "纳入 5 份" in text and "b3_new__total" in text and "a1_total" in text
    with pytest.raises(CommandError, match="没有格式 B2019"):
        run("--agency", "t-xx", "--year", "2017", "--format", "B2019")


def test_text_output(tree: Tree) -> None:
    text = run("--agency", "t-xx", "--year", "2017")
    assert text.startswith(
        "湘西土家族苗族自治州人民政府（t-xx）2017年度汇总，仅已通过的报告"
    )
    assert "未纳入：t-xx-ys 永顺县人民政府（未填报）" in text
    assert "a1_total\t主动公开政府信息数\t42" in text
    assert "[error] a_received_sum" in text


def test_xlsx_output(tree: Tree, tmp_path: Path) -> None:
    target = tmp_path / "汇总.xlsx"
    payload = run_json("--agency", "t-xx", "--year", "2017", "-o", str(target))
    assert payload["cells"]["a1_total"] == 42  # JSON and the file at once
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["汇总表", "未纳入及未审核", "图表数据", "图表"]
    assert len(book["图表"]._charts) == 8  # a bar and a line chart per figure
    with pytest.raises(CommandError, match="无法写入"):
        run("--agency", "t-xx", "--year", "2017", "-o", str(tmp_path / "no" / "x"))
