"""Connecting: the access token in the `auth` payload only, and sockets that end with access."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import httpx
import jwt
import pytest
import socketio
from sqlalchemy import update

from models import RefreshToken
from server.auth.tokens import TokenSigner
from server.settings import Settings
from tests.factories import PASSWORD
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import Client, LiveServer

INVALID = "The token is invalid or has expired."
REQUIRED = "Authentication is required."
EXPIRED = "The access token has expired."


def refusal(code: str, message: str) -> dict[str, Any]:
    """What `connect_error` carries: the text as `message`, and `data: {code, message}` (which the
    JavaScript client exposes as `err.message` and `err.data`)."""
    return {"message": message, "data": {"code": code, "message": message}}


async def refused(live: LiveServer, auth: dict[str, str] | None, url: str | None = None) -> list[Any]:
    """Every `connect_error` payload the refused client received."""
    client = Client()
    errors: list[Any] = []
    client.sio.on("connect_error", errors.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.sio.connect(url or live.url, auth=auth, transports=["websocket"], wait_timeout=5)
    assert not client.sio.connected
    return errors


async def test_a_socket_without_a_token_is_refused(live: LiveServer) -> None:
    assert await refused(live, None) == [refusal("invalid_token", REQUIRED)]


async def test_a_forged_token_is_refused_as_invalid(live: LiveServer) -> None:
    assert await refused(live, {"token": "not-a-jwt"}) == [refusal("invalid_token", INVALID)]


async def test_an_expired_token_is_refused_as_expired(
    live: LiveServer, office: Office, settings: Settings
) -> None:
    session_id = jwt.decode(office.alice.token, options={"verify_signature": False})["sid"]
    expired = TokenSigner(dataclasses.replace(settings, access_token_minutes=-1)).access_token(
        office.alice.id, session_id
    )
    assert await refused(live, {"token": expired}) == [refusal("token_expired", EXPIRED)]


async def test_an_expired_token_signed_with_another_key_is_invalid_not_expired(
    live: LiveServer, office: Office, settings: Settings
) -> None:
    other = dataclasses.replace(settings, secret_key="another-secret-" + "y" * 32, access_token_minutes=-1)
    forged = TokenSigner(other).access_token(office.alice.id, "whatever")
    assert await refused(live, {"token": forged}) == [refusal("invalid_token", INVALID)]


async def test_a_token_in_the_query_string_is_ignored(live: LiveServer, office: Office) -> None:
    assert await refused(live, None, url=f"{live.url}?token={office.alice.token}") == [
        refusal("invalid_token", REQUIRED)
    ]


async def test_a_logged_out_session_cannot_connect(
    live: LiveServer, office: Office, http: httpx.AsyncClient
) -> None:
    assert (await http.post("/api/auth/logout", json={}, headers=office.alice.headers)).status_code == 204
    assert await refused(live, {"token": office.alice.token}) == [refusal("invalid_token", INVALID)]


async def test_a_valid_token_connects_into_the_users_room(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    alice = await connect(office.alice.token)
    assert alice.sio.connected
    sent = await http.post(
        "/api/messages", json={"to": office.alice.id, "content": "hi"}, headers=office.bob.headers
    )
    assert sent.status_code == 201
    [pushed] = await alice.wait_for("message:new")
    assert pushed["id"] == sent.json()["id"]


async def test_suspending_a_user_closes_their_open_socket(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    alice = await connect(office.alice.token)
    bob = await connect(office.bob.token)
    r = await http.post(f"/api/users/{office.alice.id}/suspend", headers=office.admin.headers)
    assert r.status_code == 200
    await asyncio.wait_for(alice.disconnected.wait(), 5)
    assert not alice.sio.connected
    assert bob.sio.connected


async def test_logging_out_everywhere_closes_every_socket_of_the_user(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    first = await connect(office.alice.token)
    second = await connect(office.alice.token)
    r = await http.post("/api/auth/logout", json={"all_sessions": True}, headers=office.alice.headers)
    assert r.status_code == 204
    await asyncio.wait_for(first.disconnected.wait(), 5)
    await asyncio.wait_for(second.disconnected.wait(), 5)


async def test_logging_out_one_session_closes_only_its_sockets(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    other_login = await http.post(
        "/api/auth/login", json={"email": office.alice.user.email, "password": PASSWORD}
    )
    other_session = await connect(other_login.json()["access_token"])
    this_session = await connect(office.alice.token)
    r = await http.post("/api/auth/logout", json={}, headers=office.alice.headers)
    assert r.status_code == 204
    await asyncio.wait_for(this_session.disconnected.wait(), 5)
    ack = await other_session.call("typing:start", {"to": office.bob.id})
    assert ack == {"ok": True, "request_id": None}


async def test_a_password_change_keeps_this_sessions_socket_and_closes_the_others(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    other_login = await http.post(
        "/api/auth/login", json={"email": office.alice.user.email, "password": PASSWORD}
    )
    other_session = await connect(other_login.json()["access_token"])
    this_session = await connect(office.alice.token)
    r = await http.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=office.alice.headers,
    )
    assert r.status_code == 204, r.text
    await asyncio.wait_for(other_session.disconnected.wait(), 5)
    ack = await this_session.call("typing:start", {"to": office.bob.id})
    assert ack == {"ok": True, "request_id": None}


async def test_an_event_after_the_session_ended_is_refused_and_the_socket_closed(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    assert (await alice.call("typing:start", {"to": office.bob.id}))["ok"] is True
    # End the session behind the realtime layer's back: no domain event, only a database change,
    # whose commit drops the principal the socket's events were reusing.
    async with live.ctx.transaction() as db:
        await db.execute(
            update(RefreshToken).where(RefreshToken.user_id == office.alice.id).values(is_active=False)
        )
    ack = await alice.call("typing:start", {"request_id": "t1", "to": office.bob.id})
    assert ack == {
        "ok": False,
        "request_id": "t1",
        "error": {"code": "invalid_token", "message": INVALID, "errors": []},
    }
    await asyncio.wait_for(alice.disconnected.wait(), 5)
