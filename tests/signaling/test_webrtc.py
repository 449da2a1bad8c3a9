"""Real WebRTC: two aiortc peers connect through the signaling and talk over a data channel."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from server.context import AppContext
from tests.realtime.fixtures import Office
from tests.signaling.conftest import PeerFactory, make_call
from tests.signaling.peer import Peer


async def connect_pair(host: Peer, guest: Peer, room_code: str) -> tuple[int, int]:
    """Host joins, guest joins, the host calls the guest: answers both participant ids."""
    hosted = await host.join(room_code)
    assert hosted["status"] == "joined", hosted
    joined = await guest.join(room_code)
    assert joined["status"] == "joined", joined
    [arrival] = await host.client.wait_for("participant:joined")
    host_id, guest_id = hosted["you"]["participant_id"], joined["you"]["participant_id"]
    assert arrival["participant_id"] == guest_id
    offered = await host.call_peer(guest_id)
    assert offered == {"ok": True, "request_id": None}
    await asyncio.gather(host.wait_open(guest_id), guest.wait_open(host_id))
    return host_id, guest_id


async def test_two_peers_open_a_data_channel_through_the_signaling(
    peer: PeerFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office)
    host, guest = await peer(office.admin.token), await peer(office.alice.token)
    host_id, guest_id = await connect_pair(host, guest, call.room_code)
    host.send(guest_id, "こんにちは")
    assert await asyncio.wait_for(guest.inbox.get(), 10) == (host_id, "こんにちは")
    guest.send(host_id, "はじめまして")
    assert await asyncio.wait_for(host.inbox.get(), 10) == (guest_id, "はじめまして")
    # The SDPs carried no candidates: every one travelled as rtc:ice, ending with null.
    for side in (host, guest):
        assert side.candidates_received[-1] is None
        assert any("127.0.0.1" in c["candidate"] for c in side.candidates_received[:-1] if c)
