"""Placeholder until the queue lands: runs nothing. Replaced by the SAQ / in-process queue."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from server.settings import Settings

if TYPE_CHECKING:
    from server.context import AppContext
    from server.jobs import JobQueue


class _NotYet:
    async def enqueue(
        self, job: str, *, at: datetime | None = None, key: str | None = None, **kwargs: Any
    ) -> None:
        return None

    async def start(self, ctx: AppContext) -> None:
        return None

    async def stop(self) -> None:
        return None


def create_job_queue(settings: Settings) -> JobQueue:
    return _NotYet()
