"""Fixed-window rate limits, in Redis when configured so every process counts together.

A refused hit answers 429 with Retry-After. Keys name the action and the subject (an
account or a client address), e.g. `login:ip:203.0.113.7`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis

from server.errors import TooManyRequests


@dataclass(frozen=True)
class Limit:
    hits: int
    seconds: int


class Counter(Protocol):
    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Count one hit in the key's window; return the hits in the current window and the
        seconds until it resets, in one round trip."""


class MemoryCounter:
    """One process's counters; the embedded default."""

    PRUNE_AT = 100_000

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._prune_at = self.PRUNE_AT

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        now = time.monotonic()
        if len(self._windows) > self._prune_at:
            self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
            # Next time at twice what is still live: many live windows never prune on every hit.
            self._prune_at = max(self.PRUNE_AT, 2 * len(self._windows))
        ends, count = self._windows.get(key, (0.0, 0))
        if ends <= now:
            ends, count = now + window_seconds, 0
        count += 1
        self._windows[key] = (ends, count)
        return count, max(1, int(ends - now + 0.999))


_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""
"""Count a hit in a window key: its count and seconds left, the window opening at its first hit."""


class RedisCounter:
    """Counters every process shares. One script a hit: one command and one reply, where a MULTI
    of INCR, EXPIRE and TTL has the caller parse a reply for each."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self._hit = redis.register_script(_HIT)

    async def hit(self, key: str, window_seconds: int) -> tuple[int, int]:
        count, ttl = await self._hit(keys=[f"ratelimit:{key}"], args=[window_seconds])
        return int(count), max(1, int(ttl))


class RateLimiter:
    def __init__(self, counter: Counter) -> None:
        self._counter = counter

    async def check(self, key: str, limit: Limit) -> None:
        """Count a hit against the limit; refuse it once the window holds more than it allows."""
        count, reset_in = await self._counter.hit(key, limit.seconds)
        if count > limit.hits:
            raise TooManyRequests(reset_in)


def create_rate_limiter(redis: aioredis.Redis | None) -> RateLimiter:
    return RateLimiter(RedisCounter(redis) if redis is not None else MemoryCounter())
