"""Redis restarts empty under two running processes and their live sockets: presence, the seats
of a running call and cross-process pushes all work again within seconds, with no process
restarted and no client reconnecting (tests/realtime/test_redis_restart.py is the same with
one process)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.context import AppContext
from server.heartbeat import interval_for
from tests.faults.conftest import TTL, ClusterFactory, eventually
from tests.realtime.harness import RedisServer
from tests.signaling.conftest import make_call

RECOVERY_SECONDS = 10.0


@pytest.mark.parametrize("outage", [1.0, 4.0], ids=["down 1 s", "down 4 s"])
async def test_presence_rooms_and_pushes_recover_across_processes_after_redis_restarts_empty(
    outage: float,
    start_cluster: ClusterFactory,
    own_redis: RedisServer,
    session: AsyncSession,
    ctx: AppContext,
) -> None:
    cluster = await start_cluster()
    call = await make_call(session, ctx, cluster)
    host = await cluster.socket(cluster.b, cluster.admin)
    alice = await cluster.socket(cluster.a, cluster.alice)
    bob = await cluster.socket(cluster.b, cluster.bob)
    host_seat = (await host.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    alice_seat = (await alice.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    await asyncio.sleep(interval_for(TTL) * 1.5)  # a heartbeat at least: it restores what it last read

    own_redis.kill()
    await asyncio.sleep(outage)
    await own_redis.start()
    returned = time.monotonic()

    async with httpx.AsyncClient() as http:

        async def online_everywhere() -> bool:
            for node, person, other in (
                (cluster.b, cluster.alice, cluster.bob),
                (cluster.a, cluster.bob, cluster.alice),
            ):
                r = await http.get(
                    f"{node.url}/api/presence", params={"user_id": person.id}, headers=other.headers
                )
                if r.status_code != 200 or [p["status"] for p in r.json()] != ["online"]:
                    return False
            return True

        presence_back = await eventually(online_everywhere, RECOVERY_SECONDS)

    tries = iter(range(1_000))

    async def relays_both_ways() -> bool:
        """A relay each way is acked and arrives: an emit made before a process subscribed
        again is lost (an ephemeral signal may be), so each try sends a new one."""
        n = next(tries)
        there: dict[str, Any] = await host.call("rtc:ice", {"to": alice_seat, "candidate": {"n": n}})
        back: dict[str, Any] = await alice.call("rtc:ice", {"to": host_seat, "candidate": {"n": n}})
        if not (there["ok"] and back["ok"]):
            return False
        try:
            await alice.wait_until("rtc:ice", lambda d: d["candidate"] == {"n": n}, timeout=0.5)
            await host.wait_until("rtc:ice", lambda d: d["candidate"] == {"n": n}, timeout=0.5)
        except TimeoutError:
            return False
        return True

    rooms_back = await eventually(relays_both_ways, RECOVERY_SECONDS)
    snapshot = await bob.call("room:join", {"room_code": call.room_code})
    assert {host_seat, alice_seat} <= {p["participant_id"] for p in snapshot["participants"]}

    # Pushes cross processes both ways, a REST write's included, 2 s after Redis came back.
    await asyncio.sleep(max(0.0, 2.0 - (time.monotonic() - returned)))
    to_bob = await alice.call("message:send", {"to": cluster.bob.id, "content": "A→B 戻りました"})
    assert await bob.wait_until("message:new", lambda m: m["id"] == to_bob["message"]["id"], timeout=3)
    async with httpx.AsyncClient(base_url=cluster.b.url) as http:
        r = await http.post(
            "/api/messages",
            json={"to": cluster.alice.id, "content": "REST on B"},
            headers=cluster.bob.headers,
        )
    assert r.status_code == 201, r.text
    assert await alice.wait_until("message:new", lambda m: m["id"] == r.json()["id"], timeout=3)
    assert (
        not alice.disconnected.is_set() and not bob.disconnected.is_set() and not host.disconnected.is_set()
    )
    print(
        f"after {outage:.0f} s down: presence back in {presence_back:.1f} s, rooms in {rooms_back:.1f} s more"
    )
