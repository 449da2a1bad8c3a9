"""Presence: online, away and offline pushed to the company, and sockets of a dead process
expiring from the shared store after the TTL."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from server.presence import SocketEntry
from server.settings import Settings
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import LiveServer

TTL = 1


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, presence_ttl_seconds=TTL)


async def test_connecting_and_disconnecting_are_announced_to_the_company(
    connect: ClientFactory, office: Office
) -> None:
    bob = await connect(office.bob.token)
    alice = await connect(office.alice.token)
    [online] = [p for p in await bob.wait_for("presence", 2) if p["user_id"] == office.alice.id]
    assert online["status"] == "online"
    await alice.close()
    offline = (await bob.wait_for("presence", 3))[-1]
    assert (offline["user_id"], offline["status"]) == (office.alice.id, "offline")
    assert offline["last_seen"] is not None


async def test_a_second_socket_of_an_online_user_announces_nothing(
    connect: ClientFactory, office: Office
) -> None:
    bob = await connect(office.bob.token)
    await connect(office.alice.token)
    second = await connect(office.alice.token)
    await second.call("presence:set", {"status": "online"})
    pushes = [p for p in await bob.wait_for("presence", 3) if p["user_id"] == office.alice.id]
    assert [p["status"] for p in pushes] == ["online", "online"]


async def test_going_away_is_announced_and_shown_over_rest(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    bob = await connect(office.bob.token)
    alice = await connect(office.alice.token)
    ack = await alice.call("presence:set", {"request_id": "p", "status": "away"})
    assert ack == {"ok": True, "request_id": "p", "status": "away"}
    away = (await bob.wait_for("presence", 3))[-1]
    assert (away["user_id"], away["status"]) == (office.alice.id, "away")
    r = await http.get("/api/presence", params={"user_id": office.alice.id}, headers=office.bob.headers)
    assert [p["status"] for p in r.json()] == ["away"]


async def test_a_socket_its_process_stopped_refreshing_expires_and_its_user_goes_offline(
    live: LiveServer, connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    bob = await connect(office.bob.token)
    ghost = SocketEntry("ghost-sid", office.alice.id, office.company.id, "ghost-session")
    assert await live.ctx.presence.add(ghost) is True
    r = await http.get("/api/presence", params={"user_id": office.alice.id}, headers=office.bob.headers)
    assert [p["status"] for p in r.json()] == ["online"]
    offline = await bob.wait_until("presence", lambda p: p["user_id"] == office.alice.id, timeout=TTL * 5)
    assert offline["status"] == "offline"
    r = await http.get("/api/presence", params={"user_id": office.alice.id}, headers=office.bob.headers)
    assert [p["status"] for p in r.json()] == ["offline"]


async def test_a_live_socket_outlives_the_ttl_because_its_process_refreshes_it(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    await connect(office.alice.token)
    bob = await connect(office.bob.token)
    # Two whole TTLs: only the heartbeat keeps alice's socket in the store.
    with pytest.raises(TimeoutError):
        await bob.wait_until("presence", lambda p: p["status"] == "offline", timeout=TTL * 2)
    status = await live.ctx.presence.status([office.alice.id])
    assert status[office.alice.id].status == "online"
