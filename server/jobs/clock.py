"""The time source of the in-process runner, so a test can move time instead of waiting for it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol

LONGEST_NAP_SECONDS = 3600.0
"""A long wait is taken in naps of at most this, so a wall-clock change is noticed within one."""


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""

    async def sleep_until(self, moment: datetime) -> None:
        """Return once `now()` has reached `moment` (at once when it already has)."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime) -> None:
        while (left := (moment - self.now()).total_seconds()) > 0:  # noqa: ASYNC110 - naps, see above
            await asyncio.sleep(min(left, LONGEST_NAP_SECONDS))
