"""The seed reports that ``load_demo`` imports, and where they belong.

The texts are copies of ../shared/seeds/, the documents nianbao grew from;
they go in through the report-text importer, as a clerk's paste would.
"""

from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "demo_seeds"


@dataclass(frozen=True)
class DemoSeed:
    file: str
    agency_code: str
    note: str


SEED_REPORTS = [
    DemoSeed("000_ca6e941451002612.txt", "hn-tjj", "000 湖南省统计局（繁体）"),
    DemoSeed("001_f98f150bb93e21ec.txt", "fj-tjj", "001 福建省统计局工作要点"),
    DemoSeed("002_5ad1220e31761e5b.txt", "jl-jlc-tjj-lt", "002 龙潭分局"),
    DemoSeed("003_b003980f9dd57fbd.txt", "hn-xx", "003 湘西州"),
    DemoSeed("004_2e999eed75769abb.txt", "tjj-cq", "004 重庆调查总队"),
]
