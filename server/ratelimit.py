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
    async def hit(self, *windows: tuple[str, int]) -> list[tuple[int, int]]:
        """Count one hit in each (key, window seconds); return (hits in the current window,
        seconds until it resets) for each, in one round trip."""


class MemoryCounter:
    """One process's counters; the embedded default."""

    PRUNE_AT = 100_000

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}
        self._prune_at = self.PRUNE_AT

    async def hit(self, *windows: tuple[str, int]) -> list[tuple[int, int]]:
        now = time.monotonic()
        if len(self._windows) > self._prune_at:
            self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
            # Next time at twice what is still live: many live windows never prune on every hit.
            self._prune_at = max(self.PRUNE_AT, 2 * len(self._windows))
        counted = []
        for key, window_seconds in windows:
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                ends, count = now + window_seconds, 0
            count += 1
            self._windows[key] = (ends, count)
            counted.append((count, max(1, int(ends - now + 0.999))))
        return counted


_HIT = """
local counted = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('TTL', key)
  if ttl < 0 then
    redis.call('EXPIRE', key, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  counted[2 * i - 1] = count
  counted[2 * i] = ttl
end
return counted
"""
"""Count a hit in each window key: its count and seconds left, a window opening at its first hit."""


class RedisCounter:
    """Counters every process shares. One script a hit: one command and one reply for any number of
    windows, where a MULTI of INCR, EXPIRE and TTL per window has the caller parse a reply for each."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self._hit = redis.register_script(_HIT)

    async def hit(self, *windows: tuple[str, int]) -> list[tuple[int, int]]:
        replies = await self._hit(
            keys=[f"ratelimit:{key}" for key, _ in windows], args=[seconds for _, seconds in windows]
        )
        return [
            (int(count), max(1, int(ttl))) for count, ttl in zip(replies[0::2], replies[1::2], strict=True)
        ]


class RateLimiter:
    def __init__(self, counter: Counter) -> None:
        self._counter = counter

    async def check(self, key: str, limit: Limit) -> None:
        await self.check_all((key, limit))

    async def check_all(self, *checks: tuple[str, Limit]) -> None:
        """Count a hit against every limit at once (one round trip); refuse if any is past."""
        counted = await self._counter.hit(*((key, limit.seconds) for key, limit in checks))
        for (_, limit), (count, reset_in) in zip(checks, counted, strict=True):
            if count > limit.hits:
                raise TooManyRequests(reset_in)


def create_rate_limiter(redis: aioredis.Redis | None) -> RateLimiter:
    return RateLimiter(RedisCounter(redis) if redis is not None else MemoryCounter())
