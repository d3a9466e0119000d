"""The roll-up benchmark (reports/bench/rollup.py) on a small tree: it builds
the tree once, checks SQL against Python sums, and reports one statement."""

import pytest

from agencies.models import Agency
from reports.bench import rollup as bench
from reports.models import AnnualReport


@pytest.mark.django_db
def test_small_run() -> None:
    figures = bench.run(agencies=120, repeat=1)
    root = Agency.objects.get(code=bench.ROOT_CODE)
    assert Agency.objects.filter(path__startswith=root.path).count() == 120
    assert Agency.objects.filter(path__startswith=root.path, depth=2).count() == 50
    assert AnnualReport.objects.filter(year=bench.YEAR).count() == 120
    by_name = {f.name.split(" (")[0].strip(): f for f in figures}
    assert by_name["its statements"].value == 1
    assert "roll-up of 120 agencies, the aggregate" in [
        f.name.removesuffix(" OVER BUDGET") for f in figures
    ]
    # a second run finds the tree built
    bench.run(agencies=120, repeat=1)
    assert Agency.objects.filter(code__startswith=bench.ROOT_CODE).count() == 120
