"""Rooms across two server processes sharing one Redis."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from server.context import AppContext
from tests.realtime.fixtures import CLUSTER_TTL, Cluster
from tests.realtime.harness import Client
from tests.signaling.conftest import make_call
from tests.signaling.peer import Peer
from tests.signaling.test_webrtc import connect_pair


async def test_two_peers_on_two_processes_open_a_data_channel(
    cluster: Cluster, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, cluster)
    host = Peer(await cluster.socket(cluster.a, cluster.admin))
    guest = Peer(await cluster.socket(cluster.b, cluster.alice))
    try:
        host_id, guest_id = await connect_pair(host, guest, call.room_code)
        host.send(guest_id, "プロセスを越えて")
        assert await asyncio.wait_for(guest.inbox.get(), 10) == (host_id, "プロセスを越えて")
    finally:
        for side in (host, guest):
            for pc in side.connections.values():
                await pc.close()


async def test_a_killed_processs_participants_leave_the_room_within_the_grace_period(
    cluster: Cluster, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, cluster)
    host = await cluster.socket(cluster.b, cluster.admin)
    doomed = await cluster.socket(cluster.a, cluster.alice)
    await host.call("room:join", {"room_code": call.room_code})
    doomed_id = (await doomed.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    cluster.a.kill()
    left = await host.wait_until(
        "participant:left", lambda p: p["participant_id"] == doomed_id, timeout=CLUSTER_TTL * 3
    )
    assert left["reason"] == "left"
    ack = await host.call("room:join", {"room_code": call.room_code})
    assert [p["participant_id"] for p in ack["participants"]] == [ack["you"]["participant_id"]]


async def test_a_participant_who_reconnects_within_the_grace_period_keeps_their_seat(
    cluster: Cluster, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, cluster)
    host = await cluster.socket(cluster.b, cluster.admin)
    await host.call("room:join", {"room_code": call.room_code})
    first = await cluster.socket(cluster.a, cluster.alice)
    seat = (await first.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    await first.close()
    again: Client = await cluster.socket(cluster.b, cluster.alice)
    ack = await again.call("room:join", {"room_code": call.room_code})
    assert (ack["status"], ack["you"]["participant_id"]) == ("joined", seat)
    await asyncio.sleep(CLUSTER_TTL * 1.5)  # past the grace period: the seat must still be there
    assert host.received["participant:left"] == []
