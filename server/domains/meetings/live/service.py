"""The live room's state machine: join, lobby, leave, grace, host hand-over and host controls.

One owner for both room kinds (meetings and video calls), used by the socket handlers, the
sweeper, interviews and the recorder. State lives in the shared room store, seen through this
transaction's `StagedRoomStore`; the database keeps what must outlast a room (`records`).
Every push, Socket.IO room change and shared-store write is an effect, applied after the
commit. The rules:

- Hosts enter directly. Others wait in the lobby when the room has a waiting room, when no
  host is present yet (early arrivals), or when a host removed them before; a host admits or
  denies each knock. A host may send a present participant back to the lobby (`to_lobby`);
  admitting them brings them back without a new join.
- Relays (`rtc:*`) go to one named participant who has joined the same room, nothing else
  (`seats.LiveRooms.relay`).
- When the last host leaves, the participant present longest becomes host.
- A room ends when a host ends it, when its time window is over, or when its last participant
  leaves after its scheduled end; one left empty before its end waits for people to come back.
- Recording consent: see `consent`.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Literal

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import ParticipantStatus, RecordingStatus
from server import effects
from server.domains.meetings.live import consent, pushes, recorder, records
from server.domains.meetings.live.errors import NotInRoom, UnknownParticipant
from server.domains.meetings.live.staging import StagedRoomStore
from server.domains.meetings.live.state import Member, Standing
from server.domains.meetings.rooms import Entry, Room, Seat
from server.errors import Conflict, Forbidden


def channel(room_key: str) -> str:
    """The Socket.IO room of a room's present participants."""
    return f"room:{room_key}"


def public(member: Member) -> pushes.Participant:
    return pushes.Participant(
        participant_id=member.participant_id,
        user_id=member.user_id or None,
        display_name=member.display_name,
        seat=Seat(member.seat),
        role=member.role,
        muted=member.muted,
        video=member.video,
        screen=member.screen,
        quality=member.quality,
    )


def knock(member: Member) -> pushes.Knock:
    return pushes.Knock(
        participant_id=member.participant_id, user_id=member.user_id, display_name=member.display_name
    )


class LiveRoom:
    """One room's transitions inside one transaction."""

    def __init__(self, db: AsyncSession, store: StagedRoomStore, room: Room, ttl: float) -> None:
        self.db = db
        self.store = store
        self.room = room
        self.key = room.key
        self.channel = channel(room.key)
        self.ttl = ttl

    def push(self, event: str, data: Any, to: str | list[str], skip_sid: str | None = None) -> None:
        effects.push(self.db, event, data, to, skip_sid)

    async def joined_members(self) -> list[Member]:
        """Present participants (people: not the recorder), longest present first."""
        return [m for m in await self.present() if not recorder.is_recorder(m)]

    async def present(self) -> list[Member]:
        """Everyone present, the recorder included, longest present first."""
        members = [m for m in await self.store.members(self.key) if m.standing is Standing.JOINED]
        return sorted(members, key=lambda m: (m.since, m.participant_id))

    async def snapshot(self, you: Member, status: Literal["joined", "lobby"]) -> pushes.RoomSnapshot:
        recording = await self.store.recording(self.key)
        return pushes.RoomSnapshot(
            status=status,
            room=pushes.RoomInfo(
                kind=self.room.kind, code=self.room.code, title=self.room.title, recording=recording.status
            ),
            participants=[public(m) for m in await self.present()],
            you=pushes.You(
                participant_id=you.participant_id,
                seat=Seat(you.seat),
                role=you.role,
                can_record=you.can_record,
            ),
        )

    async def answer(self, you: Member, status: Literal["joined", "lobby"]) -> dict[str, Any]:
        """The `room:join` ack's fields."""
        return msgspec.structs.asdict(await self.snapshot(you, status))

    # --- entering --------------------------------------------------------------------------

    async def join(self, entry: Entry, sid: str) -> dict[str, Any]:
        members = await self.store.members(self.key)
        joined = [m for m in members if m.standing is Standing.JOINED and not recorder.is_recorder(m)]
        previous = next((m for m in members if m.participant_id == entry.participant_id), None)
        host = entry.seat is Seat.HOST
        back = previous is not None and previous.standing is Standing.JOINED
        if not host and not back and self.room.max_participants and len(joined) >= self.room.max_participants:
            raise Conflict("The room is full.", code="room_full")
        banned = await self.store.is_banned(self.key, entry.user_id)
        host_present = any(m.seat == Seat.HOST for m in joined if m.participant_id != entry.participant_id)
        returned = previous is not None and previous.standing is Standing.LOBBY and previous.waiting_for_host
        waiting_for_host = (
            not host and not back and (banned or returned or self.room.lobby or not host_present)
        )
        recording = await self.store.recording(self.key)
        waiting_for_consent = (
            recording.status == RecordingStatus.RECORDING
            and self.room.recording_consent_required
            and recording.consents.get(entry.participant_id) is not True
        )
        member = Member(
            participant_id=entry.participant_id,
            user_id=entry.user_id,
            display_name=entry.display_name,
            sid=sid,
            seat=previous.seat if back and previous else entry.seat,
            role=entry.role,
            standing=Standing.LOBBY if waiting_for_host or waiting_for_consent else Standing.JOINED,
            can_record=entry.can_record,
            since=previous.since if previous else time.time(),
            waiting_for_host=waiting_for_host,
            waiting_for_consent=waiting_for_consent,
        )
        await self.store.put(self.key, member, self.ttl)
        if member.standing is Standing.JOINED:
            await self._seat(member)
            if member.seat == Seat.HOST:
                for waiting in members:
                    if waiting.standing is Standing.LOBBY and waiting.waiting_for_host:
                        self.push("lobby:knock", knock(waiting), to=sid)
            return await self.answer(member, "joined")
        await records.waiting(self.db, self.room, member.participant_id)
        if waiting_for_consent:
            self.push(
                "recording:consent-request",
                pushes.ConsentRequest(requested_by=recording.requested_by),
                to=sid,
            )
        if waiting_for_host:
            self._knock_hosts(member, joined)
        return await self.answer(member, "lobby")

    async def _seat(self, member: Member) -> None:
        """Make a member a present participant: their socket joins the channel, the others hear."""
        effects.enter_room(self.db, member.sid, self.channel)
        await records.joined(self.db, self.room, member.participant_id)
        self.push("participant:joined", public(member), to=self.channel, skip_sid=member.sid)

    def _knock_hosts(self, member: Member, joined: list[Member]) -> None:
        hosts = [m.sid for m in joined if m.seat == Seat.HOST]
        if hosts:
            self.push("lobby:knock", knock(member), to=hosts)

    async def host(self, participant_id: int) -> Member:
        """The member, who must be a present host."""
        me = await self.member(participant_id)
        if me.seat != Seat.HOST:
            raise Forbidden("Only a host may do this.", code="not_host")
        return me

    async def member(self, participant_id: int) -> Member:
        """The member, who must be present (not waiting in the lobby)."""
        me = await self.store.get(self.key, participant_id)
        if me is None or me.standing is not Standing.JOINED:
            raise NotInRoom()
        return me

    async def target(self, participant_id: int, standing: Standing) -> Member:
        found = await self.store.get(self.key, participant_id)
        if found is None or found.standing is not standing:
            raise UnknownParticipant()
        return found

    async def admit(self, host_id: int, participant_id: int) -> None:
        await self.host(host_id)
        waiting = await self.target(participant_id, Standing.LOBBY)
        await self.store.ban(self.key, waiting.user_id, False)
        waiting.waiting_for_host = False
        await self.admit_if_ready(waiting)

    async def admit_if_ready(self, waiting: Member) -> None:
        if waiting.waiting_for_host or waiting.waiting_for_consent:
            await self.store.put(self.key, waiting, self.ttl)
            return
        waiting.standing = Standing.JOINED
        await self.store.put(self.key, waiting, self.ttl)
        await self._seat(waiting)
        self.push("lobby:admitted", await self.snapshot(waiting, "joined"), to=waiting.sid)

    async def deny(self, host_id: int, participant_id: int) -> None:
        await self.host(host_id)
        waiting = await self.target(participant_id, Standing.LOBBY)
        await self.store.drop(self.key, participant_id)
        await records.left(self.db, self.room, participant_id, ParticipantStatus.DECLINED)
        self.push("lobby:denied", pushes.LobbyDenied(reason="host"), to=waiting.sid)

    # --- while in the room -----------------------------------------------------------------

    async def update(self, member: Member, changes: dict[str, Any], by: int | None = None) -> None:
        for name, value in changes.items():
            setattr(member, name, value)
        await self.store.put(self.key, member, self.ttl)
        await records.media(self.db, self.room, member)
        updated = pushes.ParticipantUpdated(**msgspec.structs.asdict(public(member)), by=by)
        self.push("participant:updated", updated, to=self.channel)

    async def mute(self, host_id: int, participant_id: int) -> None:
        await self.host(host_id)
        await self.update(await self.target(participant_id, Standing.JOINED), {"muted": True}, by=host_id)

    async def remove(self, host_id: int, participant_id: int) -> None:
        await self.host(host_id)
        if participant_id == host_id:
            raise Conflict("Leave the room instead of removing yourself.", code="self_removal")
        removed = await self.store.get(self.key, participant_id)
        if removed is None:
            raise UnknownParticipant()
        await self.store.ban(self.key, removed.user_id, True)
        self.push("removed", pushes.Removed(by=host_id), to=removed.sid)
        await self.depart(removed, ParticipantStatus.REMOVED)

    async def to_lobby(self, host_id: int, participant_id: int) -> None:
        """Send a present participant back to the lobby: they see and hear nothing of the room
        (their socket leaves the channel and nobody may relay to them) until a host admits them."""
        await self.host(host_id)
        if participant_id == host_id:
            raise Conflict("A host cannot send themselves to the lobby.", code="self_lobby")
        returned = await self.target(participant_id, Standing.JOINED)
        returned.standing = Standing.LOBBY
        returned.waiting_for_host = True
        await self.store.put(self.key, returned, self.ttl)
        effects.leave_room(self.db, returned.sid, self.channel)
        await records.left(self.db, self.room, participant_id, ParticipantStatus.WAITING)
        self.push(
            "lobby:returned", pushes.LobbyReturned(by=host_id, participant_id=participant_id), to=returned.sid
        )
        left = pushes.ParticipantLeft(participant_id=participant_id, reason="lobby")
        self.push("participant:left", left, to=self.channel, skip_sid=returned.sid)
        remaining = await self.joined_members()
        self._knock_hosts(returned, remaining)
        await consent.settle(self, remaining)

    # --- leaving and ending ----------------------------------------------------------------

    async def depart(self, member: Member, status: ParticipantStatus = ParticipantStatus.LEFT) -> None:
        """A member is gone (left, removed, or expired): pass the host seat on; end a room left
        empty after its scheduled end. The recorder just leaves (`recorder`)."""
        if recorder.is_recorder(member):
            await self.store.drop(self.key, member.participant_id)
            left = pushes.ParticipantLeft(participant_id=member.participant_id, reason="left")
            self.push("participant:left", left, to=self.channel)
            return
        await self.store.drop(self.key, member.participant_id, member.sid)
        await records.left(self.db, self.room, member.participant_id, status)
        if member.standing is not Standing.JOINED:
            return
        effects.leave_room(self.db, member.sid, self.channel)
        reason: Literal["removed", "left"] = "removed" if status is ParticipantStatus.REMOVED else "left"
        self.push(
            "participant:left",
            pushes.ParticipantLeft(participant_id=member.participant_id, reason=reason),
            to=self.channel,
        )
        remaining = await self.joined_members()
        if not remaining:
            if datetime.now(UTC) >= self.room.scheduled_end:
                await self.end(by=None)
                return
            await consent.halt(self)
            await records.idle(self.db, self.room)
            return
        if member.seat == Seat.HOST and not any(m.seat == Seat.HOST for m in remaining):
            heir = min(remaining, key=lambda m: m.since)
            await self.update(heir, {"seat": Seat.HOST})
        await consent.settle(self, remaining)

    async def end(self, by: int | None) -> None:
        members = await self.store.members(self.key)
        recorder.stop(self, await self.store.recording(self.key))
        await records.ended(self.db, self.room)
        self.push("room:ended", pushes.RoomEnded(by=by), to=[self.channel, *(m.sid for m in members)])
        await self.store.clear(self.key)
        effects.close_room(self.db, self.channel)
