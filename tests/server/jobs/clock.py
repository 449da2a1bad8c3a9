"""A clock the test moves by hand, for the in-process job runner (`server.jobs.clock.Clock`)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta


class ManualClock:
    def __init__(self, now: datetime) -> None:
        self._now = now
        self._moved = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    async def sleep_until(self, moment: datetime) -> None:
        while self._now < moment:
            await self._moved.wait()

    def move_to(self, moment: datetime) -> None:
        """Time jumps to `moment`: every job due by then wakes (time never goes back)."""
        assert moment >= self._now, "a clock does not go back"
        self._now = moment
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    def advance(self, by: timedelta) -> None:
        self.move_to(self._now + by)
