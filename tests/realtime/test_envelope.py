"""The envelope's answers to bad events: every event gets an ack, and a refused one names the
fields at fault exactly as the REST API does for the same body."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.realtime.fixtures import ClientFactory, Office

MISSING = object()


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        pytest.param(
            {"to": "bob"}, [{"field": "to", "message": "Expected `int`, got `str`"}], id="to not an integer"
        ),
        pytest.param({"to": 0}, [{"field": "to", "message": "Expected `int` >= 1"}], id="to below 1"),
        pytest.param(
            {"to": MISSING},
            [{"field": "to", "message": "Object missing required field `to`"}],
            id="to missing",
        ),
        pytest.param(
            {"colour": "red"},
            [{"field": "colour", "message": "Object contains unknown field `colour`"}],
            id="unknown field",
        ),
        pytest.param(
            {"content": ""},
            [{"field": "content", "message": "Expected `str` of length >= 1"}],
            id="empty content",
        ),
    ],
)
async def test_a_validation_error_names_the_field_as_rest_does(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient, change: dict[str, Any], errors: list[Any]
) -> None:
    body = {"to": office.bob.id, "content": "hello", **change}
    body = {key: value for key, value in body.items() if value is not MISSING}
    alice = await connect(office.alice.token)

    ack = await alice.call("message:send", {"request_id": "v", **body})
    rest = await http.post("/api/messages", json=body, headers=office.alice.headers)

    assert ack == {
        "ok": False,
        "request_id": "v",
        "error": {"code": "validation_error", "message": "The request is not valid.", "errors": errors},
    }
    assert rest.status_code == 422
    assert rest.json()["errors"] == errors


async def test_a_refusal_that_names_no_field_carries_empty_errors(
    connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    ack = await alice.call("message:read", {"request_id": 3, "message_id": 123_456})
    assert ack == {
        "ok": False,
        "request_id": 3,
        "error": {"code": "not_found", "message": "Message 123456 was not found.", "errors": []},
    }


async def test_an_unknown_event_gets_an_error_ack(connect: ClientFactory, office: Office) -> None:
    alice = await connect(office.alice.token)
    ack = await alice.call("message:shout", {"request_id": "u-1", "to": office.bob.id}, timeout=2)
    assert ack == {
        "ok": False,
        "request_id": "u-1",
        "error": {"code": "unknown_event", "message": "There is no event 'message:shout'.", "errors": []},
    }
    assert (await alice.call("typing:start", {"to": office.bob.id}))["ok"] is True


async def test_an_unknown_event_without_a_payload_gets_an_error_ack(
    connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    ack = await alice.call("nothing:here", timeout=2)
    assert ack == {
        "ok": False,
        "request_id": None,
        "error": {"code": "unknown_event", "message": "There is no event 'nothing:here'.", "errors": []},
    }


async def test_an_event_with_two_arguments_gets_an_error_ack_and_does_nothing(
    connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    # The Python client sends a tuple as several arguments, as `socket.emit(name, a, b, ack)` does in JS.
    ack = await alice.call(
        "message:send", ({"request_id": "two", "to": office.bob.id, "content": "x"}, {}), timeout=2
    )
    assert ack == {
        "ok": False,
        "request_id": "two",
        "error": {
            "code": "bad_request",
            "message": "An event carries one payload object; put every field in it.",
            "errors": [],
        },
    }
    sent = await alice.call("message:send", {"to": office.bob.id, "content": "one argument"})
    assert [m["content"] for m in await bob.wait_for("message:new")] == ["one argument"]
    assert sent["ok"] is True


async def test_a_payload_that_is_no_object_names_no_field(connect: ClientFactory, office: Office) -> None:
    alice = await connect(office.alice.token)
    acks = await asyncio.gather(
        alice.call("typing:start", ["to", office.bob.id]), alice.call("typing:start", "bob")
    )
    assert (
        acks
        == [
            {
                "ok": False,
                "request_id": None,
                "error": {
                    "code": "bad_request",
                    "message": "The event payload must be a JSON object.",
                    "errors": [],
                },
            }
        ]
        * 2
    )
