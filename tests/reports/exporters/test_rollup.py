"""The roll-up read (reports/exporters/rollup.py): sums checked against
figures added up by hand from tests/reports/exporters/rollup_tree.py."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.exporters.rollup import (
    SELF,
    STATUS_CHOICES,
    TOTAL,
    children_of,
    column_heads,
    rollup,
    statuses_for,
    subtree_sums,
    visible_node,
)
from reports.tables import NA
from tests.conftest import World
from tests.factories import make_agency
from tests.reports.exporters.rollup_tree import (
    YEAR,
    Tree,
    a_values,
    build_tree,
    file_report,
)

APPROVED = STATUS_CHOICES["approved"]
SUBMITTED = STATUS_CHOICES["submitted"]


@pytest.fixture
def tree(world: World) -> Tree:
    return build_tree(world)


def test_sums_by_column_equal_the_hand_sums(tree: Tree) -> None:
    result = rollup(node=tree.xx, year=YEAR, statuses=APPROVED)
    [part] = result.parts
    assert part.table_format.code == "A"
    assert [c.label for c in part.columns] == [
        "本级",
        "州政务公开政务服务管理办公室",
        "吉首市人民政府",
        "凤凰县人民政府",
        "永顺县人民政府",
        "合计",
    ]
    js, fh, ys = tree.js.path, tree.fh.path, tree.ys.path
    # 本级 is 湘西州's own report only.
    assert part.value(SELF, "a1_total") == 10
    assert part.value(SELF, "a3_received") == 4
    # 吉首市's column is its own report plus 吉首市统计局's: 20 + 7, 6 + 1.
    assert part.value(js, "a1_total") == 27
    assert part.value(js, "a3_received") == 7
    assert part.value(js, "a3_recv_letter") == 1
    # 凤凰县 is only submitted; 永顺县 has no report and its bureau a draft.
    assert part.value(fh, "a1_total") is None
    assert part.value(ys, "a1_total") is None
    # 合计: 10 + 5 + 27 = 42; 4 + 2 + 7 = 13; amounts add exactly.
    assert part.totals["a1_total"] == 42
    assert part.totals["a3_received"] == 13
    assert part.totals["a3_recv_in_person"] == 3
    assert part.totals["a3_recv_online"] == 8
    assert part.totals["a3_recv_fax"] == 0  # zeros are answers, summed
    assert part.totals["a7_fees"] == Decimal("0.45")
    assert "a1_normative" not in part.totals  # blank everywhere: blank
    assert part.included == {SELF: 1, tree.zw.path: 1, js: 2, TOTAL: 4}


def test_missing_and_not_approved_are_named(tree: Tree) -> None:
    approved = rollup(node=tree.xx, year=YEAR, statuses=APPROVED)
    assert approved.agency_count == 7
    assert approved.included == 4
    assert [m.code for m in approved.missing] == ["t-xx-fh", "t-xx-ys", "t-xx-ys-tjj"]
    assert [m.status_label for m in approved.missing] == ["已提交", "未填报", "草稿"]
    assert approved.not_approved == []


def test_submitted_and_approved_choice(tree: Tree) -> None:
    result = rollup(node=tree.xx, year=YEAR, statuses=statuses_for("submitted"))
    [part] = result.parts
    assert part.value(tree.fh.path, "a1_total") == 100
    assert part.totals["a1_total"] == 142
    assert part.totals["a3_received"] == 63
    assert result.included == 5
    assert [m.code for m in result.missing] == ["t-xx-ys", "t-xx-ys-tjj"]
    assert [m.code for m in result.not_approved] == ["t-xx-fh"]
    with pytest.raises(KeyError):
        statuses_for("draft")


def test_rules_are_checked_on_the_sums(tree: Tree) -> None:
    [part] = rollup(node=tree.xx, year=YEAR, statuses=APPROVED).parts
    rules = {key: {f.rule for f in found} for key, found in part.findings.items()}
    # 13 received ≠ 3 + 0 + 8 + 1 channels, because 吉首市 says 6 ≠ 5.
    assert "a_received_sum" in rules[TOTAL]
    assert "a_received_sum" in rules[tree.js.path]
    assert "a_received_sum" not in rules[SELF]
    assert all(f.severity != "missing" for f in part.findings[TOTAL])


def test_aggregate_is_one_statement_and_queries_do_not_grow(
    tree: Tree, world: World
) -> None:
    with CaptureQueriesContext(connection) as small:
        rollup(node=tree.xx, year=YEAR, statuses=APPROVED)
    sums = [q["sql"] for q in small.captured_queries if "SUM(" in q["sql"].upper()]
    assert len(sums) == 1
    assert "GROUP BY" in sums[0].upper() and "LIKE" in sums[0].upper()
    heads = column_heads(tree.xx, children_of(tree.xx))
    with CaptureQueriesContext(connection) as one:
        rows = subtree_sums(tree.xx, heads, YEAR, APPROVED)
    assert len(one) == 1
    assert {r["code"] for r in rows} >= {"a1_total", "a3_received"}
    for n in range(12):
        leaf = make_agency(parent=tree.zw, code=f"t-xx-zw-{n}")
        file_report(agency=leaf, values=a_values(1, 0, 0, 0, 0, 0))
    with CaptureQueriesContext(connection) as big:
        result = rollup(node=tree.xx, year=YEAR, statuses=APPROVED)
    assert len(big) == len(small)
    assert result.parts[0].value(tree.zw.path, "a1_total") == 5 + 12


def test_two_formats_in_one_year_are_two_roll_ups(tree: Tree) -> None:
    archive = make_agency(parent=tree.xx, name="州档案馆", code="t-xx-da")
    file_report(
        agency=archive,
        format_code="B",
        values={"b3_new__total": 3, "b3_new__np": 3},
    )
    result = rollup(node=tree.xx, year=YEAR, statuses=APPROVED)
    assert [p.table_format.code for p in result.parts] == ["A", "B"]
    part_a, part_b = result.parts
    assert part_a.totals["a1_total"] == 42  # the B report adds nothing here
    assert part_b.totals == {"b3_new__total": 3, "b3_new__np": 3}
    assert part_b.included == {archive.path: 1, TOTAL: 1}
    assert result.included == 5
    assert result.part("B") is part_b


def test_not_applicable_is_not_summed(tree: Tree) -> None:
    year = 2022
    file_report(
        agency=tree.xx,
        year=year,
        values={"b2_rule_issued": "/", "b2_rule_repealed": "/", "b2_fees": "1.5"},
    )
    file_report(
        agency=tree.zw,
        year=year,
        values={"b2_rule_issued": 3, "b2_rule_repealed": "/", "b2_fees": "/"},
    )
    [part] = rollup(node=tree.xx, year=year, statuses=APPROVED).parts
    assert part.table_format.code == "B"
    assert part.totals["b2_rule_issued"] == 3  # 3 and a "/": 3
    assert part.totals["b2_rule_repealed"] is NA  # only "/": "/"
    assert part.totals["b2_fees"] == Decimal("1.5")
    assert part.value(SELF, "b2_rule_issued") is NA
    assert part.na[TOTAL]["b2_rule_issued"] == 1
    assert part.na[TOTAL]["b2_rule_repealed"] == 2


def test_a_year_without_reports_is_one_empty_part(tree: Tree) -> None:
    result = rollup(node=tree.xx, year=2015, statuses=APPROVED)
    [part] = result.parts
    assert part.table_format.code == "A"
    assert part.totals == {}
    assert result.included == 0
    assert len(result.missing) == 7


def test_leaf_roll_up_is_its_own_report(tree: Tree) -> None:
    result = rollup(node=tree.jsj, year=YEAR, statuses=APPROVED)
    [part] = result.parts
    assert [c.label for c in part.columns] == ["本级", "合计"]
    assert part.totals["a1_total"] == 7


def test_visible_node_honours_scope(tree: Tree, world: World) -> None:
    assert visible_node(tree.js_clerk, tree.js.pk) == tree.js
    assert visible_node(tree.js_clerk, tree.jsj.pk) == tree.jsj
    assert visible_node(tree.js_clerk, tree.xx.pk) is None  # an ancestor
    assert visible_node(tree.fh_clerk, tree.js.pk) is None  # a sibling
    assert visible_node(world.clerk, tree.xx.pk) is None  # an outsider
    assert visible_node(tree.hn_reviewer, tree.xx.pk) == tree.xx
    assert visible_node(None, tree.xx.pk) == tree.xx
    assert visible_node(tree.hn_reviewer, 10**12) is None


def test_a_format_no_module_declares_is_left_out_not_a_crash(tree: Tree) -> None:
    stray = make_agency(parent=tree.xx, code="t-xx-stray")
    file_report(agency=stray, format_code="Z", values={"z1": 5})
    result = rollup(node=tree.xx, year=YEAR, statuses=APPROVED)
    assert [p.table_format.code for p in result.parts] == ["A"]
    assert result.parts[0].totals["a1_total"] == 42
