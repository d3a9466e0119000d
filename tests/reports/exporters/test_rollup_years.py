"""The roll-up over the years (reports/exporters/rollup_years.py)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.exporters.rollup import STATUS_CHOICES
from reports.exporters.rollup_years import (
    MAIN_FIGURES,
    figure_series,
    figures_for,
    years_rollup,
)
from tests.conftest import World
from tests.reports.exporters.rollup_tree import (
    YEAR,
    Status,
    Tree,
    a_values,
    build_tree,
    file_report,
)

APPROVED = STATUS_CHOICES["approved"]


@pytest.fixture
def tree(world: World) -> Tree:
    tree = build_tree(world)
    # 2016: 湘西州 8 and 吉首市 12 published; 2018 (format A) and 2019
    # (format B2019) for 湘西州 alone, to cross the change of format.
    file_report(agency=tree.xx, year=2016, values=a_values(8, 3, 3, 0, 0, 0))
    file_report(agency=tree.js, year=2016, values=a_values(12, 2, 0, 0, 2, 0))
    file_report(agency=tree.fh, year=2016, status=Status.RETURNED, values={})
    file_report(agency=tree.xx, year=2018, values=a_values(5, 1, 1, 0, 0, 0))
    file_report(
        agency=tree.xx,
        year=2019,
        values={"b3_new__total": 4, "b4_review_total": 2, "b2t_rule_new_made": "/"},
    )
    return tree


def test_years_side_by_side_with_the_change(tree: Tree) -> None:
    with CaptureQueriesContext(connection) as queries:
        result = years_rollup(node=tree.xx, years=[2016, YEAR, 2018], statuses=APPROVED)
    assert len(queries) == 2  # the sums, and the reports counted
    [part] = result.parts
    assert part.table_format.code == "A"
    assert part.years == [2016, 2017, 2018]
    assert part.included == {2016: 2, 2017: 4, 2018: 1}
    assert [part.value(y, "a1_total") for y in part.years] == [20, 42, 5]
    assert part.change(2016, "a1_total") == (None, None)  # nothing before it
    assert part.change(2017, "a1_total") == (22, Decimal("110.0"))
    assert part.change(2018, "a1_total") == (-37, Decimal("-88.1"))
    assert part.change(2017, "a1_normative") == (None, None)  # blank both years


def test_a_change_from_zero_has_no_percentage(tree: Tree) -> None:
    file_report(agency=tree.xx, year=2015, values={"a4_reviews": 0})
    file_report(agency=tree.xx, year=2014, values={"a4_reviews": 3})
    [part] = years_rollup(
        node=tree.xx, years=[2014, 2015, 2016], statuses=APPROVED
    ).parts
    assert part.change(2015, "a4_reviews") == (-3, Decimal("-100.0"))
    assert part.value(2016, "a4_reviews") is None


def test_each_format_is_its_own_part(tree: Tree) -> None:
    result = years_rollup(node=tree.xx, years=[2018, 2019, 2020], statuses=APPROVED)
    assert [(p.table_format.code, p.years) for p in result.parts] == [
        ("A", [2018]),
        ("B2019", [2019, 2020]),
    ]
    b = result.parts[1]
    assert b.included == {2019: 1, 2020: 0}
    assert b.value(2019, "b3_new__total") == 4
    assert b.value(2019, "b2t_rule_new_made") is not None  # "/" kept as "/"
    assert b.change(2020, "b3_new__total") == (None, None)


def test_figures_cross_the_change_of_format(tree: Tree) -> None:
    series = dict(figure_series(tree.xx, range(2016, 2020), APPROVED))
    labels = [f.label for f in MAIN_FIGURES]
    received = labels.index("收到申请数")
    active = labels.index("主动公开政府信息数")
    assert series[2016][received] == 5  # a3_received: 3 + 2
    assert series[2017][received] == 13
    assert series[2019][received] == 4  # b3_new__total in format B2019
    assert series[2019][active] is None  # no such cell in format B2019
    assert series[2018][active] == 5
    assert [f.label for f in figures_for("B")] == [
        "收到申请数",
        "行政复议数",
        "行政诉讼数",
    ]


def test_submitted_years_only_when_chosen(tree: Tree) -> None:
    [part] = years_rollup(
        node=tree.xx, years=[YEAR], statuses=STATUS_CHOICES["submitted"]
    ).parts
    assert part.value(YEAR, "a1_total") == 142
