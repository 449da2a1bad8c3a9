"""A host sends a present participant back to the lobby while the panel deliberates, and admits
them again: in between they receive nothing of the room and nobody can signal to or from them."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import VideoCallParticipant
from models.enums import ParticipantStatus
from server.context import AppContext
from tests.realtime.fixtures import ClientFactory, Office
from tests.signaling.conftest import PeerFactory, make_call
from tests.signaling.test_webrtc import connect_pair


async def status_of(ctx: AppContext, participant_id: int) -> ParticipantStatus:
    async with ctx.sessionmaker() as db:
        row = await db.scalar(select(VideoCallParticipant).where(VideoCallParticipant.id == participant_id))
        assert row is not None
        return row.status


async def test_a_participant_sent_back_to_the_lobby_loses_the_media_and_gets_it_back_when_admitted(
    peer: PeerFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    host, guest = await peer(office.admin.token), await peer(office.alice.token)
    host_id, guest_id = await connect_pair(host, guest, call.room_code)
    channel_closed = asyncio.Event()
    guest.channels[host_id].on("close", channel_closed.set)

    assert await host.client.call("host:lobby", {"participant_id": guest_id}) == {
        "ok": True,
        "request_id": None,
    }
    assert await guest.client.wait_for("lobby:returned") == [{"by": host_id, "participant_id": guest_id}]
    left = await host.client.wait_until("participant:left", lambda p: p["participant_id"] == guest_id)
    assert left == {"participant_id": guest_id, "reason": "lobby"}
    knock = await host.client.wait_until("lobby:knock", lambda k: k["participant_id"] == guest_id)
    assert knock["user_id"] == office.alice.id
    assert await status_of(ctx, guest_id) is ParticipantStatus.WAITING

    # What a client does on participant:left; the server then refuses any signaling between them.
    await host.hang_up(guest_id)
    await asyncio.wait_for(channel_closed.wait(), 10)
    assert (await host.call_peer(guest_id))["error"]["code"] == "participant_not_found"
    offer = await guest.client.call("rtc:offer", {"to": host_id, "sdp": "v=0"})
    assert offer["error"]["code"] == "not_in_room"
    assert (await host.client.call("participant:update", {"muted": True}))["ok"] is True
    await host.client.wait_for("participant:updated")
    await asyncio.sleep(0.3)
    assert guest.client.received["participant:updated"] == []
    await host.hang_up(guest_id)

    assert (await host.client.call("lobby:admit", {"participant_id": guest_id}))["ok"] is True
    [admitted] = await guest.client.wait_for("lobby:admitted")
    assert admitted["status"] == "joined"
    assert admitted["you"]["participant_id"] == guest_id
    back = await host.client.wait_until("participant:joined", lambda p: p["participant_id"] == guest_id)
    assert back["seat"] == "participant"
    assert await status_of(ctx, guest_id) is ParticipantStatus.JOINED

    await guest.hang_up(host_id)
    assert (await host.call_peer(guest_id))["ok"] is True
    await asyncio.gather(host.wait_open(guest_id), guest.wait_open(host_id))
    host.send(guest_id, "お待たせしました")
    assert await asyncio.wait_for(guest.inbox.get(), 10) == (host_id, "お待たせしました")


async def test_only_a_host_sends_back_to_the_lobby_and_a_returned_participant_cannot_rejoin_alone(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    host, alice, bob = [await connect(p.token) for p in (office.admin, office.alice, office.bob)]
    hosted = await host.call("room:join", {"room_code": call.room_code})
    alice_id = (await alice.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    bob_id = (await bob.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    host_id = hosted["you"]["participant_id"]

    refused = await bob.call("host:lobby", {"participant_id": alice_id})
    assert refused["error"]["code"] == "not_host"
    assert (await host.call("host:lobby", {"participant_id": host_id}))["error"]["code"] == "self_lobby"
    assert (await host.call("host:lobby", {"participant_id": 999_999}))["error"][
        "code"
    ] == "participant_not_found"
    assert (await host.call("host:lobby", {"participant_id": alice_id}))["ok"] is True
    await alice.wait_for("lobby:returned")
    assert (await host.call("host:lobby", {"participant_id": alice_id}))["error"][
        "code"
    ] == "participant_not_found"

    again = await alice.call("room:join", {"room_code": call.room_code})
    assert again["status"] == "lobby"
    assert again["you"]["participant_id"] == alice_id
    assert [p["participant_id"] for p in again["participants"]] == [host_id, bob_id]
    assert bob.received["lobby:returned"] == []
