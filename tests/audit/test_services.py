"""audit.services: the address, the acting user, and events never change."""

import pytest
from django.test import RequestFactory

from audit.models import AuditEvent
from audit.services import (
    Kind,
    audit_record,
    client_address,
    current_request,
    serving,
)
from tests.conftest import World


def test_the_address_is_remote_addr() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    assert client_address(request) == "10.1.2.3"
    assert client_address(None) is None


def test_a_forwarded_address_counts_only_behind_the_configured_proxy(
    settings: object,
) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7"
    )
    assert client_address(request) == "10.0.0.1"  # not trusted by default
    settings.NIANBAO_PROXY_ADDRESS_HEADER = "X-Forwarded-For"  # type: ignore[attr-defined]
    # The last address is the one the trusted proxy added; the first is forgeable.
    assert client_address(request) == "192.0.2.7"


def test_a_malformed_address_is_left_blank() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")
    assert client_address(request) is None


def test_services_without_a_request_use_the_one_being_served(world: World) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    request.user = world.reviewer
    assert current_request() is None
    with serving(request):
        assert current_request() is request
        event = audit_record(
            kind=Kind.REVIEW, report=None, agency=world.district, summary="测试"
        )
    assert current_request() is None
    event.refresh_from_db()
    assert (event.user, event.username) == (world.reviewer, "reviewer")
    assert event.address == "198.51.100.4"
    assert (event.agency, event.agency_path) == (world.district, world.district.path)
    assert event.agency_name == "吉林市统计局龙潭分局"


def test_without_a_request_there_is_no_user_and_no_address(world: World) -> None:
    event = audit_record(kind=Kind.AGENCY, agency=world.province, summary="测试")
    assert (event.user, event.username, event.address) == (None, "", None)


def test_an_event_is_never_changed(world: World) -> None:
    event = audit_record(kind=Kind.AGENCY, agency=world.province, summary="测试")
    event.summary = "改过"
    with pytest.raises(ValueError, match="不能修改"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).summary == "测试"
