"""The live room state in Redis, shared by every process (`state` says what it holds).

Keys: `rooms:expiry` (every member as `room|participant`, by expiry), `rooms:seats` (socket id
-> `room|participant`), `rooms:epoch` (the store's generation, created when missing: after Redis
restarts empty it is new), `room:{key}:members` (a hash of members), `room:{key}:banned` (user
ids), `room:{key}:recording`.
"""

from __future__ import annotations

import secrets

import redis.asyncio as aioredis

from server.domains.meetings.live.state import (
    Held,
    Member,
    Recording,
    RelayEnds,
    Seated,
    decode_member,
    decode_recording,
    encode,
    lease_name,
    parse_lease,
)
from server.leases import RedisLeases

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
if member and ARGV[3] ~= '' and cjson.decode(member)['sid'] ~= ARGV[3] then return false end
redis.call('ZREM', KEYS[3], ARGV[2])
if not member then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
local sid = cjson.decode(member)['sid']
if redis.call('HGET', KEYS[2], sid) == ARGV[2] then redis.call('HDEL', KEYS[2], sid) end
return member
"""


_RELAY_ENDS = """
local seat = redis.call('HGET', KEYS[1], ARGV[1])
if not seat then return false end
local room, participant = string.match(seat, '^(.*)|(%d+)$')
local ends = redis.call('HMGET', 'room:' .. room .. ':members', participant, ARGV[2])
return {seat, ends[1], ends[2]}
"""

_KEEP_SOCKETS = """
redis.call('SET', KEYS[3], ARGV[2], 'NX')
local found = {redis.call('GET', KEYS[3])}
for i = 3, #ARGV do
  local lease = redis.call('HGET', KEYS[1], ARGV[i])
  if lease then
    local room, participant = string.match(lease, '^(.*)|(%d+)$')
    local member = redis.call('HGET', 'room:' .. room .. ':members', participant)
    if member and cjson.decode(member)['sid'] == ARGV[i] then
      redis.call('ZADD', KEYS[2], 'XX', ARGV[1], lease)
      table.insert(found, ARGV[i])
      table.insert(found, room)
      table.insert(found, member)
    end
  end
end
return found
"""
"""The epoch and the seats of these sockets, their leases renewed, in one atomic step: a restart
of Redis falls before or after it, never between the epoch read and the seats read."""

_RESTORE = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
return 1
"""


class RedisRoomStore:
    INDEX = "rooms:expiry"
    SEATS = "rooms:seats"
    EPOCH = "rooms:epoch"

    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis
        self.leases = RedisLeases(redis, self.INDEX)
        self._take = self.leases.claiming(_TAKE_CLAIMED)
        self._put = redis.register_script(_PUT)
        self._drop = redis.register_script(_DROP)
        self._relay_ends = redis.register_script(_RELAY_ENDS)
        self._keep_sockets = redis.register_script(_KEEP_SOCKETS)
        self._restore = redis.register_script(_RESTORE)

    async def put(self, room: str, member: Member, expires_in: float) -> None:
        lease = lease_name(room, member.participant_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            await self._put(
                keys=[f"room:{room}:members", self.SEATS],
                args=[str(member.participant_id), encode(member), member.sid, lease],
                client=pipe,
            )
            self.leases.on(pipe).grant(lease, expires_in)
            await pipe.execute()

    async def seat(self, sid: str) -> tuple[str, int] | None:
        raw = await self.redis.hget(self.SEATS, sid)
        if not raw:
            return None
        return parse_lease(str(raw))

    async def relay_ends(self, sid: str, to: int) -> RelayEnds | None:
        reply = await self._relay_ends(keys=[self.SEATS], args=[sid, str(to)])
        if not reply:
            return None
        seat, sender, receiver = reply
        room, me = parse_lease(str(seat))
        return RelayEnds(
            room,
            me,
            decode_member(sender) if sender else None,
            decode_member(receiver) if receiver else None,
        )

    async def keep_alive_sockets(self, sids: list[str], expires_in: float) -> Held:
        until = self.leases.clock() + expires_in
        reply = await self._keep_sockets(
            keys=[self.SEATS, self.INDEX, self.EPOCH], args=[until, secrets.token_hex(8), *sids]
        )
        epoch, found = str(reply[0]), reply[1:]
        seats: dict[str, Seated] = {}
        for i in range(0, len(found), 3):
            sid, room, raw = found[i : i + 3]
            seats[str(sid)] = (str(room), decode_member(raw))
        return Held(epoch, seats)

    async def restore(self, room: str, member: Member, expires_in: float) -> bool:
        lease = lease_name(room, member.participant_id)
        until = self.leases.clock() + expires_in
        restored = await self._restore(
            keys=[f"room:{room}:members", self.SEATS, self.INDEX],
            args=[str(member.participant_id), encode(member), member.sid, lease, until],
        )
        return bool(restored)

    async def get(self, room: str, participant_id: int) -> Member | None:
        raw = await self.redis.hget(f"room:{room}:members", str(participant_id))
        return decode_member(raw) if raw else None

    async def members(self, room: str) -> list[Member]:
        raw = await self.redis.hvals(f"room:{room}:members")
        return [decode_member(item) for item in raw]

    async def drop(self, room: str, participant_id: int, sid: str | None = None) -> Member | None:
        raw = await self._drop(
            keys=[f"room:{room}:members", self.SEATS, self.INDEX],
            args=[str(participant_id), lease_name(room, participant_id), sid or ""],
        )
        return decode_member(raw) if raw else None

    async def keep_alive(self, members: list[tuple[str, int]], expires_in: float) -> None:
        await self.leases.renew([lease_name(room, pid) for room, pid in members], expires_in)

    async def claim_expired(self) -> list[tuple[str, Member]]:
        claimed = []
        for lease in await self.leases.expired():
            room, participant_id = parse_lease(lease)
            # Only if still expired: a reconnect may have refreshed it since the range was read.
            raw = await self._take(lease, [f"room:{room}:members", self.SEATS], [str(participant_id)])
            if raw:
                claimed.append((room, decode_member(raw)))
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
        return decode_recording(raw) if raw else Recording()

    async def set_recording(self, room: str, recording: Recording) -> None:
        await self.redis.set(f"room:{room}:recording", encode(recording))

    async def census(self) -> tuple[int, int]:
        leases = [str(lease) for lease in await self.redis.zrange(self.INDEX, 0, -1)]
        return len({parse_lease(lease)[0] for lease in leases}), len(leases)

    async def clear(self, room: str) -> None:
        members = await self.members(room)
        async with self.redis.pipeline(transaction=True) as pipe:
            if members:
                for m in members:
                    self.leases.on(pipe).release(lease_name(room, m.participant_id))
                pipe.hdel(self.SEATS, *[m.sid for m in members])
            pipe.delete(f"room:{room}:members", f"room:{room}:banned", f"room:{room}:recording")
            await pipe.execute()
