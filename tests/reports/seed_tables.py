"""The seed documents, and the statistics tables of seeds 002 and 003.

Copied cell by cell from the seeds (blank printed cells are None: they are
missing, not 0). The one home of these values for every test: the validator's,
the text importer's and the browser's. The documents themselves are read, as
they are, from the repository's copies in reports/demo_seeds/ (identical to
../shared/seeds/, which a bare clone does not have).
"""

from decimal import Decimal
from pathlib import Path

from reports.demo import SEEDS


def seed_path(prefix: str) -> Path:
    """The seed document whose name starts with ``prefix`` ("003")."""
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if len(found) != 1:
        raise FileNotFoundError(f"expected one seed {prefix}_*.txt in {SEEDS}")
    return found[0]


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


SEED_002 = {
    "a1_total": 5,
    "a1_normative": None,
    "a1_normative_issued": None,
    "a1_gazette": None,
    "a1_website": 5,
    "a1_weibo": None,
    "a1_wechat": None,
    "a1_other": None,
    "a2_responses": None,
    "a2_press": None,
    "a2_press_head": None,
    "a2_interview": None,
    "a2_interview_head": None,
    "a2_interpretation": None,
    "a2_weibo_wechat": None,
    "a2_other": None,
    "a3_received": None,
    "a3_recv_in_person": None,
    "a3_recv_fax": None,
    "a3_recv_online": None,
    "a3_recv_letter": None,
    "a3_closed": None,
    "a3_closed_on_time": None,
    "a3_closed_extended": None,
    "a3_answered": None,
    "a3_ans_already_public": None,
    "a3_ans_granted": None,
    "a3_ans_partial": None,
    "a3_ans_refused": None,
    "a3_ref_state_secret": None,
    "a3_ref_trade_secret": None,
    "a3_ref_privacy": None,
    "a3_ref_security": None,
    "a3_ref_not_gov_info": None,
    "a3_ref_other_law": None,
    "a3_ans_not_this_agency": None,
    "a3_ans_not_exist": None,
    "a3_ans_amend": None,
    "a3_ans_other_channel": None,
    "a4_reviews": None,
    "a4_rev_upheld": None,
    "a4_rev_corrected": None,
    "a4_rev_other": None,
    "a5_suits": None,
    "a5_suit_upheld": None,
    "a5_suit_corrected": None,
    "a5_suit_other": None,
    "a6_complaints": None,
    "a7_fees": None,
    "a8_offices": 1,
    "a8_reading_points": None,
    "a8_staff": 5,
    "a8_staff_fulltime": 1,
    "a8_staff_parttime": 4,
    "a8_budget": None,
    "a9_meetings": 1,
    "a9_trainings": 2,
    "a9_trainees": 14,
}

SEED_003 = {
    "a1_total": 248071,
    "a1_normative": 253,
    "a1_normative_issued": 253,
    "a1_gazette": 2137,
    "a1_website": 181049,
    "a1_weibo": 1202,
    "a1_wechat": 764,
    "a1_other": 45237,
    "a2_responses": 147,
    "a2_press": 28,
    "a2_press_head": 28,
    "a2_interview": 6,
    "a2_interview_head": 6,
    "a2_interpretation": 125,
    "a2_weibo_wechat": 0,
    "a2_other": 45237,
    "a3_received": 15,
    "a3_recv_in_person": 1,
    "a3_recv_fax": None,
    "a3_recv_online": 12,
    "a3_recv_letter": 2,
    "a3_closed": 15,
    "a3_closed_on_time": 15,
    "a3_closed_extended": None,
    "a3_answered": None,
    "a3_ans_already_public": None,
    "a3_ans_granted": 15,
    "a3_ans_partial": None,
    "a3_ans_refused": None,
    "a3_ref_state_secret": None,
    "a3_ref_trade_secret": None,
    "a3_ref_privacy": None,
    "a3_ref_security": None,
    "a3_ref_not_gov_info": None,
    "a3_ref_other_law": None,
    "a3_ans_not_this_agency": None,
    "a3_ans_not_exist": None,
    "a3_ans_amend": None,
    "a3_ans_other_channel": None,
    "a4_reviews": 101,
    "a4_rev_upheld": 56,
    "a4_rev_corrected": 24,
    "a4_rev_other": 1,
    "a5_suits": 2,
    "a5_suit_upheld": 2,
    "a5_suit_corrected": None,
    "a5_suit_other": None,
    "a6_complaints": 0,
    "a7_fees": 0,
    "a8_offices": 9,
    "a8_reading_points": 123,
    "a8_staff": 776,
    "a8_staff_fulltime": 42,
    "a8_staff_parttime": 734,
    "a8_budget": 65,
    "a9_meetings": 30,
    "a9_trainings": 32,
    "a9_trainees": 3155,
}

SEED_002_TABLE_YEAR = 2016  # the 2017 report's table is printed "(2016年度)"
SEED_003_TABLE_YEAR = 2017


def typed(table: dict[str, int | None]) -> dict[str, str]:
    """What a clerk types: the printed values, blanks left out."""
    return {code: str(value) for code, value in table.items() if value is not None}


def decimals(table: dict[str, object]) -> dict[str, Decimal | None]:
    """The table as parsed: every cell, blanks as None."""
    return {c: None if v is None else Decimal(str(v)) for c, v in table.items()}


def printed(table: dict[str, object]) -> dict[str, Decimal]:
    """The cells a table prints, as stored: blanks are simply absent."""
    return {c: Decimal(str(v)) for c, v in table.items() if v is not None}


def blanks(table: dict[str, int | None]) -> list[str]:
    return [code for code, value in table.items() if value is None]
