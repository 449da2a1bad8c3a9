"""A socket lives as long as its access token: renewed with `auth:renew {token}` before it
expires, or told `session:expired` and closed once it has."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from datetime import timedelta

import httpx
import msgspec
import pytest

from realtime.sockets import SocketIOSockets
from server.auth.tokens import TokenSigner
from server.settings import Settings
from tests.factories import PASSWORD
from tests.realtime.fixtures import ClientFactory, Office, Person
from tests.realtime.harness import LiveServer

LIFETIME = 2
"""Seconds a short-lived token is signed for (`exp` is whole seconds: it lasts 1 to 2 s)."""
Sign = Callable[[Person, float], str]


@pytest.fixture
def sign(settings: Settings) -> Sign:
    """An access token of the person's login session that lives `seconds` (negative: expired)."""

    def access_token(person: Person, seconds: float) -> str:
        signer = TokenSigner(settings)
        user_id, session_id = signer.read_access_token(person.token)
        signer.access_ttl = timedelta(seconds=seconds)
        return signer.access_token(user_id, session_id)

    return access_token


def invalid(request_id: str | None = None) -> dict[str, object]:
    return {
        "ok": False,
        "request_id": request_id,
        "error": {
            "code": "invalid_token",
            "message": "The token is not a valid access token of this socket's login session.",
            "errors": [],
        },
    }


async def test_a_socket_whose_token_expires_is_told_and_closed(
    connect: ClientFactory, office: Office, sign: Sign
) -> None:
    alice = await connect(sign(office.alice, LIFETIME))
    assert await alice.wait_for("session:expired", timeout=LIFETIME + 3) == [{"code": "token_expired"}]
    await asyncio.wait_for(alice.disconnected.wait(), 5)
    assert not alice.sio.connected


async def test_an_event_of_a_socket_past_its_expiry_is_refused_and_the_socket_closed(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    # Move the expiry the socket keeps into the past behind its timer's back: the envelope sees it.
    assert isinstance(live.ctx.sockets, SocketIOSockets)
    async with live.ctx.sockets.sio.session(alice.sio.get_sid()) as session:
        session["account"] = msgspec.structs.replace(session["account"], expires_at=time.time() - 1)
    ack = await alice.call("typing:start", {"request_id": "late", "to": office.bob.id})
    assert ack == {
        "ok": False,
        "request_id": "late",
        "error": {"code": "token_expired", "message": "The access token has expired.", "errors": []},
    }
    assert await alice.wait_for("session:expired") == [{"code": "token_expired"}]
    await asyncio.wait_for(alice.disconnected.wait(), 5)


async def test_a_renewed_socket_outlives_its_first_token(
    connect: ClientFactory, office: Office, sign: Sign
) -> None:
    alice = await connect(sign(office.alice, LIFETIME))
    ack = await alice.call("auth:renew", {"request_id": "r", "token": sign(office.alice, 60)})
    assert ack == {"ok": True, "request_id": "r", "expires_in": ack["expires_in"]}
    assert 58 <= ack["expires_in"] <= 60
    await asyncio.sleep(LIFETIME + 1)
    assert alice.sio.connected
    assert await alice.call("typing:start", {"to": office.bob.id}) == {"ok": True, "request_id": None}
    assert alice.received["session:expired"] == []


async def test_a_renewed_socket_expires_with_its_new_token(
    connect: ClientFactory, office: Office, sign: Sign
) -> None:
    alice = await connect(sign(office.alice, 60))
    assert (await alice.call("auth:renew", {"token": sign(office.alice, LIFETIME)}))["ok"] is True
    assert await alice.wait_for("session:expired", timeout=LIFETIME + 3) == [{"code": "token_expired"}]
    await asyncio.wait_for(alice.disconnected.wait(), 5)


@pytest.mark.parametrize(
    "offered",
    ["another user's", "another login session's", "an expired", "a forged", "a refresh token"],
)
async def test_renewing_with_a_token_not_of_this_session_is_refused_and_changes_nothing(
    connect: ClientFactory,
    office: Office,
    sign: Sign,
    http: httpx.AsyncClient,
    settings: Settings,
    offered: str,
) -> None:
    other_login = await http.post(
        "/api/auth/login", json={"email": office.alice.user.email, "password": PASSWORD}
    )
    forger = TokenSigner(dataclasses.replace(settings, secret_key="another-secret-" + "y" * 32))
    tokens = {
        "another user's": office.bob.token,
        "another login session's": other_login.json()["access_token"],
        "an expired": sign(office.alice, -5),
        "a forged": forger.access_token(office.alice.id, office.alice.token),
        "a refresh token": office.alice.refresh_token,
    }
    alice = await connect(sign(office.alice, LIFETIME + 1))

    ack = await alice.call("auth:renew", {"request_id": "x", "token": tokens[offered]})

    assert ack == invalid("x")
    assert alice.sio.connected
    # The socket keeps its old expiry: it still ends when its first token does.
    assert await alice.wait_for("session:expired", timeout=LIFETIME + 4) == [{"code": "token_expired"}]
    await asyncio.wait_for(alice.disconnected.wait(), 5)


async def test_a_renewal_without_a_token_names_the_field(connect: ClientFactory, office: Office) -> None:
    alice = await connect(office.alice.token)
    ack = await alice.call("auth:renew", {})
    assert ack == {
        "ok": False,
        "request_id": None,
        "error": {
            "code": "validation_error",
            "message": "The request is not valid.",
            "errors": [{"field": "token", "message": "Object missing required field `token`"}],
        },
    }
