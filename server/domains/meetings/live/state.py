"""Live room state shared by every process: who is in each room, in the lobby, removed, which
socket holds which seat, and where recording consent stands.

Members are leases (`server.leases`, the primitive presence uses too): the process holding a
member's socket renews it; a member whose socket closed is given a grace period to come back,
and one whose process died expires after the TTL. Any process's sweep claims an expired member
once and announces it gone. In Redis when configured (`redis_store`), in memory otherwise.

Redis may restart empty. The store has an epoch, a value created when missing: a new epoch
tells a process's heartbeat that the store lost its data, and the heartbeat restores the seats
its own sockets held, as it last read them (`keep_alive_sockets`, `restore`). Under one epoch a
missing seat was taken away on purpose (left, removed, room ended) and is never restored.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple, Protocol

import msgspec
import redis.asyncio as aioredis

from server.leases import MemoryLeases


class Standing(StrEnum):
    JOINED = "joined"
    LOBBY = "lobby"


class Member(msgspec.Struct, kw_only=True):
    participant_id: int
    user_id: int
    display_name: str
    sid: str
    seat: str
    role: str
    standing: Standing
    can_record: bool = False
    since: float = 0.0
    """When they entered (joined or knocked); the longest-present participant inherits the host seat."""
    waiting_for_host: bool = False
    waiting_for_consent: bool = False
    muted: bool = False
    video: bool = True
    screen: bool = False
    quality: str | None = None


class Recording(msgspec.Struct, kw_only=True):
    status: str = "not_started"
    requested_by: int | None = None
    consents: dict[int, bool] = {}
    """participant id -> answer, for the current request."""
    recording_id: int | None = None
    """The `meeting_recordings` row being captured while `recording` (meetings only)."""


decode_member = msgspec.json.Decoder(Member).decode
decode_recording = msgspec.json.Decoder(Recording).decode
encode = msgspec.json.Encoder().encode


Seated = tuple[str, Member]
"""A seat as a heartbeat sees it: the room key and the member sitting there."""
MEMORY_EPOCH = "memory"
"""A store in this process's memory never loses its data behind the process's back."""


class Held(NamedTuple):
    epoch: str
    seats: dict[str, Seated]
    """Socket id -> the seat it holds, for the sockets that hold one."""


class RelayEnds(NamedTuple):
    """Both ends of a relay as the store holds them: the room and participant id of the
    sending socket's seat, its member, and the addressed member of that room."""

    room: str
    participant_id: int
    sender: Member | None
    receiver: Member | None


class RoomStore(Protocol):
    async def put(self, room: str, member: Member, expires_in: float) -> None:
        """Add or replace a member; their socket now holds the seat (`seat`)."""

    async def seat(self, sid: str) -> tuple[str, int] | None:
        """The room and participant a socket holds, if any."""

    async def keep_alive_sockets(self, sids: list[str], expires_in: float) -> Held:
        """Refresh the members held by these sockets (a process's heartbeat); the store's epoch
        and the seats found, read in one atomic step."""

    async def restore(self, room: str, member: Member, expires_in: float) -> bool:
        """Put a member back after the store lost its data, unless its seat or its socket is
        taken again meanwhile (a newer join wins); True when restored."""

    async def relay_ends(self, sid: str, to: int) -> RelayEnds | None:
        """The socket's seat and the member it addresses (None: it holds no seat), read at
        once: this is every relayed ICE candidate's lookup."""

    async def get(self, room: str, participant_id: int) -> Member | None: ...

    async def members(self, room: str) -> list[Member]: ...

    async def drop(self, room: str, participant_id: int, sid: str | None = None) -> Member | None:
        """Remove a member (only if held by socket `sid`, when given); returns it when this
        caller removed it."""

    async def keep_alive(self, members: list[tuple[str, int]], expires_in: float) -> None: ...

    async def claim_expired(self) -> list[tuple[str, Member]]: ...

    async def ban(self, room: str, user_id: int, banned: bool) -> None: ...

    async def is_banned(self, room: str, user_id: int) -> bool: ...

    async def recording(self, room: str) -> Recording: ...

    async def set_recording(self, room: str, recording: Recording) -> None: ...

    async def clear(self, room: str) -> None: ...

    async def census(self) -> tuple[int, int]:
        """Rooms with a member and members (lobby and grace period included), every process's."""


class SeatReads(Protocol):
    async def seat(self, sid: str) -> tuple[str, int] | None: ...

    async def get(self, room: str, participant_id: int) -> Member | None: ...


async def read_relay_ends(store: SeatReads, sid: str, to: int) -> RelayEnds | None:
    """`relay_ends` as three reads, for stores where a read costs no round trip."""
    seat = await store.seat(sid)
    if seat is None:
        return None
    room, me = seat
    return RelayEnds(room, me, await store.get(room, me), await store.get(room, to))


def lease_name(room: str, participant_id: int | str) -> str:
    return f"{room}|{participant_id}"


def parse_lease(lease: str) -> tuple[str, int]:
    room, _, participant = lease.rpartition("|")
    return room, int(participant)


class MemoryRoomStore:
    def __init__(self) -> None:
        self._members: dict[str, dict[int, Member]] = {}
        self._leases = MemoryLeases()
        self._banned: dict[str, set[int]] = {}
        self._recording: dict[str, Recording] = {}
        self._seats: dict[str, tuple[str, int]] = {}

    async def put(self, room: str, member: Member, expires_in: float) -> None:
        previous = self._members.get(room, {}).get(member.participant_id)
        if previous is not None and previous.sid != member.sid:
            self._seats.pop(previous.sid, None)
        self._members.setdefault(room, {})[member.participant_id] = msgspec.structs.replace(member)
        await self._leases.grant(lease_name(room, member.participant_id), expires_in)
        self._seats[member.sid] = (room, member.participant_id)

    async def seat(self, sid: str) -> tuple[str, int] | None:
        return self._seats.get(sid)

    async def relay_ends(self, sid: str, to: int) -> RelayEnds | None:
        return await read_relay_ends(self, sid, to)

    async def keep_alive_sockets(self, sids: list[str], expires_in: float) -> Held:
        held = {sid: self._seats[sid] for sid in sids if sid in self._seats}
        await self.keep_alive(list(held.values()), expires_in)
        seats = {}
        for sid, (room, participant_id) in held.items():
            member = await self.get(room, participant_id)
            if member is not None and member.sid == sid:
                seats[sid] = (room, member)
        return Held(MEMORY_EPOCH, seats)

    async def restore(self, room: str, member: Member, expires_in: float) -> bool:
        if member.participant_id in self._members.get(room, {}) or member.sid in self._seats:
            return False
        await self.put(room, member, expires_in)
        return True

    async def get(self, room: str, participant_id: int) -> Member | None:
        member = self._members.get(room, {}).get(participant_id)
        return msgspec.structs.replace(member) if member is not None else None

    async def members(self, room: str) -> list[Member]:
        return [msgspec.structs.replace(m) for m in self._members.get(room, {}).values()]

    async def drop(self, room: str, participant_id: int, sid: str | None = None) -> Member | None:
        held = self._members.get(room, {}).get(participant_id)
        if held is not None and sid is not None and held.sid != sid:
            return None
        await self._leases.release(lease_name(room, participant_id))
        member = self._members.get(room, {}).pop(participant_id, None)
        if member is not None and self._seats.get(member.sid) == (room, participant_id):
            del self._seats[member.sid]
        return member

    async def keep_alive(self, members: list[tuple[str, int]], expires_in: float) -> None:
        await self._leases.renew([lease_name(room, pid) for room, pid in members], expires_in)

    async def claim_expired(self) -> list[tuple[str, Member]]:
        claimed = []
        for lease in await self._leases.claim_expired():
            room, participant_id = parse_lease(lease)
            member = await self.drop(room, participant_id)
            if member is not None:
                claimed.append((room, member))
        return claimed

    async def ban(self, room: str, user_id: int, banned: bool) -> None:
        if banned:
            self._banned.setdefault(room, set()).add(user_id)
        else:
            self._banned.get(room, set()).discard(user_id)

    async def is_banned(self, room: str, user_id: int) -> bool:
        return user_id in self._banned.get(room, set())

    async def recording(self, room: str) -> Recording:
        found = self._recording.get(room)
        return msgspec.structs.replace(found, consents=dict(found.consents)) if found else Recording()

    async def set_recording(self, room: str, recording: Recording) -> None:
        self._recording[room] = recording

    async def clear(self, room: str) -> None:
        for participant_id, member in list(self._members.pop(room, {}).items()):
            await self._leases.release(lease_name(room, participant_id))
            if self._seats.get(member.sid) == (room, participant_id):
                del self._seats[member.sid]
        self._banned.pop(room, None)
        self._recording.pop(room, None)

    async def census(self) -> tuple[int, int]:
        rooms = [members for members in self._members.values() if members]
        return len(rooms), sum(len(members) for members in rooms)


def create_room_store(redis: aioredis.Redis | None) -> RoomStore:
    if redis is None:
        return MemoryRoomStore()
    # Imported here: the Redis store builds on this module's types.
    from server.domains.meetings.live.redis_store import RedisRoomStore

    return RedisRoomStore(redis)
