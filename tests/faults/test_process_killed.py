"""One of two processes is killed (SIGKILL, nothing cleaned up) in the middle of a conversation
and of a call: no message whose send was acked is lost, the dead process's participants leave
the call within the grace period as seen from the other process, and its clients, once they
reconnect to the survivor, are served there and fetch what they missed."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import httpx
import socketio.exceptions
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Message
from server.context import AppContext
from tests.faults.conftest import TTL, ClusterFactory, eventually
from tests.realtime.fixtures import Cluster
from tests.realtime.harness import Client
from tests.signaling.conftest import make_call

PACE = 0.04
"""Seconds between one sender's messages: 25 a second, under the cap of 60 in 10 s per socket
for the ~2 s a sender runs."""


async def keep_sending(client: Client, to: int, label: str, acked: list[dict[str, Any]]) -> None:
    """Send until cancelled or the socket dies; keep every message that was acked `ok`."""
    for i in range(10_000):
        try:
            ack = await client.call(
                "message:send",
                {"to": to, "content": f"{label} {i}", "client_nonce": f"{label}-{i}"},
                timeout=2,
            )
        except (socketio.exceptions.SocketIOError, TimeoutError):
            return  # the process under it died: this send got no ack, so no promise was made
        if ack["ok"]:
            acked.append(ack["message"])
        await asyncio.sleep(PACE)


async def keep_relaying(client: Client, to: str) -> None:
    with contextlib.suppress(socketio.exceptions.SocketIOError, TimeoutError):
        while True:
            await client.call("rtc:ice", {"to": to, "candidate": None}, timeout=2)
            await asyncio.sleep(PACE)


async def since(cluster: Cluster, token: str, cursor: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    async with httpx.AsyncClient(base_url=cluster.b.url) as http:
        while True:
            r = await http.get(
                "/api/messages/since",
                params={"cursor": cursor, "limit": 100},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert r.status_code == 200, r.text
            found += r.json()["items"]
            if r.json()["next_cursor"] is None:
                return found
            cursor = r.json()["next_cursor"]


async def test_a_killed_process_loses_no_acked_message_and_its_clients_move_to_the_survivor(
    start_cluster: ClusterFactory, session: AsyncSession, ctx: AppContext
) -> None:
    cluster = await start_cluster()
    call = await make_call(session, ctx, cluster)
    host = await cluster.socket(cluster.b, cluster.admin)
    bob = await cluster.socket(cluster.b, cluster.bob)
    alice = await cluster.socket(cluster.a, cluster.alice)  # on the process about to die
    host_seat = (await host.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    alice_seat = (await alice.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]

    from_alice: list[dict[str, Any]] = []
    from_bob: list[dict[str, Any]] = []
    running = [
        asyncio.create_task(keep_sending(alice, cluster.bob.id, "alice", from_alice)),
        asyncio.create_task(keep_sending(bob, cluster.alice.id, "bob", from_bob)),
        asyncio.create_task(keep_relaying(alice, host_seat)),
        asyncio.create_task(keep_relaying(host, alice_seat)),
    ]
    await eventually(lambda: _both_sent(from_alice, from_bob), within=10)
    cluster.a.kill()  # SIGKILL: no graceful stop, no disconnect handlers, no cleanup
    killed = time.monotonic()
    await asyncio.wait_for(alice.disconnected.wait(), 10)
    await asyncio.sleep(0.5)  # Bob keeps writing to Alice while she has no process
    for task in running:
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)

    # Within the grace period, the survivor sees Alice's seat go and hands the call to who is left.
    left = await host.wait_until(
        "participant:left", lambda p: p["participant_id"] == alice_seat, timeout=TTL * 3
    )
    gone_after = host.arrival("participant:left", left) - killed
    assert left["reason"] == "left"
    assert gone_after < TTL * 3
    rejoin = await host.call("room:join", {"room_code": call.room_code})
    assert [p["participant_id"] for p in rejoin["participants"]] == [host_seat]

    # Every acked message is in the database...
    acked = from_alice + from_bob
    async with ctx.sessionmaker() as db:
        stored = set(await db.scalars(select(Message.id).where(Message.id.in_([m["id"] for m in acked]))))
    assert stored == {m["id"] for m in acked}
    # ...and Bob, on the survivor, was pushed or can fetch each one Alice sent.
    pushed = {m["id"] for m in bob.received["message:new"]}
    fetchable = {m["id"] for m in await since(cluster, cluster.bob.token, 0)}
    assert {m["id"] for m in from_alice} <= pushed | fetchable

    # Alice reconnects; the survivor serves her: what she missed, the call, new messages.
    seen = [m["id"] for m in alice.received["message:new"]]
    again = await cluster.socket(cluster.b, cluster.alice)
    missed = await since(cluster, cluster.alice.token, max(seen, default=0))
    assert {m["id"] for m in from_bob} <= set(seen) | {m["id"] for m in missed}
    seat = await again.call("room:join", {"room_code": call.room_code})
    assert seat["status"] == "joined", seat
    new_seat = seat["you"]["participant_id"]
    assert (await host.call("rtc:ice", {"to": new_seat, "candidate": {"n": 1}}))["ok"] is True
    assert (await again.wait_until("rtc:ice", lambda d: d["candidate"] == {"n": 1}))["from"] == host_seat
    sent = await bob.call("message:send", {"to": cluster.alice.id, "content": "おかえり"})
    assert (await again.wait_until("message:new", lambda m: m["content"] == "おかえり"))["id"] == sent[
        "message"
    ]["id"]
    print(
        f"acked before/after the kill: {len(from_alice)} from Alice, {len(from_bob)} from Bob; "
        f"seat gone {gone_after:.1f} s after the kill (TTL {TTL} s)"
    )


async def _both_sent(*acked: list[dict[str, Any]]) -> bool:
    """Mid-conversation: each side has had a few messages acked and keeps sending."""
    return all(len(found) >= 5 for found in acked)
