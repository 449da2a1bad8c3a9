"""Jobs on Redis with SAQ: web processes enqueue, `miraiworks worker` processes run them.

`start` runs a SAQ worker inside this process: `miraiworks worker` does, and so does a web
process when `JOBS_IN_SERVER=true` (a one-machine deployment without a worker process).

Everything about a job lives in Redis under `saq:miraiworks:*` (of the `REDIS_URL` database):
a job scheduled for tomorrow survives any restart of any process. What SAQ gives, and how we
use it:

- `key`: a job whose key is still queued, scheduled or running is not enqueued again.
- `scheduled`: epoch seconds; every worker moves due jobs to the queue once a second.
- retries with exponential backoff and jitter (`retries`, `retry_delay`, `retry_backoff`),
  and `timeout`, all taken from the job's declaration (`server.jobs.Job`).
- `heartbeat`: a running job is touched every third of `JOB_HEARTBEAT_SECONDS`; when its worker
  dies (killed, machine lost) the touches stop, and another worker's sweep (every half of
  it) aborts the job and queues it again, so it runs to completion on a live worker.
- cron jobs: every worker enqueues each periodic job for its next tick under the key
  `cron:<job>`, so a tick runs once however many workers there are.

Stopping a worker (SIGTERM, SIGINT) stops taking jobs, lets running ones finish for up to
`DRAIN_SECONDS`, then cancels what is left, which goes back to the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import saq
from saq.queue.redis import RedisQueue
from saq.types import Context, Function, PartialTimersDict
from saq.utils import cancel_tasks

from server import metrics
from server.jobs import Job, Periodic
from server.jobs.registry import Registry, encoded, unique_key

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

QUEUE_NAME = "miraiworks"
DRAIN_SECONDS = 20.0
"""How long a stopping worker lets running jobs finish (compose gives the worker 30 s)."""
DEQUEUE_SECONDS = 1.0
"""A worker's idle wait for a job; a stopping worker's idle slots return within it."""
CONCURRENCY = 10
"""Jobs one process runs at a time; run more worker processes for more."""


class SaqQueue:
    def __init__(self, redis_url: str, *, heartbeat_seconds: int, name: str = QUEUE_NAME) -> None:
        self.saq = RedisQueue.from_url(redis_url, name=name)
        self.heartbeat_seconds = max(1, heartbeat_seconds)
        self._registry = Registry()
        self._worker: saq.Worker[Context] | None = None
        self._working: asyncio.Task[None] | None = None
        self.saq.register_before_enqueue(self._declared_options)

    def register(self, jobs: Iterable[Job], periodic: Iterable[Periodic] = ()) -> None:
        self._registry.add(jobs, periodic)

    async def enqueue(
        self, job: str, *, at: datetime | None = None, key: str | None = None, **kwargs: Any
    ) -> None:
        self._registry.job(job)
        arguments = json.loads(encoded(kwargs))
        queued = await self.saq.enqueue(job, key=unique_key(job, key), scheduled=_epoch(at), kwargs=arguments)
        if queued is not None:  # None: that key is already queued or running
            metrics.job_queued(job)

    async def start(self, ctx: AppContext) -> None:
        """Run every registered job (and periodic job) in this process, with `ctx`, until `stop`."""
        if self._worker is not None:
            return
        functions = {name: _task(ctx, job) for name, job in self._registry.jobs.items()}
        periodic = self._registry.periodic()
        cron_jobs = [saq.CronJob(functions[job.name], cron=entry.cron) for entry, job in periodic]
        # SAQ's defaults but the sweep, which must come round well within a heartbeat.
        sweep = max(1, self.heartbeat_seconds // 2)
        timers: PartialTimersDict = {"schedule": 1, "worker_info": 10, "sweep": sweep, "abort": 1}
        self._worker = _Worker(
            self.saq,
            list(functions.values()),
            cron_jobs=cron_jobs,
            concurrency=CONCURRENCY,
            timers=timers,
            dequeue_timeout=DEQUEUE_SECONDS,
        )
        await self.saq.connect()
        self._working = asyncio.create_task(self._worker.start(), name="saq worker")

    async def stop(self) -> None:
        try:
            if self._worker is not None and self._working is not None:
                await self._worker.stop()
                await self._working
                await self.saq.disconnect()
            else:
                await self.saq.redis.aclose()
        except Exception:
            log.warning("job queue did not close cleanly", exc_info=True)
        self._worker = self._working = None

    async def _declared_options(self, job: saq.Job) -> None:
        """Every enqueue (ours and the workers' cron ticks) gets the job's declared options."""
        declared = self._registry.job(job.function)
        job.retries = declared.retries + 1  # SAQ counts runs, not retries
        job.timeout = declared.timeout_seconds
        job.heartbeat = self.heartbeat_seconds
        job.retry_delay = declared.retry_delay_seconds
        job.retry_backoff = declared.max_retry_delay_seconds


def _epoch(at: datetime | None) -> int:
    """SAQ's `scheduled`: 0 for now, else epoch seconds rounded up (a job never runs early)."""
    if at is None:
        return 0
    if at.tzinfo is None:
        raise ValueError("a job's time must be timezone-aware")
    moment = math.ceil(at.timestamp())
    return moment if moment > time.time() else 0


def _task(ctx: AppContext, job: Job) -> Function[Context]:
    """The SAQ function of a job: our function with the app context, kept alive by heartbeats."""

    async def run(saq_ctx: Context, **kwargs: Any) -> None:
        beating = asyncio.create_task(_heartbeat(saq_ctx["job"]))
        try:
            with metrics.JobRun(job.name):
                await job.function(ctx, **kwargs)
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating

    # SAQ names functions, cron keys included, by their qualified name.
    run.__qualname__ = run.__name__ = job.name
    return run


async def _heartbeat(job: saq.Job) -> None:
    if not job.heartbeat:
        return
    while True:
        await asyncio.sleep(job.heartbeat / 3)
        try:
            await job.update()
        except Exception:
            log.warning("heartbeat of job %s failed", job.key, exc_info=True)


class _Worker(saq.Worker[Context]):
    SIGNALS = []  # the process's owner (the CLI, uvicorn) handles signals

    async def stop(self) -> None:
        """Stop taking jobs, give running ones `DRAIN_SECONDS`, then cancel the rest (SAQ
        queues a cancelled job again). SAQ's own stop would wait for its idle upkeep loops."""
        self.event.set()
        slots = [task for task in self.tasks if task.get_name() == "process" and not task.done()]
        if slots:
            await asyncio.wait(slots, timeout=DRAIN_SECONDS)
        await cancel_tasks([task for task in self.tasks if not task.done()], timeout=5)
        await super().stop()
