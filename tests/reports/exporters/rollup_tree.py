"""A 湘西州-like tree with reports in every state, for the roll-up tests.

Built under the ``world`` fixture's 湖南省人民政府, so the personas of
tests/conftest.py apply. Reports and values are written with the ORM: the
roll-up only reads them, and a report's status or a second format in one year
is arranged here directly rather than walked through the review services.

    湘西州 (approved)
    ├─ 州政务办 (approved)
    ├─ 吉首市 (approved; its 收到申请数 6 ≠ channels 5: a_received_sum)
    │   └─ 吉首市统计局 (approved)
    ├─ 凤凰县 (submitted)
    └─ 永顺县 (no report)
        └─ 永顺县统计局 (draft)
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractUser

from agencies.models import Agency, Membership
from reports.models import AnnualReport, ReportValue
from reports.tables import NA, format_for_year
from tests.conftest import World
from tests.factories import make_agency, make_member

Status = AnnualReport.Status
YEAR = 2017

CHANNELS = ("a3_recv_in_person", "a3_recv_fax", "a3_recv_online", "a3_recv_letter")


def a_values(total: int, received: int, *channels: int, **more: object) -> dict:
    """Format A values: 主动公开 total, 收到申请 and its four channels."""
    return {
        "a1_total": total,
        "a3_received": received,
        **dict(zip(CHANNELS, channels, strict=True)),
        **more,
    }


VALUES = {
    "xx": a_values(10, 4, 1, 0, 3, 0, a7_fees="0.35"),
    "zw": a_values(5, 2, 2, 0, 0, 0),
    "js": a_values(20, 6, 0, 0, 5, 0, a7_fees="0.1"),
    "jsj": a_values(7, 1, 0, 0, 0, 1),
    "fh": a_values(100, 50, 0, 0, 50, 0),
    "ysj": a_values(9, 0, 0, 0, 0, 0),
}


@dataclass
class Tree:
    xx: Agency
    zw: Agency
    js: Agency
    jsj: Agency
    fh: Agency
    ys: Agency
    ysj: Agency
    js_clerk: AbstractUser  # clerk of 吉首市 (a child subtree)
    fh_clerk: AbstractUser  # clerk of 凤凰县 (吉首市's sibling)
    hn_reviewer: AbstractUser  # reviewer of 湖南省人民政府 (an ancestor)


def file_report(
    *,
    agency: Agency,
    year: int = YEAR,
    status: str = Status.APPROVED,
    values: Mapping[str, object] | None = None,
    format_code: str | None = None,
) -> AnnualReport:
    """A report in ``status`` holding ``values`` ("/" or NA: not applicable)."""
    report = AnnualReport.objects.create(
        agency=agency,
        year=year,
        format=format_code or format_for_year(year).code,
        status=status,
    )
    ReportValue.objects.bulk_create(
        ReportValue(
            report=report,
            code=code,
            value=None if value in ("/", NA) else Decimal(str(value)),
            not_applicable=value in ("/", NA),
        )
        for code, value in (values or {}).items()
    )
    return report


def build_tree(world: World) -> Tree:
    hn = world.other_province
    xx = make_agency(
        parent=hn,
        name="湘西土家族苗族自治州人民政府",
        code="t-xx",
        kind=Agency.Kind.GOVERNMENT,
    )
    zw = make_agency(parent=xx, name="州政务公开政务服务管理办公室", code="t-xx-zw")
    js = make_agency(
        parent=xx, name="吉首市人民政府", code="t-xx-js", kind=Agency.Kind.GOVERNMENT
    )
    jsj = make_agency(parent=js, name="吉首市统计局", code="t-xx-js-tjj")
    fh = make_agency(
        parent=xx, name="凤凰县人民政府", code="t-xx-fh", kind=Agency.Kind.GOVERNMENT
    )
    ys = make_agency(
        parent=xx, name="永顺县人民政府", code="t-xx-ys", kind=Agency.Kind.GOVERNMENT
    )
    ysj = make_agency(parent=ys, name="永顺县统计局", code="t-xx-ys-tjj")
    for key, agency in (("xx", xx), ("zw", zw), ("js", js), ("jsj", jsj)):
        file_report(agency=agency, values=VALUES[key])
    file_report(agency=fh, status=Status.SUBMITTED, values=VALUES["fh"])
    file_report(agency=ysj, status=Status.DRAFT, values=VALUES["ysj"])
    return Tree(
        xx=Agency.objects.get(pk=xx.pk),
        zw=zw,
        js=Agency.objects.get(pk=js.pk),
        jsj=jsj,
        fh=fh,
        ys=Agency.objects.get(pk=ys.pk),
        ysj=ysj,
        js_clerk=make_member(agency=js, username="js_clerk"),
        fh_clerk=make_member(agency=fh, username="fh_clerk"),
        hn_reviewer=make_member(
            agency=hn, role=Membership.Role.REVIEWER, username="hn_reviewer"
        ),
    )
