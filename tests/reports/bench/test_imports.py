"""The import benchmark (reports/bench/imports.py) on a few reports, and its
memory figure: the peak that a run adds, whatever ran before it."""

from pathlib import Path

import pytest

from reports.bench import data
from reports.bench import imports as bench
from reports.models import AnnualReport

needs_peak_reset = pytest.mark.skipif(
    not Path("/proc/self/clear_refs").exists(),
    reason="the peak RSS can be reset on Linux only",
)
MB = 1024 * 1024


def _fills(megabytes: int) -> bytes:
    return b"x" * (megabytes * MB)  # written, so resident (unlike bytes(n))


@needs_peak_reset
def test_the_peak_is_what_a_run_adds_whatever_ran_before() -> None:
    bigger_before = _fills(120)
    del bigger_before
    _seconds, first = bench.timed_peak(lambda: _fills(40))
    _seconds, again = bench.timed_peak(lambda: _fills(40))
    # ru_maxrss before and after would say 0 MB: 120 MB was the peak already.
    assert first is not None and again is not None
    assert 38 <= first <= 60 and 38 <= again <= 60


@needs_peak_reset
def test_nothing_allocated_adds_next_to_nothing() -> None:
    _seconds, peak = bench.timed_peak(lambda: None)
    assert peak is not None and 0 <= peak < 2


@pytest.mark.django_db
def test_small_run() -> None:
    data.build_tree(fanout=3)
    figures = bench.run(reports=9, baseline_rows=2)
    by_name = {f.name: f for f in figures}
    assert "import 9 format A reports (522 cells)" in by_name
    assert AnnualReport.objects.filter(year=bench.YEAR).count() == 0  # cleared
    memory = by_name.get("peak memory growth during the import")
    if Path("/proc/self/clear_refs").exists():
        assert memory is not None and memory.unit == "MB"
        # Nine reports: some new pages (the C heap's free ones were given
        # back before the run), far below the 300 MB budget of 10,000.
        assert 0 < memory.value < 50, memory.value
