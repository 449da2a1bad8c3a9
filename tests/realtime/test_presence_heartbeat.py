"""The presence heartbeat with a short TTL: an idle user stays online for as long as their socket
is open, a slow sweep included, and `last_seen` is when the user was last connected, never the
time a sweep removed a dead process's socket."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from datetime import datetime

import pytest

from server.presence import SocketEntry
from server.settings import Settings
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import LiveServer

TTL = 1


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, presence_ttl_seconds=TTL)


async def test_an_idle_user_stays_online_while_a_slow_sweep_runs(
    live: LiveServer, connect: ClientFactory, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sweeping what a dead process left (thousands of sockets, each announced) can take longer
    than the TTL; the renewals of the live sockets must not wait for it."""
    presence = live.ctx.presence
    claim = presence.claim_expired

    async def slow_claim() -> list[SocketEntry]:
        await asyncio.sleep(TTL * 3)
        return await claim()

    await connect(office.alice.token)
    monkeypatch.setattr(presence, "claim_expired", slow_claim)

    seen = set()
    until = time.monotonic() + TTL * 4
    while time.monotonic() < until:
        seen.add((await presence.status([office.alice.id]))[office.alice.id].status)
        await asyncio.sleep(0.05)

    assert seen == {"online"}


async def test_last_seen_of_a_dead_processs_socket_is_its_last_refresh_not_the_sweep(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    bob = await connect(office.bob.token)
    ghost = SocketEntry("ghost-sid", office.alice.id, office.company.id, "ghost-session")
    assert await live.ctx.presence.add(ghost) is True  # its process dies at once: no refresh ever
    connected_at = time.time()

    offline = await bob.wait_until(
        "presence", lambda p: p["user_id"] == office.alice.id and p["status"] == "offline", timeout=TTL * 5
    )

    swept_at = time.time()
    last_seen = datetime.fromisoformat(offline["last_seen"]).timestamp()
    assert swept_at - connected_at >= TTL
    assert abs(last_seen - connected_at) < 0.2, (last_seen, connected_at, swept_at)


async def test_last_seen_of_a_closed_socket_is_when_it_closed(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    bob = await connect(office.bob.token)
    alice = await connect(office.alice.token)
    await asyncio.sleep(TTL)
    await alice.close()
    closed_at = time.time()

    offline = await bob.wait_until(
        "presence", lambda p: p["user_id"] == office.alice.id and p["status"] == "offline", timeout=TTL * 5
    )

    assert abs(datetime.fromisoformat(offline["last_seen"]).timestamp() - closed_at) < 0.2
