"""Who is online: every open socket, shared by all processes through Redis with a TTL.

Each process refreshes its own sockets every third of the TTL. A process that dies stops
refreshing; its sockets expire, and whichever process sweeps first claims each dead socket
(a ZREM only one caller wins) and announces the user offline once their last socket is gone.
Without Redis, the same rules run in memory for the one process there is.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

import msgspec
import redis.asyncio as aioredis


class Status(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class SocketEntry(msgspec.Struct, frozen=True):
    """One open socket: who holds it and under which login session."""

    sid: str
    user_id: int
    company_id: int | None
    session_id: str


class UserPresence(msgspec.Struct, kw_only=True):
    user_id: int
    status: Status
    last_seen: datetime | None
    """When the user was last connected (now, while online); null when never seen."""


class Presence(Protocol):
    async def add(self, entry: SocketEntry) -> bool:
        """Register a socket; True when it brought the user online."""

    async def remove(self, entry: SocketEntry) -> bool:
        """Forget a socket; True when it was the user's last one (now offline)."""

    async def refresh(self, entries: list[SocketEntry]) -> None:
        """Keep this process's sockets alive for another TTL."""

    async def claim_expired(self) -> list[SocketEntry]:
        """Sockets whose process stopped refreshing them; each is returned to one caller only."""

    async def set_away(self, user_id: int, away: bool) -> None: ...

    async def sockets(self, user_id: int) -> list[SocketEntry]: ...

    async def status(self, user_ids: list[int]) -> dict[int, UserPresence]: ...


def _state(user_id: int, live: bool, away: bool, last_seen: float | None) -> UserPresence:
    status = Status.OFFLINE if not live else Status.AWAY if away else Status.ONLINE
    seen = time.time() if live else last_seen
    return UserPresence(
        user_id=user_id, status=status, last_seen=None if seen is None else datetime.fromtimestamp(seen, UTC)
    )


class MemoryPresence:
    def __init__(self, ttl: int) -> None:
        self.ttl = ttl
        self._expiry: dict[SocketEntry, float] = {}
        self._away: set[int] = set()
        self._last_seen: dict[int, float] = {}

    def _live(self, user_id: int) -> list[SocketEntry]:
        now = time.time()
        return [e for e, ends in self._expiry.items() if e.user_id == user_id and ends > now]

    async def add(self, entry: SocketEntry) -> bool:
        was_online = bool(self._live(entry.user_id))
        self._expiry[entry] = time.time() + self.ttl
        self._last_seen[entry.user_id] = time.time()
        return not was_online

    async def remove(self, entry: SocketEntry) -> bool:
        if self._expiry.pop(entry, None) is None:
            return False
        self._last_seen[entry.user_id] = time.time()
        if self._live(entry.user_id):
            return False
        self._away.discard(entry.user_id)
        return True

    async def refresh(self, entries: list[SocketEntry]) -> None:
        ends = time.time() + self.ttl
        for entry in entries:
            if entry in self._expiry:
                self._expiry[entry] = ends
                self._last_seen[entry.user_id] = time.time()

    async def claim_expired(self) -> list[SocketEntry]:
        now = time.time()
        return [e for e, ends in list(self._expiry.items()) if ends <= now]

    async def set_away(self, user_id: int, away: bool) -> None:
        if away:
            self._away.add(user_id)
        else:
            self._away.discard(user_id)

    async def sockets(self, user_id: int) -> list[SocketEntry]:
        return self._live(user_id)

    async def status(self, user_ids: list[int]) -> dict[int, UserPresence]:
        return {u: _state(u, bool(self._live(u)), u in self._away, self._last_seen.get(u)) for u in user_ids}


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(SocketEntry)


def _entry(member: object) -> SocketEntry:
    assert isinstance(member, str | bytes)
    return _decoder.decode(member)


_CLAIM_IF_EXPIRED = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
return redis.call('ZREM', KEYS[1], ARGV[1])
"""


class RedisPresence:
    """Keys: `presence:sockets` (every socket by expiry), `presence:user:{id}` (a user's sockets
    by expiry), `presence:seen:{id}` and `presence:away:{id}`."""

    INDEX = "presence:sockets"

    def __init__(self, redis: aioredis.Redis, ttl: int) -> None:
        self.redis = redis
        self.ttl = ttl
        self._claim = redis.register_script(_CLAIM_IF_EXPIRED)

    @staticmethod
    def _user_key(user_id: int) -> str:
        return f"presence:user:{user_id}"

    async def add(self, entry: SocketEntry) -> bool:
        now = time.time()
        member = _encoder.encode(entry)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zcount(self._user_key(entry.user_id), now, "+inf")
            pipe.zadd(self._user_key(entry.user_id), {member: now + self.ttl})
            pipe.zadd(self.INDEX, {member: now + self.ttl})
            pipe.set(f"presence:seen:{entry.user_id}", now)
            live_before, *_ = await pipe.execute()
        return int(live_before) == 0

    async def remove(self, entry: SocketEntry) -> bool:
        now = time.time()
        member = _encoder.encode(entry)
        key = self._user_key(entry.user_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zrem(key, member)
            pipe.zrem(self.INDEX, member)
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zcount(key, now, "+inf")
            pipe.set(f"presence:seen:{entry.user_id}", now)
            removed, _, _, live_after, _ = await pipe.execute()
        if removed and int(live_after) == 0:
            await self.redis.delete(f"presence:away:{entry.user_id}")
            return True
        return False

    async def refresh(self, entries: list[SocketEntry]) -> None:
        if not entries:
            return
        now = time.time()
        ends = now + self.ttl
        async with self.redis.pipeline(transaction=False) as pipe:
            for entry in entries:
                member = _encoder.encode(entry)
                pipe.zadd(self._user_key(entry.user_id), {member: ends}, xx=True)
                pipe.zadd(self.INDEX, {member: ends}, xx=True)
                pipe.set(f"presence:seen:{entry.user_id}", now)
            await pipe.execute()

    async def claim_expired(self) -> list[SocketEntry]:
        members = await self.redis.zrangebyscore(self.INDEX, "-inf", time.time(), start=0, num=500)
        claimed = []
        now = time.time()
        for member in members:
            entry = _entry(member)
            # Only if still expired: its process may have refreshed it since the range was read.
            if await self._claim(keys=[self.INDEX], args=[_encoder.encode(entry), now]):
                claimed.append(entry)
        return claimed

    async def set_away(self, user_id: int, away: bool) -> None:
        key = f"presence:away:{user_id}"
        if away:
            await self.redis.set(key, 1)
        else:
            await self.redis.delete(key)

    async def sockets(self, user_id: int) -> list[SocketEntry]:
        members = await self.redis.zrangebyscore(self._user_key(user_id), time.time(), "+inf")
        return [_entry(m) for m in members]

    async def status(self, user_ids: list[int]) -> dict[int, UserPresence]:
        now = time.time()
        async with self.redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                pipe.zcount(self._user_key(user_id), now, "+inf")
                pipe.exists(f"presence:away:{user_id}")
                pipe.get(f"presence:seen:{user_id}")
            replies = await pipe.execute()
        found = {}
        for i, user_id in enumerate(user_ids):
            live, away, seen = replies[3 * i : 3 * i + 3]
            found[user_id] = _state(user_id, int(live) > 0, bool(away), float(seen) if seen else None)
        return found


def create_presence(redis: aioredis.Redis | None, ttl: int) -> Presence:
    return RedisPresence(redis, ttl) if redis is not None else MemoryPresence(ttl)
