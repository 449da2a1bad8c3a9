"""A room event whose commit fails changes nothing: not the database, not the shared room
state, not any socket's rooms, and nobody is told anything."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from models import VideoCallParticipant
from models.enums import ParticipantStatus
from server.context import AppContext
from server.domains.meetings.live.state import Standing
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import Client, LiveServer
from tests.signaling.conftest import make_call

PARTICIPANTS = (VideoCallParticipant,)


@contextmanager
def failing_commits() -> Iterator[None]:
    """Every commit that would write a participant row fails, as a lost database would."""

    def fail(session: Session) -> None:
        if any(isinstance(row, PARTICIPANTS) for row in (*session.new, *session.dirty)):
            raise OperationalError("COMMIT", {}, Exception("the database went away"))

    event.listen(Session, "before_commit", fail)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", fail)


async def participants(ctx: AppContext, call_id: int) -> dict[int, ParticipantStatus]:
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(VideoCallParticipant).where(VideoCallParticipant.video_call_id == call_id)
        )
        return {row.user_id: row.status for row in rows}


async def members(live: LiveServer, call_id: int) -> dict[int, Standing]:
    return {m.user_id: m.standing for m in await live.ctx.rooms.members(f"video_call:{call_id}")}


async def hears_the_room(host: Client, other: Client) -> bool:
    """Whether `other` receives a broadcast the host causes in the room."""
    before, mine = len(other.received["participant:updated"]), len(host.received["participant:updated"])
    assert (await host.call("participant:update", {"quality": "good"}))["ok"] is True
    await host.wait_for("participant:updated", count=mine + 1)
    await asyncio.sleep(0.3)
    return len(other.received["participant:updated"]) > before


def refused(ack: dict[str, Any]) -> None:
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == "internal_error"


async def test_a_join_whose_commit_fails_leaves_no_trace(
    live: LiveServer, connect: ClientFactory, office: Office, session: AsyncSession
) -> None:
    call = await make_call(session, live.ctx, office)
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    assert (await host.call("room:join", {"room_code": call.room_code}))["status"] == "joined"
    with failing_commits():
        refused(await guest.call("room:join", {"room_code": call.room_code}))
    assert await participants(live.ctx, call.id) == {office.admin.id: ParticipantStatus.JOINED}
    assert await members(live, call.id) == {office.admin.id: Standing.JOINED}
    assert await live.ctx.rooms.seat(guest.sio.get_sid()) is None
    assert not await hears_the_room(host, guest)
    assert host.received["participant:joined"] == []
    assert (await guest.call("rtc:ice", {"to": 1, "candidate": None}))["error"]["code"] == "not_in_room"


async def test_an_admit_whose_commit_fails_keeps_the_knock_in_the_lobby(
    live: LiveServer, connect: ClientFactory, office: Office, session: AsyncSession
) -> None:
    call = await make_call(session, live.ctx, office, waiting_room=True)
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    await host.call("room:join", {"room_code": call.room_code})
    knocked = await guest.call("room:join", {"room_code": call.room_code})
    assert knocked["status"] == "lobby"
    await host.wait_for("lobby:knock")
    with failing_commits():
        refused(await host.call("lobby:admit", {"participant_id": knocked["you"]["participant_id"]}))
    assert (await participants(live.ctx, call.id))[office.alice.id] is ParticipantStatus.WAITING
    assert await members(live, call.id) == {office.admin.id: Standing.JOINED, office.alice.id: Standing.LOBBY}
    assert not await hears_the_room(host, guest)
    assert guest.received["lobby:admitted"] == []
    assert host.received["participant:joined"] == []


async def test_a_leave_whose_commit_fails_keeps_the_seat(
    live: LiveServer, connect: ClientFactory, office: Office, session: AsyncSession
) -> None:
    call = await make_call(session, live.ctx, office)
    host, guest = await connect(office.admin.token), await connect(office.alice.token)
    await host.call("room:join", {"room_code": call.room_code})
    await guest.call("room:join", {"room_code": call.room_code})
    await host.wait_for("participant:joined")
    with failing_commits():
        refused(await guest.call("room:leave", {}))
    assert await participants(live.ctx, call.id) == {
        office.admin.id: ParticipantStatus.JOINED,
        office.alice.id: ParticipantStatus.JOINED,
    }
    assert await members(live, call.id) == {
        office.admin.id: Standing.JOINED,
        office.alice.id: Standing.JOINED,
    }
    assert await hears_the_room(host, guest)
    assert host.received["participant:left"] == []
