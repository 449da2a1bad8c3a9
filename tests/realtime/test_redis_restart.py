"""Redis restarts empty under live sockets: the heartbeats put back what their process owns
(presence, seats in a running call), and the Socket.IO manager subscribes again, so within
seconds everything works as before without any client reconnecting.

The test owns its Redis server (killed and started again on the same port, nothing saved)."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import socketio
from sqlalchemy.ext.asyncio import AsyncSession

from realtime.server import pubsub_channel
from server.context import AppContext
from server.heartbeat import interval_for
from server.settings import Settings
from server.sockets import user_room
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import RedisServer
from tests.signaling.conftest import make_call

TTL = 3
RECOVERY_SECONDS = 15.0
"""Presence and seats are back within this long after Redis is (a heartbeat every TTL/4)."""


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[RedisServer]:
    server = RedisServer(tmp_path)
    await server.start()
    yield server
    server.kill()


@pytest.fixture
def settings(settings: Settings, own_redis: RedisServer) -> Settings:
    return dataclasses.replace(settings, redis_url=own_redis.url, presence_ttl_seconds=TTL)


async def eventually(check: Callable[[], Awaitable[bool]], within: float = RECOVERY_SECONDS) -> float:
    """Seconds until `check()` held; fails after `within`."""
    started = time.monotonic()
    while not await check():
        assert time.monotonic() - started < within, "did not recover in time"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


@pytest.mark.parametrize("outage", [1.0, 4.0], ids=["down 1 s", "down 4 s"])
async def test_presence_calls_and_pushes_recover_after_redis_restarts_empty(
    outage: float,
    own_redis: RedisServer,
    connect: ClientFactory,
    office: Office,
    http: httpx.AsyncClient,
    session: AsyncSession,
    ctx: AppContext,
) -> None:
    call = await make_call(session, ctx, office)
    host, alice = await connect(office.admin.token), await connect(office.alice.token)
    await host.call("room:join", {"room_code": call.room_code})
    alice_seat = (await alice.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    assert (await host.call("rtc:ice", {"to": alice_seat, "candidate": None}))["ok"] is True
    # The call runs for a heartbeat at least: what a heartbeat restores is what it last read.
    await asyncio.sleep(interval_for(TTL) * 1.5)

    own_redis.kill()
    await asyncio.sleep(outage)
    await own_redis.start()
    returned = time.monotonic()

    async def alice_online() -> bool:
        r = await http.get("/api/presence", params={"user_id": office.alice.id}, headers=office.bob.headers)
        return r.status_code == 200 and [p["status"] for p in r.json()] == ["online"]

    async def relay_works() -> bool:
        ack: dict[str, Any] = await host.call("rtc:ice", {"to": alice_seat, "candidate": {"n": "again"}})
        return ack["ok"] is True

    await eventually(alice_online)
    await eventually(relay_works)
    assert (await alice.wait_until("rtc:ice", lambda d: d["candidate"] == {"n": "again"}))[
        "from"
    ] != alice_seat

    # A push from another process, 2 s after Redis came back: this app's subscriber must be back.
    await asyncio.sleep(max(0.0, 2.0 - (time.monotonic() - returned)))
    emitter = socketio.AsyncRedisManager(
        own_redis.url, channel=pubsub_channel(own_redis.url), write_only=True
    )
    await emitter.emit("notification:new", {"title": "戻りました"}, room=user_room(office.alice.id))
    pushed = await alice.wait_until("notification:new", lambda d: d["title"] == "戻りました", timeout=3)
    assert pushed == {"title": "戻りました"}
