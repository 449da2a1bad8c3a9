"""The room state machine: join, lobby, leave, host controls and recording consent.

State lives in the shared `RoomStore`; the database keeps what must outlast a room (see
`signaling.records`). Pushes wait in an `Outbox` until the transaction that caused them has
committed. The rules:

- Hosts enter directly. Others wait in the lobby when the room has a waiting room, when no
  host is present yet (early arrivals), or when a host removed them before; a host admits or
  denies each knock.
- Relays (`rtc:*`) go to one named participant who has joined the same room, nothing else.
- When the last host leaves, the participant present longest becomes host.
- Recording starts only when every joined participant consented to the current request; one
  refusal cancels the request. Someone arriving while recording runs is asked first and only
  admitted after consenting. Recording stops when a host stops it or the room ends.
- A room whose last joined participant left (after the grace period) has ended.
"""

from __future__ import annotations

import time
from typing import Any

import socketio
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import ParticipantStatus, RecordingStatus
from realtime.protocol import Outbox
from server.domains.meetings.rooms import Entry, Room, Seat
from server.errors import AppError, Conflict, Forbidden
from signaling import records
from signaling.state import Member, Recording, RoomStore, Standing


class NotInRoom(AppError):
    status = 409
    code = "not_in_room"
    detail = "Join a room first."


class UnknownParticipant(AppError):
    status = 404
    code = "participant_not_found"
    detail = "No such participant in this room."


def channel(room: Room) -> str:
    """The Socket.IO room of a room's joined participants."""
    return f"room:{room.key}"


def public(member: Member) -> dict[str, Any]:
    return {
        "participant_id": member.participant_id,
        "user_id": member.user_id,
        "display_name": member.display_name,
        "seat": member.seat,
        "role": member.role,
        "muted": member.muted,
        "video": member.video,
        "screen": member.screen,
        "quality": member.quality,
    }


class RoomLife:
    """One room's transitions, for the socket of `sid` (or for no socket, when sweeping)."""

    def __init__(
        self,
        sio: socketio.AsyncServer,
        store: RoomStore,
        db: AsyncSession,
        outbox: Outbox,
        room: Room,
        ttl: float,
    ) -> None:
        self.sio = sio
        self.store = store
        self.db = db
        self.outbox = outbox
        self.room = room
        self.ttl = ttl

    async def joined_members(self) -> list[Member]:
        """Present participants, longest present first."""
        members = [m for m in await self.store.members(self.room.key) if m.standing is Standing.JOINED]
        return sorted(members, key=lambda m: (m.since, m.participant_id))

    async def snapshot(self, you: Member) -> dict[str, Any]:
        recording = await self.store.recording(self.room.key)
        return {
            "room": {
                "kind": self.room.kind,
                "code": self.room.code,
                "title": self.room.title,
                "recording": recording.status,
            },
            "participants": [public(m) for m in await self.joined_members()],
            "you": {
                "participant_id": you.participant_id,
                "seat": you.seat,
                "role": you.role,
                "can_record": you.can_record,
            },
        }

    # --- entering --------------------------------------------------------------------------

    async def join(self, entry: Entry, sid: str) -> dict[str, Any]:
        key = self.room.key
        members = await self.store.members(key)
        joined = [m for m in members if m.standing is Standing.JOINED]
        previous = next((m for m in members if m.participant_id == entry.participant_id), None)
        host = entry.seat is Seat.HOST
        back = previous is not None and previous.standing is Standing.JOINED
        if not host and not back and self.room.max_participants and len(joined) >= self.room.max_participants:
            raise Conflict("The room is full.", code="room_full")
        banned = await self.store.is_banned(key, entry.user_id)
        host_present = any(m.seat == Seat.HOST for m in joined if m.participant_id != entry.participant_id)
        waiting_for_host = not host and not back and (banned or self.room.lobby or not host_present)
        recording = await self.store.recording(key)
        waiting_for_consent = (
            recording.status == RecordingStatus.RECORDING
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
            since=previous.since if back and previous else time.time(),
            waiting_for_host=waiting_for_host,
            waiting_for_consent=waiting_for_consent,
        )
        await self.store.put(key, member, self.ttl)
        if member.standing is Standing.JOINED:
            await self._seat(member)
            if member.seat == Seat.HOST:
                for waiting in members:
                    if waiting.standing is Standing.LOBBY and waiting.waiting_for_host:
                        self.outbox.push("lobby:knock", self._knock(waiting), to=sid)
            return {"status": "joined", **await self.snapshot(member)}
        await records.waiting(self.db, self.room, member.participant_id)
        if waiting_for_consent:
            self.outbox.push("recording:consent-request", {"requested_by": recording.requested_by}, to=sid)
        if waiting_for_host:
            await self._knock_hosts(member, joined)
        return {"status": "lobby", **await self.snapshot(member)}

    async def _seat(self, member: Member) -> None:
        """Make a member a present participant: their socket joins the channel, the others hear."""
        await self.sio.enter_room(member.sid, channel(self.room))
        await records.joined(self.db, self.room, member.participant_id)
        self.outbox.push("participant:joined", public(member), to=channel(self.room), skip_sid=member.sid)

    @staticmethod
    def _knock(member: Member) -> dict[str, Any]:
        return {
            "participant_id": member.participant_id,
            "user_id": member.user_id,
            "display_name": member.display_name,
        }

    async def _knock_hosts(self, member: Member, joined: list[Member]) -> None:
        hosts = [m.sid for m in joined if m.seat == Seat.HOST]
        if hosts:
            self.outbox.push("lobby:knock", self._knock(member), to=hosts)

    async def host(self, participant_id: int) -> Member:
        """The member, who must be a present host."""
        me = await self.store.get(self.room.key, participant_id)
        if me is None or me.standing is not Standing.JOINED:
            raise NotInRoom()
        if me.seat != Seat.HOST:
            raise Forbidden("Only a host may do this.", code="not_host")
        return me

    async def _target(self, participant_id: int, standing: Standing) -> Member:
        target = await self.store.get(self.room.key, participant_id)
        if target is None or target.standing is not standing:
            raise UnknownParticipant()
        return target

    async def admit(self, host_id: int, participant_id: int) -> None:
        await self.host(host_id)
        target = await self._target(participant_id, Standing.LOBBY)
        await self.store.ban(self.room.key, target.user_id, False)
        target.waiting_for_host = False
        await self._admit_if_ready(target)

    async def _admit_if_ready(self, target: Member) -> None:
        if target.waiting_for_host or target.waiting_for_consent:
            await self.store.put(self.room.key, target, self.ttl)
            return
        target.standing = Standing.JOINED
        await self.store.put(self.room.key, target, self.ttl)
        await self._seat(target)
        self.outbox.push("lobby:admitted", {"status": "joined", **await self.snapshot(target)}, to=target.sid)

    async def deny(self, host_id: int, participant_id: int) -> None:
        await self.host(host_id)
        target = await self._target(participant_id, Standing.LOBBY)
        await self.store.drop(self.room.key, participant_id)
        await records.left(self.db, self.room, participant_id, ParticipantStatus.DECLINED)
        self.outbox.push("lobby:denied", {"reason": "host"}, to=target.sid)

    # --- while in the room -----------------------------------------------------------------

    async def member(self, participant_id: int) -> Member:
        me = await self.store.get(self.room.key, participant_id)
        if me is None or me.standing is not Standing.JOINED:
            raise NotInRoom()
        return me

    async def relay(self, sender_id: int, to: int, event: str, data: dict[str, Any]) -> None:
        await self.member(sender_id)
        target = await self._target(to, Standing.JOINED)
        self.outbox.push(event, {"from": sender_id, **data}, to=target.sid)

    async def update(self, member: Member, changes: dict[str, Any], by: int | None = None) -> None:
        for field, value in changes.items():
            setattr(member, field, value)
        await self.store.put(self.room.key, member, self.ttl)
        await records.media(self.db, self.room, member)
        pushed = {**public(member), "by": by}
        self.outbox.push("participant:updated", pushed, to=channel(self.room))

    async def mute(self, host_id: int, participant_id: int) -> None:
        await self.host(host_id)
        await self.update(await self._target(participant_id, Standing.JOINED), {"muted": True}, by=host_id)

    async def remove(self, host_id: int, participant_id: int) -> None:
        await self.host(host_id)
        if participant_id == host_id:
            raise Conflict("Leave the room instead of removing yourself.", code="self_removal")
        target = await self.store.get(self.room.key, participant_id)
        if target is None:
            raise UnknownParticipant()
        await self.store.ban(self.room.key, target.user_id, True)
        self.outbox.push("removed", {"by": host_id}, to=target.sid)
        await self.sio.leave_room(target.sid, channel(self.room))
        await self.depart(target, ParticipantStatus.REMOVED)

    # --- leaving and ending ----------------------------------------------------------------

    async def depart(self, member: Member, status: ParticipantStatus = ParticipantStatus.LEFT) -> None:
        """A member is gone (left, removed, or expired); pass the host seat on, end an empty room."""
        await self.store.drop(self.room.key, member.participant_id)
        await records.left(self.db, self.room, member.participant_id, status)
        if member.standing is not Standing.JOINED:
            return
        reason = "removed" if status is ParticipantStatus.REMOVED else "left"
        self.outbox.push(
            "participant:left",
            {"participant_id": member.participant_id, "reason": reason},
            to=channel(self.room),
        )
        remaining = await self.joined_members()
        if not remaining:
            await self.end(by=None)
            return
        if member.seat == Seat.HOST and not any(m.seat == Seat.HOST for m in remaining):
            heir = min(remaining, key=lambda m: m.since)
            await self.update(heir, {"seat": Seat.HOST})
        await self._settle_recording(remaining)

    async def end(self, by: int | None) -> None:
        members = await self.store.members(self.room.key)
        await records.ended(self.db, self.room)
        self.outbox.push("room:ended", {"by": by}, to=[channel(self.room), *(m.sid for m in members)])
        await self.store.clear(self.room.key)
        await self.sio.close_room(channel(self.room))

    # --- recording -------------------------------------------------------------------------

    async def request_recording(self, requester_id: int) -> None:
        me = await self.host(requester_id)
        if not me.can_record:
            raise Forbidden("You may not record this room.", code="recording_not_allowed")
        recording = await self.store.recording(self.room.key)
        if recording.status in (RecordingStatus.PENDING_CONSENT, RecordingStatus.RECORDING):
            raise Conflict(f"Recording is already {recording.status}.", code="recording_busy")
        recording = Recording(status=RecordingStatus.PENDING_CONSENT, requested_by=requester_id, consents={})
        await self.store.set_recording(self.room.key, recording)
        await records.recording_status(self.db, self.room, RecordingStatus.PENDING_CONSENT)
        self.outbox.push("recording:consent-request", {"requested_by": requester_id}, to=channel(self.room))
        self._state(recording)

    def _state(self, recording: Recording, **extra: Any) -> None:
        self.outbox.push(
            "recording:state",
            {"status": recording.status, "requested_by": recording.requested_by, **extra},
            to=channel(self.room),
        )

    async def consent(self, participant_id: int, granted: bool) -> None:
        me = await self.store.get(self.room.key, participant_id)
        if me is None:
            raise NotInRoom()
        recording = await self.store.recording(self.room.key)
        await records.consent(self.db, self.room, participant_id, granted)
        if me.waiting_for_consent:
            if not granted:
                await self.store.drop(self.room.key, participant_id)
                await records.left(self.db, self.room, participant_id, ParticipantStatus.DECLINED)
                self.outbox.push("lobby:denied", {"reason": "recording"}, to=me.sid)
                return
            recording.consents[participant_id] = True
            await self.store.set_recording(self.room.key, recording)
            me.waiting_for_consent = False
            await self._admit_if_ready(me)
            return
        if recording.status != RecordingStatus.PENDING_CONSENT:
            raise Conflict("No recording request is waiting for consent.", code="no_consent_request")
        recording.consents[participant_id] = granted
        if not granted:
            refused = Recording(status=RecordingStatus.NOT_STARTED)
            await self.store.set_recording(self.room.key, refused)
            await records.recording_status(self.db, self.room, RecordingStatus.NOT_STARTED)
            self._state(refused, refused_by=participant_id)
            return
        await self.store.set_recording(self.room.key, recording)
        await self._settle_recording(await self.joined_members())

    async def _settle_recording(self, present: list[Member]) -> None:
        recording = await self.store.recording(self.room.key)
        if recording.status != RecordingStatus.PENDING_CONSENT:
            return
        if all(recording.consents.get(m.participant_id) is True for m in present):
            recording.status = RecordingStatus.RECORDING
            await self.store.set_recording(self.room.key, recording)
            await records.recording_status(self.db, self.room, RecordingStatus.RECORDING)
            self._state(recording)

    async def stop_recording(self, host_id: int) -> None:
        await self.host(host_id)
        recording = await self.store.recording(self.room.key)
        if recording.status not in (RecordingStatus.PENDING_CONSENT, RecordingStatus.RECORDING):
            raise Conflict("Nothing is being recorded.", code="not_recording")
        stopped = Recording(status=RecordingStatus.STOPPED, requested_by=recording.requested_by)
        await self.store.set_recording(self.room.key, stopped)
        await records.recording_status(self.db, self.room, RecordingStatus.STOPPED)
        self._state(stopped)
