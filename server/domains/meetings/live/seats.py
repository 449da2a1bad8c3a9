"""The live rooms as their callers reach them: by socket (which seat does this socket hold?),
by sweep (a member expired), and by clock (rooms whose time is over).

Socket handlers call one method each; the socket's seat comes from the shared store, so any
process can handle any event of a seated socket without local state.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, VideoCall
from models.enums import MeetingStatus, VideoCallStatus
from server import effects
from server.auth.principal import Principal
from server.domains.meetings.live import consent, mailbox, recorder
from server.domains.meetings.live.errors import NotInRoom, UnknownParticipant
from server.domains.meetings.live.service import LiveRoom
from server.domains.meetings.live.staging import StagedRoomStore
from server.domains.meetings.live.state import Member, Standing
from server.domains.meetings.rooms import Room, Rooms, call_room, load_room, meeting_room
from server.domains.meetings.windows import LATE_JOIN

if TYPE_CHECKING:
    from server.context import AppContext

GRACE_SECONDS = 10.0
"""How long a closed socket's seat waits for its participant's reconnect."""
DUE_BATCH = 200


class LiveRooms:
    def __init__(self, db: AsyncSession, ctx: AppContext, principal: Principal | None = None) -> None:
        self.db = db
        self.ctx = ctx
        self.principal = principal
        self.store = StagedRoomStore(ctx.rooms, db)
        self.ttl = float(ctx.settings.presence_ttl_seconds)

    def _live(self, room: Room) -> LiveRoom:
        return LiveRoom(self.db, self.store, room, self.ttl)

    async def _seat(self, sid: str) -> tuple[str, int]:
        seat = await self.store.seat(sid)
        if seat is None:
            raise NotInRoom()
        return seat

    async def seated(self, sid: str) -> tuple[LiveRoom, int]:
        """The room this socket sits in and its participant id there."""
        key, participant_id = await self._seat(sid)
        room = await load_room(self.db, key)
        if room is None:
            raise NotInRoom()
        return self._live(room), participant_id

    # --- socket events ---------------------------------------------------------------------

    async def join(self, sid: str, code: str, password: str | None) -> dict[str, Any]:
        assert self.principal is not None
        entry = await Rooms(self.db, self.principal).enter(code, password, self.ctx.passwords)
        seated = await self.store.seat(sid)
        if seated is not None and seated[0] != entry.room.key:
            await self.leave(sid)  # one socket, one room: joining another leaves this one
        return await self._live(entry.room).join(entry, sid)

    async def leave(self, sid: str) -> None:
        live, me = await self.seated(sid)
        member = await self.store.get(live.key, me)
        if member is not None and member.sid == sid:
            await live.depart(member)

    async def relay(self, sid: str, to: int, event: str, data: dict[str, Any]) -> None:
        """Hot path (every ICE candidate): the shared store alone decides, in one read."""
        ends = await self.store.relay_ends(sid, to)
        if ends is None:
            raise NotInRoom()
        self._deliver(ends.participant_id, ends.sender, ends.receiver, event, data)

    async def relay_as(self, key: str, me: int, to: int, event: str, data: dict[str, Any]) -> None:
        """A relay from participant `me` of room `key` (the recorder's own)."""
        sender = await self.store.get(key, me)
        receiver = await self.store.get(key, to)
        self._deliver(me, sender, receiver, event, data)

    def _deliver(
        self, me: int, sender: Member | None, receiver: Member | None, event: str, data: dict[str, Any]
    ) -> None:
        if sender is None or sender.standing is not Standing.JOINED:
            raise NotInRoom()
        if receiver is None or receiver.standing is not Standing.JOINED:
            raise UnknownParticipant()
        if recorder.is_recorder(receiver):
            mailbox.send(self.db, receiver.sid, {"event": event, "from": me, **data})
            return
        effects.push(self.db, event, {"from": me, **data}, to=receiver.sid)

    async def update(self, sid: str, changes: dict[str, Any]) -> None:
        live, me = await self.seated(sid)
        await live.update(await live.member(me), changes)

    async def admit(self, sid: str, participant_id: int) -> None:
        live, me = await self.seated(sid)
        await live.admit(me, participant_id)

    async def deny(self, sid: str, participant_id: int) -> None:
        live, me = await self.seated(sid)
        await live.deny(me, participant_id)

    async def mute(self, sid: str, participant_id: int) -> None:
        live, me = await self.seated(sid)
        await live.mute(me, participant_id)

    async def remove(self, sid: str, participant_id: int) -> None:
        live, me = await self.seated(sid)
        await live.remove(me, participant_id)

    async def to_lobby(self, sid: str, participant_id: int) -> None:
        live, me = await self.seated(sid)
        await live.to_lobby(me, participant_id)

    async def end(self, sid: str) -> None:
        live, me = await self.seated(sid)
        await live.host(me)
        await live.end(by=me)

    async def request_recording(self, sid: str) -> None:
        live, me = await self.seated(sid)
        await consent.request(live, me)

    async def answer_consent(self, sid: str, granted: bool) -> None:
        live, me = await self.seated(sid)
        await consent.answer(live, me, granted)

    async def stop_recording(self, sid: str) -> None:
        live, me = await self.seated(sid)
        await consent.stop(live, me)

    # --- the recorder (`recorder`), which has no socket --------------------------------------

    async def seat_recorder(self, key: str, recording_id: int) -> bool:
        room = await load_room(self.db, key)
        return room is not None and await recorder.seat(self._live(room), recording_id)

    async def unseat_recorder(self, key: str, recording_id: int) -> None:
        room = await load_room(self.db, key)
        if room is not None:
            await recorder.unseat(self._live(room), recording_id)

    async def recorder_lost(self, key: str, recording_id: int) -> None:
        """The recorder of `recording_id` died: if the room still records it, it stops."""
        room = await load_room(self.db, key)
        if room is not None:
            await recorder.unseat(self._live(room), recording_id)
            await consent.lost(self._live(room), recording_id)

    # --- sweeps and the clock --------------------------------------------------------------

    async def expire(self, key: str, member: Member) -> None:
        """A member the sweep claimed (its socket closed past the grace, or its process died).

        The claim and this unit of work are two steps: a participant who came back on a new
        socket in between holds the seat again, and stays."""
        current = await self.store.get(key, member.participant_id)
        if current is not None and current.sid != member.sid:
            return
        room = await load_room(self.db, key)
        if room is not None:
            await self._live(room).depart(member)

    async def close_due(self, now: datetime | None = None) -> int:
        """End rooms whose window is over, and rooms left empty past their scheduled end."""
        now = now or datetime.now(UTC)
        meetings = await self.db.scalars(
            select(Meeting)
            .where(
                Meeting.status.in_((MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)),
                Meeting.scheduled_end < now,
            )
            .order_by(Meeting.scheduled_end)
            .limit(DUE_BATCH)
        )
        calls = await self.db.scalars(
            select(VideoCall)
            .where(
                VideoCall.status.in_((VideoCallStatus.SCHEDULED, VideoCallStatus.IN_PROGRESS)),
                VideoCall.scheduled_end < now,
            )
            .order_by(VideoCall.scheduled_end)
            .limit(DUE_BATCH)
        )
        ended = 0
        for room in [*map(meeting_room, meetings), *map(call_room, calls)]:
            live = self._live(room)
            if now > room.scheduled_end + LATE_JOIN or not await live.joined_members():
                await live.end(by=None)
                ended += 1
        return ended


async def socket_closed(ctx: AppContext, sid: str) -> None:
    """Keep a closed socket's seat for the grace period; the sweep removes it unless its
    participant comes back (a new socket joining takes the seat over)."""
    seat = await ctx.rooms.seat(sid)
    if seat is None:
        return
    member = await ctx.rooms.get(*seat)
    if member is not None and member.sid == sid:
        await ctx.rooms.keep_alive([seat], min(GRACE_SECONDS, float(ctx.settings.presence_ttl_seconds)))


async def close_due_rooms(ctx: AppContext) -> int:
    """The job: end every room whose time is over."""
    async with ctx.transaction() as db:
        return await LiveRooms(db, ctx).close_due()
