"""Background jobs: work that runs later, once, on whichever process is alive.

Domains declare their jobs in their manifests (`server.manifest.Domain.jobs`); services
schedule one as an effect (`server.effects.schedule`), so a rolled-back change schedules
nothing. The queue behind `JobQueue` is SAQ on Redis in production and an in-process runner on
the embedded default (see `server.jobs.queue`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from server.context import AppContext

JobFunction = Callable[..., Awaitable[Any]]
"""`async def job(ctx: AppContext, **kwargs) -> Any`: the same services the API calls."""


@dataclass(frozen=True, slots=True)
class Job:
    """A named job: its function, how often it is retried and after how long it is given up."""

    name: str
    function: JobFunction
    retries: int = 5
    timeout_seconds: int = 300


@dataclass(frozen=True, slots=True)
class Periodic:
    """A job run on a schedule (cron syntax, in UTC), once per tick across every process."""

    job: str
    cron: str


class JobQueue(Protocol):
    async def enqueue(
        self, job: str, *, at: datetime | None = None, key: str | None = None, **kwargs: Any
    ) -> None:
        """Run `job` at `at` (now when None); a second enqueue with the same `key` while the
        first is pending changes nothing."""

    async def start(self, ctx: AppContext) -> None: ...

    async def stop(self) -> None: ...
