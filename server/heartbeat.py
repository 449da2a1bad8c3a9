"""A task that runs one beat on a fixed schedule, for the leases a process must keep renewing.

A lease lives for a TTL and its owner renews it every quarter of that, so three beats in a row
can be missed before anything expires. The schedule is fixed (a slow beat does not push the next
one later, and missed beats are skipped rather than bunched), each beat is bounded by its
interval or a second (a hung Redis call cannot hold the heartbeat up), and a failed beat is tried again
after `RETRY_SECONDS` rather than a whole interval, so a process catches up as soon as Redis is
back. Slow work (sweeping what other processes left behind) runs on a heartbeat of its own, so
it never delays the renewals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from server.failures import outage

log = logging.getLogger(__name__)

BEATS_PER_TTL = 4
MIN_INTERVAL_SECONDS = 0.2
RETRY_SECONDS = 1.0
MIN_TIMEOUT_SECONDS = 1.0


def interval_for(ttl: float) -> float:
    return max(MIN_INTERVAL_SECONDS, ttl / BEATS_PER_TTL)


class Heartbeat:
    def __init__(self, name: str, interval: float, beat: Callable[[], Awaitable[None]]) -> None:
        self.name = name
        self.interval = interval
        self.beat = beat
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time() + self.interval
        while True:
            await asyncio.sleep(max(0.0, due - loop.time()))
            try:
                async with asyncio.timeout(max(self.interval, MIN_TIMEOUT_SECONDS)):
                    await self.beat()
            except Exception as exc:
                down = outage(exc)
                if down is not None or isinstance(exc, TimeoutError):
                    log.warning("%s: %s unreachable or slow (%r); retrying", self.name, down or "a beat", exc)
                else:
                    log.exception("%s failed; retrying", self.name)
                due = loop.time() + min(RETRY_SECONDS, self.interval)
                continue
            due += self.interval
            if due < loop.time():  # the loop stalled past whole beats: skip them, do not bunch up
                due = loop.time() + self.interval
