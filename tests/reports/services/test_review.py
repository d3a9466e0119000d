"""The review transitions: every allowed move, every refused one, one winner."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from agencies.models import Membership
from reports.models import AnnualReport, ReviewEvent
from reports.services import (
    TRANSITIONS,
    ReportError,
    available,
    report_approve,
    report_reopen,
    report_return,
    report_save_values,
    report_submit,
    report_withdraw,
    transition_apply,
)
from reports.tables import SIGNATORIES
from tests.conftest import World
from tests.factories import make_agency, make_member, make_report

Status = AnnualReport.Status


def complete(world: World, *, agency: object = None, year: int = 2017) -> AnnualReport:
    """A format A report with nothing missing and no error or warning."""
    report = make_report(agency=agency or world.district, year=year)
    table_format = report.table_format
    return report_save_values(
        report=report,
        user=world.clerk if agency is None else _system(),
        expected_version=report.version,
        values=dict.fromkeys(table_format.cells, "0"),
        sections={s.key: "内容" for s in table_format.sections},
        signatories={key: "2018-03-01" if key == "filled_on" else "某人"
                     for key, _label in SIGNATORIES},
    ).report  # fmt: skip


def _system() -> object:
    from reports.services import system_actor

    return system_actor()


def submitted(world: World) -> AnnualReport:
    report = complete(world)
    return report_submit(
        report=report, user=world.clerk, expected_version=report.version
    )


def snapshot(report: AnnualReport) -> tuple:
    report.refresh_from_db()
    return (report.status, report.version, report.events.count(), report.decided_at)


def test_the_declared_table() -> None:
    assert set(TRANSITIONS) == {"submit", "withdraw", "approve", "return", "reopen"}
    assert [t.name for t in TRANSITIONS.values() if t.comment_required] == [
        "return",
        "reopen",
    ]


def test_submit_sets_submitted_at_and_records_the_event(world: World) -> None:
    report = submitted(world)
    assert report.status == Status.SUBMITTED and report.submitted_at is not None
    event = report.events.get()
    assert (event.from_status, event.to_status, event.user) == (
        Status.DRAFT,
        Status.SUBMITTED,
        world.clerk,
    )


def test_withdraw_then_edit_again(world: World) -> None:
    report = submitted(world)
    report = report_withdraw(
        report=report, user=world.clerk, expected_version=report.version
    )
    assert report.status == Status.DRAFT and report.submitted_at is None


def test_approve_locks_every_write_path(world: World) -> None:
    report = submitted(world)
    report = report_approve(
        report=report, user=world.reviewer, expected_version=report.version
    )
    assert report.status == Status.APPROVED and report.decided_at is not None
    with pytest.raises(ReportError, match="已通过审核并锁定"):
        report_save_values(
            report=report,
            user=world.clerk,
            expected_version=report.version,
            values={"a1_total": "9"},
        )
    from reports.services import report_delete

    with pytest.raises(ReportError):
        report_delete(report=report, user=world.clerk)
    assert available(world.clerk, report) == []
    assert [t.name for t in available(world.reviewer, report)] == ["reopen"]


def test_return_needs_a_comment_and_pins_cells(world: World) -> None:
    report = submitted(world)
    before = snapshot(report)
    with pytest.raises(ReportError, match="须写明意见"):
        report_return(
            report=report,
            user=world.reviewer,
            expected_version=report.version,
            comment=" ",
        )
    assert snapshot(report) == before
    report = report_return(
        report=report,
        user=world.reviewer,
        expected_version=report.version,
        comment="收到申请数有误",
        cells=["a3_received", "section:overview"],
    )
    assert report.status == Status.RETURNED
    event = report.events.first()
    assert event.comment == "收到申请数有误"
    assert event.cells == ["a3_received", "section:overview"]
    # The clerk fixes and resubmits.
    report = report_submit(
        report=report, user=world.clerk, expected_version=report.version
    )
    assert report.status == Status.SUBMITTED


def test_reopen_an_approved_report_with_a_reason(world: World) -> None:
    report = submitted(world)
    report = report_approve(
        report=report, user=world.reviewer, expected_version=report.version
    )
    with pytest.raises(ReportError):
        report_reopen(
            report=report,
            user=world.reviewer,
            expected_version=report.version,
            comment="",
        )
    report = report_reopen(
        report=report,
        user=world.reviewer,
        expected_version=report.version,
        comment="数据需更正",
    )
    assert report.status == Status.RETURNED


def test_a_sibling_reviewer_and_an_outsider_cannot_act(world: World) -> None:
    report = submitted(world)
    sibling_agency = make_agency(parent=world.province, name="吉林省财政厅")
    sibling_reviewer = make_member(agency=sibling_agency, role=Membership.Role.REVIEWER)
    other_reviewer = make_member(
        agency=world.other_province, role=Membership.Role.REVIEWER
    )
    own_reviewer = make_member(agency=world.district, role=Membership.Role.REVIEWER)
    before = snapshot(report)
    for user in (
        sibling_reviewer,
        other_reviewer,
        world.outsider,
        own_reviewer,
        world.clerk,
    ):
        with pytest.raises(PermissionDenied):
            report_approve(report=report, user=user, expected_version=report.version)
    with pytest.raises(PermissionDenied):
        report_withdraw(
            report=report, user=world.reviewer, expected_version=report.version
        )
    assert snapshot(report) == before


def test_a_reviewer_who_edited_last_cannot_approve(world: World) -> None:
    report = submitted(world)
    AnnualReport.objects.filter(pk=report.pk).update(updated_by=world.reviewer)
    report.refresh_from_db()
    before = snapshot(report)
    with pytest.raises(ReportError, match="最后修改过"):
        report_approve(
            report=report, user=world.reviewer, expected_version=report.version
        )
    assert snapshot(report) == before


def test_a_stale_version_is_refused_and_says_what_happened(world: World) -> None:
    report = submitted(world)
    seen = report.version
    report_return(
        report=report, user=world.reviewer, expected_version=seen, comment="请改"
    )
    with pytest.raises(ReportError, match="已提交 → 已退回"):
        report_approve(report=report, user=world.reviewer, expected_version=seen)
    report.refresh_from_db()
    assert report.status == Status.RETURNED


def test_wrong_status_is_refused(world: World) -> None:
    report = complete(world)
    with pytest.raises(ReportError, match="不能“通过”"):
        report_approve(
            report=report, user=world.reviewer, expected_version=report.version
        )
    with pytest.raises(ReportError):
        transition_apply(
            name="withdraw",
            report=report,
            user=world.clerk,
            expected_version=report.version,
        )
    assert not report.events.exists()


def test_submit_is_refused_while_anything_is_missing(world: World) -> None:
    report = make_report(agency=world.district, values={"a1_total": "1"})
    with pytest.raises(ReportError, match="缺项"):
        report_submit(report=report, user=world.clerk, expected_version=report.version)
    report.refresh_from_db()
    assert report.status == Status.DRAFT and report.submitted_at is None


@pytest.mark.django_db(transaction=True)
def test_two_transitions_at_once_one_wins_the_other_is_told(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serialises whole transactions)")
    second = make_member(agency=world.city_bureau, role=Membership.Role.REVIEWER)
    report = submitted(world)
    seen = report.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name: str, user: object, **kwargs: object) -> None:
        barrier.wait()
        try:
            transition_apply(
                name=name,
                report=AnnualReport.objects.get(pk=report.pk),
                user=user,
                expected_version=seen,
                **kwargs,
            )
            outcomes[name] = "done"
        except ReportError as refused:
            outcomes[name] = refused.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("approve", world.reviewer)),
        threading.Thread(target=act, args=("return", second), kwargs={"comment": "退"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o == "done" for o in outcomes.values()) == [False, True]
    loser = next(o for o in outcomes.values() if o != "done")
    report.refresh_from_db()
    assert report.events.filter(from_status=Status.SUBMITTED).count() == 1
    assert report.get_status_display() in loser  # told which happened
    assert ReviewEvent.objects.filter(report=report).count() == 2
