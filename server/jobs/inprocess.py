"""The job runner of the embedded default: asyncio timers inside the one server process.

Without Redis there is one process (`miraiworks serve` refuses `--workers` > 1), so that process
runs the jobs itself, with the queue's rules: a job runs at its time, a key already pending or
running is not enqueued twice, a failed run is retried after SAQ's backoff (`Job`), a run that
outlives `timeout_seconds` is cancelled and counts as failed, and each periodic job is enqueued
for its next cron tick under one key, so a tick is never run twice.

What it cannot do: scheduled jobs live in this process's memory. Stopping the server drops
every job that has not run yet (a reminder scheduled for tomorrow is lost with a restart);
periodic jobs come back with the next start. Production keeps jobs in Redis (`redis_queue`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from croniter import croniter
from saq.utils import exponential_backoff

from server import metrics
from server.jobs import Job, Periodic
from server.jobs.clock import Clock, SystemClock
from server.jobs.registry import Registry, encoded, unique_key

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

DRAIN_SECONDS = 10.0
"""How long `stop` lets running jobs finish before it cancels them."""


@dataclass(slots=True)
class _Entry:
    job: Job
    arguments: str
    """JSON, decoded afresh for every run."""
    due: datetime
    running: bool = False
    task: asyncio.Task[None] | None = None


class InProcessQueue:
    def __init__(
        self,
        *,
        clock: Clock | None = None,
        jitter: Callable[[], float] = random.random,
        drain_seconds: float = DRAIN_SECONDS,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self._jitter = jitter
        self._drain_seconds = drain_seconds
        self._registry = Registry()
        self._entries: dict[str, _Entry] = {}
        self._ticks: list[asyncio.Task[None]] = []
        self._next_ticks: dict[str, datetime] = {}
        self._ctx: AppContext | None = None
        self._changed = asyncio.Event()

    def register(self, jobs: Iterable[Job], periodic: Iterable[Periodic] = ()) -> None:
        self._registry.add(jobs, periodic)

    async def enqueue(
        self, job: str, *, at: datetime | None = None, key: str | None = None, **kwargs: Any
    ) -> None:
        declared = self._registry.job(job)
        if at is not None and at.tzinfo is None:
            raise ValueError("a job's time must be timezone-aware")
        arguments = encoded(kwargs)
        queue_key = unique_key(job, key)
        if queue_key in self._entries:
            return
        entry = _Entry(declared, arguments, at or self.clock.now())
        self._entries[queue_key] = entry
        metrics.job_queued(job)
        if self._ctx is not None:
            self._launch(queue_key, entry)

    def pending(self) -> dict[str, datetime]:
        """Every job not finished yet, by its queue key (`<job>:<key>`), with when it runs next."""
        return {key: entry.due for key, entry in self._entries.items()}

    async def settle(self) -> None:
        """Wait until every job due by the clock has run or waits for a retry still to come (for
        tests that move the clock; the caller bounds the wait)."""
        while self._busy():
            self._changed.clear()
            await self._changed.wait()

    def _busy(self) -> bool:
        now = self.clock.now()
        due = (e.running or e.due <= now for e in self._entries.values())
        return any(due) or any(tick <= now for tick in self._next_ticks.values())

    async def start(self, ctx: AppContext) -> None:
        if self._ctx is not None:
            return
        self._ctx = ctx
        for queue_key, entry in self._entries.items():
            self._launch(queue_key, entry)
        for periodic, job in self._registry.periodic():
            self._next_ticks[job.name] = self._next_tick(periodic)
            self._ticks.append(asyncio.create_task(self._tick(periodic, job)))

    async def stop(self) -> None:
        for tick in self._ticks:
            tick.cancel()
        running = [e.task for e in self._entries.values() if e.running and e.task is not None]
        if running:
            await asyncio.wait(running, timeout=self._drain_seconds)
        tasks = [e.task for e in self._entries.values() if e.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*self._ticks, *tasks, return_exceptions=True)
        if self._entries:
            log.info("in-process jobs dropped on stop: %s", sorted(self._entries))
        self._entries.clear()
        self._ticks.clear()
        self._next_ticks.clear()
        self._ctx = None

    def _launch(self, queue_key: str, entry: _Entry) -> None:
        entry.task = asyncio.create_task(self._run(queue_key, entry), name=f"job {queue_key}")

    async def _run(self, queue_key: str, entry: _Entry) -> None:
        job = entry.job
        attempts = 0
        try:
            while True:
                await self.clock.sleep_until(entry.due)
                attempts += 1
                entry.running = True
                self._changed.set()
                try:
                    with metrics.JobRun(job.name):
                        async with asyncio.timeout(job.timeout_seconds):
                            await job.function(self._ctx, **json.loads(entry.arguments))
                    return
                except Exception:
                    if attempts > job.retries:
                        log.exception("job %s failed %d times; given up", queue_key, attempts)
                        return
                    delay = self._retry_delay(job, attempts)
                    log.warning("job %s failed; retry in %.1f s", queue_key, delay, exc_info=True)
                    entry.due = self.clock.now() + timedelta(seconds=delay)
                    entry.running = False
                    self._changed.set()
        finally:
            if self._entries.get(queue_key) is entry:
                del self._entries[queue_key]
            self._changed.set()

    def _retry_delay(self, job: Job, attempts: int) -> float:
        """SAQ's backoff: up to `retry_delay` doubled per attempt, capped, with full jitter."""
        ceiling = exponential_backoff(
            attempts, job.retry_delay_seconds, job.max_retry_delay_seconds, jitter=False
        )
        return ceiling * self._jitter()

    def _next_tick(self, periodic: Periodic) -> datetime:
        upcoming: datetime = croniter(periodic.cron, self.clock.now()).get_next(datetime)
        return upcoming

    async def _tick(self, periodic: Periodic, job: Job) -> None:
        while True:
            upcoming = self._next_ticks[job.name]
            await self.clock.sleep_until(upcoming)
            try:
                await self.enqueue(job.name, at=upcoming, key="cron")
            except Exception:
                log.exception("periodic job %s could not be enqueued", job.name)
            self._next_ticks[job.name] = self._next_tick(periodic)
            self._changed.set()
