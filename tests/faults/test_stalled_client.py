"""A client that stops reading its socket (a frozen tab, a dead link that still looks open) does
not slow anyone else: its pushes pile up in its own queue while every other socket keeps getting
theirs within a bound, and the Engine.IO heartbeat (`SOCKET_PING_INTERVAL_SECONDS` +
`SOCKET_PING_TIMEOUT_SECONDS`) drops it once it answers no ping: its Socket.IO session ends, its
presence entry and seat go, and nothing more is queued for it.

Known limit, not asserted: the TCP connection itself stays open for as long as the client keeps
acknowledging the kernel's zero-window probes, holding the bytes already written (up to the
socket's send buffer, ~3 MB here): uvicorn closes such a transport gracefully, which waits for a
flush that never comes, rather than aborting it."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncSession

from server.context import AppContext
from server.presence import RedisPresence
from tests.faults.conftest import TTL, ClusterFactory, eventually
from tests.faults.rawsocket import RawSocketIO
from tests.realtime.harness import RedisServer
from tests.signaling.conftest import make_call

PING_INTERVAL, PING_TIMEOUT = 2, 3
MESSAGES = 100
PER_SECOND = 10
"""Two sending sockets at 5 a second each: under the per-socket cap of 60 in 10 s."""
BODY = "遅" * 19_000
"""57 KB a message (3 bytes a character): 5.7 MB for the stalled socket, far past any kernel buffer."""


async def test_a_client_that_stopped_reading_slows_no_one_and_is_dropped(
    start_cluster: ClusterFactory, own_redis: RedisServer, session: AsyncSession, ctx: AppContext
) -> None:
    cluster = await start_cluster(
        SOCKET_PING_INTERVAL_SECONDS=str(PING_INTERVAL), SOCKET_PING_TIMEOUT_SECONDS=str(PING_TIMEOUT)
    )
    call = await make_call(session, ctx, cluster)
    senders = [await cluster.socket(cluster.a, cluster.alice) for _ in range(2)]
    bob = await cluster.socket(cluster.b, cluster.bob)
    host = await cluster.socket(cluster.b, cluster.admin)
    await host.call("room:join", {"room_code": call.room_code})

    # Bob's second socket, on the same process as his first: in his user room and the call.
    stalled = RawSocketIO(cluster.b.port)
    await asyncio.to_thread(stalled.handshake, cluster.bob.token)
    joined = await asyncio.to_thread(stalled.call, "room:join", {"room_code": call.room_code})
    assert joined["ok"] is True, joined
    redis = aioredis.from_url(own_redis.url)
    presence = RedisPresence(redis, TTL)
    assert len(await presence.sockets(cluster.bob.id)) == 2
    # From here on it reads nothing: every push to Bob is also queued for it.

    arrived: dict[str, float] = {}
    bob.sio.on("message:new", lambda message: arrived.setdefault(message["content"][:4], time.monotonic()))
    sent: dict[str, float] = {}
    backlog: list[int] = []
    for i in range(MESSAGES):
        key = f"{i:04d}"
        sent[key] = time.monotonic()
        ack = await senders[i % 2].call("message:send", {"to": cluster.bob.id, "content": key + BODY})
        assert ack["ok"] is True, ack
        backlog.append(stalled.unread_on_the_server() or 0)
        await asyncio.sleep(max(0.0, sent[key] + 1 / PER_SECOND - time.monotonic()))
    await eventually(lambda: _all_in(arrived, sent), within=5)

    latencies = sorted(arrived[key] - sent[key] for key in sent)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"delivery to the reading socket: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; "
        f"stalled socket's unsent bytes on the server up to {max(backlog)}"
    )
    assert p99 < 1.0, latencies
    if Path("/proc/net/tcp").exists():  # Linux: the stalled socket's buffer did fill up
        assert max(backlog) > 64 * 1024, backlog

    # Dropped by the heartbeat: its seat and presence entry go, Bob's other socket stays.
    waited = await eventually(
        lambda: _sockets_left(presence, cluster.bob.id, 1), within=PING_INTERVAL + PING_TIMEOUT + 10
    )
    print(f"stalled socket dropped {waited:.1f} s after the last message")
    seat = joined["you"]["participant_id"]
    await host.wait_until("participant:left", lambda p: p["participant_id"] == seat, timeout=TTL * 3)
    ack = await senders[0].call("message:send", {"to": cluster.bob.id, "content": "last"})
    assert ack["ok"] is True, ack
    await eventually(lambda: _all_in(arrived, {"last": 0.0}), within=5)
    stalled.close()
    await redis.aclose()


async def _all_in(arrived: dict[str, float], sent: dict[str, float]) -> bool:
    return arrived.keys() >= sent.keys()


async def _sockets_left(presence: RedisPresence, user_id: int, count: int) -> bool:
    return len(await presence.sockets(user_id)) == count
