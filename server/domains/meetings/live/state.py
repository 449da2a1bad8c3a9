"""Live room state shared by every process: who is in each room, in the lobby, removed, which
socket holds which seat, and where recording consent stands.

Members are leases (`server.leases`, the primitive presence uses too): the process holding a
member's socket renews it; a member whose socket closed is given a grace period to come back,
and one whose process died expires after the TTL. Any process's sweep claims an expired member
once and announces it gone. In Redis when configured, in memory otherwise.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

import msgspec
import redis.asyncio as aioredis

from server.leases import MemoryLeases, RedisLeases


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


_member = msgspec.json.Decoder(Member)
_recording = msgspec.json.Decoder(Recording)
_encode = msgspec.json.Encoder().encode


class RoomStore(Protocol):
    async def put(self, room: str, member: Member, expires_in: float) -> None:
        """Add or replace a member; their socket now holds the seat (`seat`)."""

    async def seat(self, sid: str) -> tuple[str, int] | None:
        """The room and participant a socket holds, if any."""

    async def keep_alive_sockets(self, sids: list[str], expires_in: float) -> None:
        """Refresh the members held by these sockets (a process's heartbeat)."""

    async def get(self, room: str, participant_id: int) -> Member | None: ...

    async def members(self, room: str) -> list[Member]: ...

    async def drop(self, room: str, participant_id: int) -> Member | None:
        """Remove a member; returns it when this caller removed it."""

    async def keep_alive(self, members: list[tuple[str, int]], expires_in: float) -> None: ...

    async def claim_expired(self) -> list[tuple[str, Member]]: ...

    async def ban(self, room: str, user_id: int, banned: bool) -> None: ...

    async def is_banned(self, room: str, user_id: int) -> bool: ...

    async def recording(self, room: str) -> Recording: ...

    async def set_recording(self, room: str, recording: Recording) -> None: ...

    async def clear(self, room: str) -> None: ...


def _lease(room: str, participant_id: int | str) -> str:
    return f"{room}|{participant_id}"


def _leased(lease: str) -> tuple[str, int]:
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
        await self._leases.grant(_lease(room, member.participant_id), expires_in)
        self._seats[member.sid] = (room, member.participant_id)

    async def seat(self, sid: str) -> tuple[str, int] | None:
        return self._seats.get(sid)

    async def keep_alive_sockets(self, sids: list[str], expires_in: float) -> None:
        await self.keep_alive([self._seats[sid] for sid in sids if sid in self._seats], expires_in)

    async def get(self, room: str, participant_id: int) -> Member | None:
        member = self._members.get(room, {}).get(participant_id)
        return msgspec.structs.replace(member) if member is not None else None

    async def members(self, room: str) -> list[Member]:
        return [msgspec.structs.replace(m) for m in self._members.get(room, {}).values()]

    async def drop(self, room: str, participant_id: int) -> Member | None:
        await self._leases.release(_lease(room, participant_id))
        member = self._members.get(room, {}).pop(participant_id, None)
        if member is not None and self._seats.get(member.sid) == (room, participant_id):
            del self._seats[member.sid]
        return member

    async def keep_alive(self, members: list[tuple[str, int]], expires_in: float) -> None:
        await self._leases.renew([_lease(room, pid) for room, pid in members], expires_in)

    async def claim_expired(self) -> list[tuple[str, Member]]:
        claimed = []
        for lease in await self._leases.claim_expired():
            room, participant_id = _leased(lease)
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
            await self._leases.release(_lease(room, participant_id))
            if self._seats.get(member.sid) == (room, participant_id):
                del self._seats[member.sid]
        self._banned.pop(room, None)
        self._recording.pop(room, None)


_TAKE_CLAIMED = """
local member = redis.call('HGET', KEYS[2], ARGV[3])
redis.call('HDEL', KEYS[2], ARGV[3])
if member then
  local sid = cjson.decode(member)['sid']
  if redis.call('HGET', KEYS[3], sid) == ARGV[1] then redis.call('HDEL', KEYS[3], sid) end
end
return member
"""

_PUT = """
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if previous then
  local old_sid = cjson.decode(previous)['sid']
  if old_sid ~= ARGV[3] and redis.call('HGET', KEYS[2], old_sid) == ARGV[4] then
    redis.call('HDEL', KEYS[2], old_sid)
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
"""

_DROP = """
local member = redis.call('HGET', KEYS[1], ARGV[1])
if not member then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
local sid = cjson.decode(member)['sid']
if redis.call('HGET', KEYS[2], sid) == ARGV[2] then redis.call('HDEL', KEYS[2], sid) end
return member
"""


class RedisRoomStore:
    """Keys: `rooms:expiry` (every member as `room|participant`, by expiry), `rooms:seats` (socket
    id -> `room|participant`), `room:{key}:members` (a hash of members), `room:{key}:banned`
    (user ids), `room:{key}:recording`."""

    INDEX = "rooms:expiry"
    SEATS = "rooms:seats"

    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis
        self.leases = RedisLeases(redis, self.INDEX)
        self._take = self.leases.claiming(_TAKE_CLAIMED)
        self._put = redis.register_script(_PUT)
        self._drop = redis.register_script(_DROP)

    async def put(self, room: str, member: Member, expires_in: float) -> None:
        lease = _lease(room, member.participant_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            await self._put(
                keys=[f"room:{room}:members", self.SEATS],
                args=[str(member.participant_id), _encode(member), member.sid, lease],
                client=pipe,
            )
            self.leases.on(pipe).grant(lease, expires_in)
            await pipe.execute()

    async def seat(self, sid: str) -> tuple[str, int] | None:
        raw = await self.redis.hget(self.SEATS, sid)
        if not raw:
            return None
        return _leased(str(raw))

    async def keep_alive_sockets(self, sids: list[str], expires_in: float) -> None:
        if sids:
            held = await self.redis.hmget(self.SEATS, sids)
            await self.keep_alive([_leased(str(h)) for h in held if h], expires_in)

    async def get(self, room: str, participant_id: int) -> Member | None:
        raw = await self.redis.hget(f"room:{room}:members", str(participant_id))
        return _member.decode(raw) if raw else None

    async def members(self, room: str) -> list[Member]:
        raw = await self.redis.hvals(f"room:{room}:members")
        return [_member.decode(item) for item in raw]

    async def drop(self, room: str, participant_id: int) -> Member | None:
        lease = _lease(room, participant_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            await self._drop(
                keys=[f"room:{room}:members", self.SEATS], args=[str(participant_id), lease], client=pipe
            )
            self.leases.on(pipe).release(lease)
            raw, _ = await pipe.execute()
        return _member.decode(raw) if raw else None

    async def keep_alive(self, members: list[tuple[str, int]], expires_in: float) -> None:
        await self.leases.renew([_lease(room, pid) for room, pid in members], expires_in)

    async def claim_expired(self) -> list[tuple[str, Member]]:
        claimed = []
        for lease in await self.leases.expired():
            room, participant_id = _leased(lease)
            # Only if still expired: a reconnect may have refreshed it since the range was read.
            raw = await self._take(lease, [f"room:{room}:members", self.SEATS], [str(participant_id)])
            if raw:
                claimed.append((room, _member.decode(raw)))
        return claimed

    async def ban(self, room: str, user_id: int, banned: bool) -> None:
        if banned:
            await self.redis.sadd(f"room:{room}:banned", str(user_id))
        else:
            await self.redis.srem(f"room:{room}:banned", str(user_id))

    async def is_banned(self, room: str, user_id: int) -> bool:
        return bool(await self.redis.sismember(f"room:{room}:banned", str(user_id)))

    async def recording(self, room: str) -> Recording:
        raw = await self.redis.get(f"room:{room}:recording")
        return _recording.decode(raw) if raw else Recording()

    async def set_recording(self, room: str, recording: Recording) -> None:
        await self.redis.set(f"room:{room}:recording", _encode(recording))

    async def clear(self, room: str) -> None:
        members = await self.members(room)
        async with self.redis.pipeline(transaction=True) as pipe:
            if members:
                for m in members:
                    self.leases.on(pipe).release(_lease(room, m.participant_id))
                pipe.hdel(self.SEATS, *[m.sid for m in members])
            pipe.delete(f"room:{room}:members", f"room:{room}:banned", f"room:{room}:recording")
            await pipe.execute()


def create_room_store(redis: aioredis.Redis | None) -> RoomStore:
    return RedisRoomStore(redis) if redis is not None else MemoryRoomStore()
