"""Who is online: every open socket, shared by all processes through Redis with a TTL.

Each process refreshes its own sockets several times per TTL (`server.heartbeat`), and re-creates
any that are gone: they are open, so they count whatever the store says (Redis may have
restarted empty, or a sweep claimed them while the process stalled). A process that dies stops
refreshing; its sockets expire, and whichever process sweeps first claims each dead socket
(a lease of server/leases.py goes to one claimer) and announces the user offline once their
last socket is gone. Without Redis, the same leases live in memory for the one process there is.

`last_seen` is when the user was last known connected: the last refresh of one of their sockets,
or the close of their last one. A sweep removes a dead process's sockets without moving it, so
it never shows the time of the sweep.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

import msgspec
import redis.asyncio as aioredis

from server.leases import Clock, MemoryLeases, RedisLeases


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

    async def remove(self, entry: SocketEntry, *, swept: bool = False) -> bool:
        """Forget a socket; True when it was the user's last one (now offline). `swept`: its
        process stopped refreshing it, so the user was last seen at that last refresh, not now."""

    async def refresh(self, entries: list[SocketEntry]) -> list[SocketEntry]:
        """Keep these open sockets (this process's) alive for another TTL, re-creating those the
        store lost; returns the re-created ones."""

    async def claim_expired(self) -> list[SocketEntry]:
        """Sockets whose process stopped refreshing them; each is returned to one caller only."""

    async def set_away(self, user_id: int, away: bool) -> None: ...

    async def sockets(self, user_id: int) -> list[SocketEntry]: ...

    async def status(self, user_ids: list[int]) -> dict[int, UserPresence]: ...


def _state(user_id: int, live: bool, away: bool, last_seen: float | None, now: float) -> UserPresence:
    status = Status.OFFLINE if not live else Status.AWAY if away else Status.ONLINE
    seen = now if live else last_seen
    return UserPresence(
        user_id=user_id, status=status, last_seen=None if seen is None else datetime.fromtimestamp(seen, UTC)
    )


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(SocketEntry)


def _member(entry: SocketEntry) -> str:
    return _encoder.encode(entry).decode()


def _by_user(entries: list[SocketEntry]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for entry in entries:
        found.setdefault(entry.user_id, []).append(_member(entry))
    return found


class MemoryPresence:
    """The same two lease namespaces as Redis: every socket (swept) and each user's (pruned)."""

    def __init__(self, ttl: int, *, clock: Clock = time.time) -> None:
        self.ttl = ttl
        self.clock = clock
        self._sockets = MemoryLeases(clock=clock)
        self._users: dict[int, MemoryLeases] = {}
        self._away: set[int] = set()
        self._last_seen: dict[int, float] = {}

    async def _live(self, user_id: int) -> int:
        user = self._users.get(user_id)
        return 0 if user is None else await user.count()

    async def add(self, entry: SocketEntry) -> bool:
        was_online = await self._live(entry.user_id) > 0
        user = self._users.setdefault(entry.user_id, MemoryLeases(clock=self.clock))
        await user.grant(_member(entry), self.ttl)
        await self._sockets.grant(_member(entry), self.ttl)
        self._last_seen[entry.user_id] = self.clock()
        return not was_online

    async def remove(self, entry: SocketEntry, *, swept: bool = False) -> bool:
        await self._sockets.release(_member(entry))
        user = self._users.get(entry.user_id)
        if user is None or not await user.release(_member(entry)):
            return False
        await user.prune()
        if not user:
            del self._users[entry.user_id]
        if not swept:
            self._last_seen[entry.user_id] = self.clock()
        if await self._live(entry.user_id):
            return False
        self._away.discard(entry.user_id)
        return True

    async def refresh(self, entries: list[SocketEntry]) -> list[SocketEntry]:
        missing = set(await self._sockets.renew([_member(e) for e in entries], self.ttl, recreate=True))
        for user_id, members in _by_user(entries).items():
            user = self._users.setdefault(user_id, MemoryLeases(clock=self.clock))
            await user.renew(members, self.ttl, recreate=True)
            self._last_seen[user_id] = self.clock()
        return [e for e in entries if _member(e) in missing]

    async def claim_expired(self) -> list[SocketEntry]:
        return [_decoder.decode(m) for m in await self._sockets.claim_expired()]

    async def set_away(self, user_id: int, away: bool) -> None:
        if away:
            self._away.add(user_id)
        else:
            self._away.discard(user_id)

    async def sockets(self, user_id: int) -> list[SocketEntry]:
        user = self._users.get(user_id)
        return [] if user is None else [_decoder.decode(m) for m in await user.live()]

    async def status(self, user_ids: list[int]) -> dict[int, UserPresence]:
        now = self.clock()
        return {
            u: _state(u, await self._live(u) > 0, u in self._away, self._last_seen.get(u), now)
            for u in user_ids
        }


class RedisPresence:
    """Keys: `presence:sockets` (every socket's lease, swept by all processes),
    `presence:user:{id}` (a user's socket leases, pruned), `presence:seen:{id}` and
    `presence:away:{id}`. Members are the JSON of the SocketEntry."""

    INDEX = "presence:sockets"

    def __init__(self, redis: aioredis.Redis, ttl: int, *, clock: Clock = time.time) -> None:
        self.redis = redis
        self.ttl = ttl
        self.clock = clock
        self._sockets = RedisLeases(redis, self.INDEX, clock=clock)

    def _user(self, user_id: int) -> RedisLeases:
        return RedisLeases(self.redis, f"presence:user:{user_id}", clock=self.clock)

    async def add(self, entry: SocketEntry) -> bool:
        member = _member(entry)
        async with self.redis.pipeline(transaction=True) as pipe:
            user = self._user(entry.user_id).on(pipe)
            user.count()
            user.grant(member, self.ttl)
            self._sockets.on(pipe).grant(member, self.ttl)
            pipe.set(f"presence:seen:{entry.user_id}", self.clock())
            live_before, *_ = await pipe.execute()
        return int(live_before) == 0

    async def remove(self, entry: SocketEntry, *, swept: bool = False) -> bool:
        member = _member(entry)
        async with self.redis.pipeline(transaction=True) as pipe:
            user = self._user(entry.user_id).on(pipe)
            user.release(member)
            self._sockets.on(pipe).release(member)
            user.prune()
            user.count()
            if not swept:
                pipe.set(f"presence:seen:{entry.user_id}", self.clock())
            removed, _, _, live_after, *_ = await pipe.execute()
        if removed and int(live_after) == 0:
            await self.redis.delete(f"presence:away:{entry.user_id}")
            return True
        return False

    async def refresh(self, entries: list[SocketEntry]) -> list[SocketEntry]:
        if not entries:
            return []
        members = [_member(e) for e in entries]
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zmscore(self.INDEX, members)
            self._sockets.on(pipe).renew(members, self.ttl, recreate=True)
            for user_id, mine in _by_user(entries).items():
                self._user(user_id).on(pipe).renew(mine, self.ttl, recreate=True)
                pipe.set(f"presence:seen:{user_id}", self.clock())
            scores, *_ = await pipe.execute()
        return [e for e, score in zip(entries, scores, strict=True) if score is None]

    async def claim_expired(self) -> list[SocketEntry]:
        return [_decoder.decode(m) for m in await self._sockets.claim_expired()]

    async def set_away(self, user_id: int, away: bool) -> None:
        key = f"presence:away:{user_id}"
        if away:
            await self.redis.set(key, 1)
        else:
            await self.redis.delete(key)

    async def sockets(self, user_id: int) -> list[SocketEntry]:
        return [_decoder.decode(m) for m in await self._user(user_id).live()]

    async def status(self, user_ids: list[int]) -> dict[int, UserPresence]:
        now = self.clock()
        async with self.redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                self._user(user_id).on(pipe).count()
                pipe.exists(f"presence:away:{user_id}")
                pipe.get(f"presence:seen:{user_id}")
            replies = await pipe.execute()
        found = {}
        for i, user_id in enumerate(user_ids):
            live, away, seen = replies[3 * i : 3 * i + 3]
            found[user_id] = _state(user_id, int(live) > 0, bool(away), float(seen) if seen else None, now)
        return found


def create_presence(redis: aioredis.Redis | None, ttl: int) -> Presence:
    return RedisPresence(redis, ttl) if redis is not None else MemoryPresence(ttl)
