"""Benchmarks printed by ``make bench``: each figure beside its baseline."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""

    def line(self) -> str:
        shown = f"{self.value:,.1f} {self.unit}"
        if self.baseline is None:
            return f"{self.name:<52} {shown:>16}"
        ratio = self.value / self.baseline if self.baseline else float("inf")
        base = f"{self.baseline:,.1f} {self.unit}"
        return (
            f"{self.name:<52} {shown:>16}   vs {self.baseline_name} {base}"
            f"   ratio {ratio:.2f}"
        )
