"""Payloads the codec cannot decode: nested deeper than the decoder goes (REST answers 400 to the
same body) or no JSON at all. The sender gets a `bad_request` ack when it asked for one, without
a request id (none could be read), and nothing is logged as an error.

The packets are written by hand over a raw WebSocket: python-socketio's client would refuse to
encode them (and its JSON module is shared with the server of the same process)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import pytest

from tests.realtime.fixtures import Office
from tests.realtime.harness import LiveServer

DEPTH = 5_000


class RawSocket:
    """Engine.IO 4 / Socket.IO 5 spoken by hand: `42<id><json>` out, `43<id><json>` back; pushes
    (`42<json>`) are skipped."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 1

    async def _packet(self) -> str:
        while True:
            message = await self.ws.receive(timeout=5)
            assert message.type is aiohttp.WSMsgType.TEXT, message
            if message.data == "2":  # an Engine.IO ping
                await self.ws.send_str("3")
                continue
            return str(message.data)

    async def open(self, token: str) -> None:
        assert (await self._packet()).startswith("0")
        await self.ws.send_str("40" + json.dumps({"token": token}))
        while not (await self._packet()).startswith("40"):
            pass  # pushes (its own presence) may come first

    async def call(self, event_json: str) -> Any:
        """Send `42<id>` + the text as it is; the ack's first argument."""
        ack_id, self.next_id = self.next_id, self.next_id + 1
        await self.ws.send_str(f"42{ack_id}{event_json}")
        while True:
            packet = await self._packet()
            if packet.startswith(f"43{ack_id}["):
                return json.loads(packet[len(f"43{ack_id}") :])[0]


@pytest.fixture
async def raw(live: LiveServer, office: Office) -> AsyncIterator[RawSocket]:
    url = live.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        socket = RawSocket(ws)
        await socket.open(office.alice.token)
        yield socket


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('["message:send",{"request_id":"d","to":' + "[" * DEPTH + "]" * DEPTH + "}]", "nested too deeply"),
        ('["message:send",{"request_id":"b","to":{]}]', "not valid JSON"),
    ],
    ids=["nested 5,000 deep", "not JSON"],
)
async def test_an_undecodable_event_gets_a_bad_request_ack_and_no_traceback(
    raw: RawSocket, caplog: pytest.LogCaptureFixture, text: str, message: str
) -> None:
    ack = await raw.call(text)

    assert ack == {
        "ok": False,
        "request_id": None,
        "error": {"code": "bad_request", "message": f"The event payload is {message}.", "errors": []},
    }
    assert errors_logged(caplog) == []
    # The socket still works.
    assert (await raw.call('["presence:set",{"request_id":"p","status":"online"}]'))["ok"] is True


async def test_an_event_named_like_the_refusal_is_only_unknown(raw: RawSocket) -> None:
    ack = await raw.call('["The event payload is nested too deeply.",{"request_id":"u"}]')

    assert (ack["ok"], ack["request_id"], ack["error"]["code"]) == (False, "u", "unknown_event")


async def test_nesting_the_decoder_takes_is_a_validation_error(
    raw: RawSocket, office: Office, caplog: pytest.LogCaptureFixture
) -> None:
    deep = "[" * 500 + "]" * 500
    ack = await raw.call(f'["message:send",{{"request_id":"n","to":{office.bob.id},"content":{deep}}}]')

    assert ack["error"] == {
        "code": "validation_error",
        "message": "The request is not valid.",
        "errors": [{"field": "content", "message": "Expected `str`, got `array`"}],
    }
    assert errors_logged(caplog) == []


@pytest.mark.parametrize("text", ["{}", "[]", "[1]", '"message:send"', "null", ""], ids=repr)
async def test_an_event_packet_that_is_no_named_array_gets_a_bad_request_ack(
    raw: RawSocket, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    ack = await raw.call(text)

    assert ack["error"] == {
        "code": "bad_request",
        "message": "An event is a JSON array: its name, then its payload.",
        "errors": [],
    }
    assert errors_logged(caplog) == []


@pytest.mark.parametrize("name", ["connect", "disconnect"])
async def test_a_client_event_named_like_the_servers_own_gets_a_bad_request_ack_and_changes_nothing(
    raw: RawSocket, live: LiveServer, office: Office, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    ack = await raw.call(f'["{name}",{{"request_id":"r"}}]')

    assert ack["error"] == {
        "code": "bad_request",
        "message": f"'{name}' is the server's own event; a client cannot send it.",
        "errors": [],
    }
    assert errors_logged(caplog) == []
    # Alice is still connected and still online for the people she may message.
    assert (await raw.call('["presence:set",{"request_id":"p","status":"online"}]'))["ok"] is True
    async with httpx.AsyncClient(base_url=live.url) as http:
        seen = await http.get(
            "/api/presence",
            params={"user_id": office.alice.id},
            headers={"Authorization": f"Bearer {office.bob.token}"},
        )
    assert seen.status_code == 200, seen.text
    assert [person["status"] for person in seen.json()] == ["online"]
