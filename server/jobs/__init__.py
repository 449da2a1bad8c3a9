"""Background jobs: work that runs later, once, on whichever process is alive.

Domains declare their jobs in their manifests (`server.manifest.Domain.jobs`); services
schedule one as an effect (`server.effects.schedule`), so a rolled-back change schedules
nothing. The queue behind `JobQueue` is SAQ on Redis in production and an in-process runner on
the embedded default (see `server.jobs.queue`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from server.context import AppContext

JobFunction = Callable[..., Awaitable[Any]]
"""`async def job(ctx: AppContext, **kwargs) -> Any`: the same services the API calls."""


@dataclass(frozen=True, slots=True)
class Job:
    """A named job: its function, how often it is retried and after how long it is given up.

    A failed run is tried again `retries` times (so at most `retries + 1` runs), after an
    exponential backoff with full jitter: a random wait of up to `retry_delay_seconds`, then up
    to twice that, four times..., never more than `max_retry_delay_seconds` (SAQ's own rule, kept
    by the in-process runner too). A run may happen twice (a worker killed after the commit,
    before it could mark the job done), so a job function checks what it already did.
    """

    name: str
    function: JobFunction
    retries: int = 5
    timeout_seconds: int = 300
    retry_delay_seconds: float = 5.0
    max_retry_delay_seconds: float = 600.0


@dataclass(frozen=True, slots=True)
class Periodic:
    """A job run on a schedule (cron syntax, in UTC), once per tick across every process."""

    job: str
    cron: str


class JobQueue(Protocol):
    def register(self, jobs: Iterable[Job], periodic: Iterable[Periodic] = ()) -> None:
        """Declare jobs this queue may run (`server.domains.manifests.install` passes every
        domain's); enqueueing a name nobody declared is an error."""

    async def enqueue(
        self, job: str, *, at: datetime | None = None, key: str | None = None, **kwargs: Any
    ) -> None:
        """Run `job` at `at` (now when None or past) with `kwargs`, which are JSON values (the
        function gets them back as JSON decodes them). A second enqueue of the same job with the
        same `key` while the first is pending or running changes nothing; once it has finished,
        the key is free again."""

    async def start(self, ctx: AppContext) -> None:
        """Start running jobs in this process, if this process runs them (the embedded default
        does; with Redis, web processes only enqueue and `miraiworks worker` runs them)."""

    async def stop(self) -> None:
        """Let running jobs finish (for a while), then stop; release connections."""
