"""The sweep claims an expired seat in one step and lets the participant go in another: a
participant who came back on a new socket between the two keeps their seat."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import ParticipantStatus
from server.domains.meetings.live.seats import LiveRooms
from server.domains.meetings.live.state import Standing
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import LiveServer
from tests.signaling.conftest import make_call
from tests.signaling.test_failed_commit import participants


async def test_a_participant_back_on_a_new_socket_before_their_old_seat_is_let_go_stays(
    live: LiveServer, connect: ClientFactory, office: Office, session: AsyncSession
) -> None:
    call = await make_call(session, live.ctx, office)
    key = f"video_call:{call.id}"
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    host_id = (await host.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    guest_id = (await guest.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"]
    claimed = await live.ctx.rooms.get(key, guest_id)
    assert claimed is not None

    await guest.sio.disconnect()
    back = await connect(office.alice.token)
    assert (await back.call("room:join", {"room_code": call.room_code}))["you"]["participant_id"] == guest_id
    async with live.ctx.transaction() as db:
        await LiveRooms(db, live.ctx).expire(key, claimed)

    seat = await live.ctx.rooms.get(key, guest_id)
    assert seat is not None
    assert (seat.sid, seat.standing) == (back.sio.get_sid(), Standing.JOINED)
    assert (await participants(live.ctx, call.id))[office.alice.id] is ParticipantStatus.JOINED
    assert (await back.call("rtc:ice", {"to": host_id, "candidate": None}))["ok"] is True
    assert await host.wait_for("rtc:ice") == [{"from": guest_id, "candidate": None}]
    await asyncio.sleep(0.3)
    assert [p for p in host.received["participant:left"] if p["participant_id"] == guest_id] == []
