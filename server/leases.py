"""Leases: members of a namespace that stay alive only while their owner keeps renewing them.

The one implementation of "entries with a TTL, refreshed by their process, claimed once when
expired", shared by presence (sockets) and room state (members): in Redis when configured, in
memory otherwise. A lease granted at t for ttl is alive while now < t + ttl. An expired lease
stays, and can still be renewed, until one caller claims it: a process that stalls and renews
late keeps its lease unless a sweep took it first, and then it learns so from `renew`.
Members are opaque strings. Time comes from `clock`, so tests move it instead of sleeping.

Redis: one sorted set per namespace, member -> expiry. `RedisLeases.on(pipe)` queues the same
commands on a caller's pipeline, so a lease and the caller's own keys change in one MULTI.
Memory: a dict per namespace; its methods never suspend, so a run of calls is atomic.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.asyncio.client import Pipeline
from redis.commands.core import AsyncScript

Clock = Callable[[], float]

DEFAULT_LIMIT = 500
"""Members one sweep claims at most; the rest wait for the next sweep."""


class Leases(Protocol):
    async def grant(self, member: str, ttl: float) -> bool:
        """Add or replace a lease ending `ttl` seconds from now; True when the member had none."""

    async def renew(self, members: Sequence[str], ttl: float, *, recreate: bool = False) -> list[str]:
        """Extend existing leases to `ttl` from now; returns the members that had none.

        Without `recreate` a missing member stays missing, so a heartbeat racing a release or
        a sweep never brings it back. It may also be missing because Redis restarted empty:
        an owner that still holds it can `grant` it again (with whatever data it guards), or
        pass `recreate=True` to re-create every missing lease at once when nobody else
        releases its members (the returned members are then the re-created ones).
        """

    async def release(self, member: str) -> bool:
        """Remove a lease, expired or not; True when this caller removed it."""

    async def alive(self, member: str) -> bool: ...

    async def live(self) -> list[str]:
        """Members not expired, soonest expiry first."""

    async def count(self) -> int:
        """How many members are not expired."""

    async def expired(self, limit: int = DEFAULT_LIMIT) -> list[str]:
        """Up to `limit` expired members not yet claimed, longest expired first: candidates only,
        since their owner may renew them before `claim`."""

    async def claim(self, member: str) -> bool:
        """Remove a lease only if it is still expired; True for the one caller that did."""

    async def claim_expired(self, limit: int = DEFAULT_LIMIT) -> list[str]:
        """`expired` then `claim`: each expired member is returned to exactly one caller."""

    async def prune(self) -> int:
        """Delete expired leases without claiming them, for a namespace nobody sweeps."""


class MemoryLeases:
    """The leases of this process alone: each instance is its own namespace."""

    def __init__(self, *, clock: Clock = time.time) -> None:
        self.clock = clock
        self._ends: dict[str, float] = {}

    def __len__(self) -> int:
        """Leases held, expired or not: an empty namespace can be dropped."""
        return len(self._ends)

    async def grant(self, member: str, ttl: float) -> bool:
        new = member not in self._ends
        self._ends[member] = self.clock() + ttl
        return new

    async def renew(self, members: Sequence[str], ttl: float, *, recreate: bool = False) -> list[str]:
        ends = self.clock() + ttl
        missing = [m for m in members if m not in self._ends]
        for member in members:
            if recreate or member in self._ends:
                self._ends[member] = ends
        return missing

    async def release(self, member: str) -> bool:
        return self._ends.pop(member, None) is not None

    async def alive(self, member: str) -> bool:
        ends = self._ends.get(member)
        return ends is not None and ends > self.clock()

    async def live(self) -> list[str]:
        now = self.clock()
        return [m for _, m in sorted((e, m) for m, e in self._ends.items() if e > now)]

    async def count(self) -> int:
        now = self.clock()
        return sum(1 for ends in self._ends.values() if ends > now)

    async def expired(self, limit: int = DEFAULT_LIMIT) -> list[str]:
        now = self.clock()
        return [m for _, m in heapq.nsmallest(limit, ((e, m) for m, e in self._ends.items() if e <= now))]

    async def claim(self, member: str) -> bool:
        ends = self._ends.get(member)
        if ends is None or ends > self.clock():
            return False
        del self._ends[member]
        return True

    async def claim_expired(self, limit: int = DEFAULT_LIMIT) -> list[str]:
        return [m for m in await self.expired(limit) if await self.claim(m)]

    async def prune(self) -> int:
        now = self.clock()
        gone = [m for m, ends in self._ends.items() if ends <= now]
        for member in gone:
            del self._ends[member]
        return len(gone)


_CLAIM_IF_EXPIRED = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return false end
redis.call('ZREM', KEYS[1], ARGV[1])
"""


def _alive_after(now: float) -> tuple[str, str]:
    """The score range of live leases: expiry strictly after now."""
    return f"({now!r}", "+inf"


def _text(member: object) -> str:
    if isinstance(member, bytes):
        return member.decode()
    assert isinstance(member, str)
    return member


class QueuedLeases:
    """One namespace's lease commands queued on a caller's pipeline, one command and one reply
    each, so a caller can index the replies of `pipe.execute()` and mix in its own keys."""

    def __init__(self, pipe: Pipeline, key: str, clock: Clock) -> None:
        self.pipe = pipe
        self.key = key
        self.clock = clock

    def grant(self, member: str, ttl: float) -> None:
        """Reply: 1 when the member had no lease, else 0."""
        self.pipe.zadd(self.key, {member: self.clock() + ttl})

    def renew(self, members: Sequence[str], ttl: float, *, recreate: bool = False) -> None:
        """Reply: how many leases were re-created (0 without `recreate`). Needs members: an
        empty ZADD is an error, and queuing nothing would shift the caller's replies."""
        if not members:
            raise ValueError("renew needs at least one member")
        self.pipe.zadd(self.key, dict.fromkeys(members, self.clock() + ttl), xx=not recreate)

    def release(self, member: str) -> None:
        """Reply: 1 when this caller removed the lease, else 0."""
        self.pipe.zrem(self.key, member)

    def count(self) -> None:
        """Reply: how many members are not expired."""
        self.pipe.zcount(self.key, *_alive_after(self.clock()))

    def prune(self) -> None:
        """Reply: how many expired leases were deleted."""
        self.pipe.zremrangebyscore(self.key, "-inf", self.clock())


class Claiming:
    """A claim that, when it wins, runs `then` (Lua) in the same atomic step: to take the data the
    lease guarded, so a member granted again meanwhile never loses its fresh data. In `then`,
    KEYS[1], ARGV[1] and ARGV[2] are the namespace, the member and now; the caller's keys and
    args follow. Returns what `then` returns, or None when the lease was gone or still alive."""

    def __init__(self, leases: RedisLeases, then: str) -> None:
        self._leases = leases
        self._script: AsyncScript = leases.redis.register_script(_CLAIM_IF_EXPIRED + then)

    async def __call__(
        self,
        member: str,
        keys: Sequence[str] = (),
        args: Sequence[str | int | float] = (),
        *,
        pipe: Pipeline | None = None,
    ) -> Any:
        """With `pipe`, only queues the claim: its reply comes from `pipe.execute()`."""
        return await self._script(
            keys=[self._leases.key, *keys], args=[member, self._leases.clock(), *args], client=pipe
        )


class RedisLeases:
    """Leases shared by every process: the sorted set `key`, member -> expiry by `clock`."""

    def __init__(self, redis: aioredis.Redis, key: str, *, clock: Clock = time.time) -> None:
        self.redis = redis
        self.key = key
        self.clock = clock

    @cached_property
    def _claim(self) -> Claiming:
        # Lazy: secondary namespaces (a user's sockets) are built per call and never claimed.
        return self.claiming("return 1")

    def on(self, pipe: Pipeline) -> QueuedLeases:
        return QueuedLeases(pipe, self.key, self.clock)

    def claiming(self, then: str) -> Claiming:
        return Claiming(self, then)

    async def grant(self, member: str, ttl: float) -> bool:
        return bool(await self.redis.zadd(self.key, {member: self.clock() + ttl}))

    async def renew(self, members: Sequence[str], ttl: float, *, recreate: bool = False) -> list[str]:
        if not members:
            return []
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zmscore(self.key, list(members))
            self.on(pipe).renew(members, ttl, recreate=recreate)
            scores, _ = await pipe.execute()
        return [m for m, score in zip(members, scores, strict=True) if score is None]

    async def release(self, member: str) -> bool:
        return bool(await self.redis.zrem(self.key, member))

    async def alive(self, member: str) -> bool:
        score = await self.redis.zscore(self.key, member)
        return score is not None and float(score) > self.clock()

    async def live(self) -> list[str]:
        return [_text(m) for m in await self.redis.zrangebyscore(self.key, *_alive_after(self.clock()))]

    async def count(self) -> int:
        return int(await self.redis.zcount(self.key, *_alive_after(self.clock())))

    async def expired(self, limit: int = DEFAULT_LIMIT) -> list[str]:
        found = await self.redis.zrangebyscore(self.key, "-inf", self.clock(), start=0, num=limit)
        return [_text(m) for m in found]

    async def claim(self, member: str) -> bool:
        return bool(await self._claim(member))

    async def claim_expired(self, limit: int = DEFAULT_LIMIT) -> list[str]:
        due = await self.expired(limit)
        if not due:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for member in due:
                await self._claim(member, pipe=pipe)
            won = await pipe.execute()
        return [m for m, claimed in zip(due, won, strict=True) if claimed]

    async def prune(self) -> int:
        return int(await self.redis.zremrangebyscore(self.key, "-inf", self.clock()))


def create_leases(redis: aioredis.Redis | None, key: str, *, clock: Clock = time.time) -> Leases:
    """The namespace `key` in Redis when configured, else a namespace of this process."""
    return RedisLeases(redis, key, clock=clock) if redis is not None else MemoryLeases(clock=clock)
