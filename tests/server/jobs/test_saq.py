"""The SAQ queue on Redis, in this process: what an enqueue stores, and a worker's runs and retries."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from croniter import croniter
from saq import Status

from server.context import AppContext
from server.jobs import Job, Periodic
from server.jobs.redis_queue import SaqQueue
from server.jobs.registry import UnknownJob


@pytest.fixture
async def queue(saq_redis_url: str) -> AsyncIterator[SaqQueue]:
    jobs = SaqQueue(saq_redis_url, heartbeat_seconds=7)
    yield jobs
    await jobs.stop()


async def nothing(ctx: AppContext, **kwargs: Any) -> None:
    return None


async def finished(queue: SaqQueue, key: str, within: float = 10) -> Any:
    async with asyncio.timeout(within):
        while True:
            job = await queue.saq.job(key)
            if job is not None and job.status in (Status.COMPLETE, Status.FAILED, Status.ABORTED):
                return job
            await asyncio.sleep(0.05)


async def test_an_enqueue_stores_the_declared_options_and_a_pending_key_is_stored_once(
    queue: SaqQueue,
) -> None:
    queue.register(
        [
            Job(
                "tests.record",
                nothing,
                retries=2,
                timeout_seconds=30,
                retry_delay_seconds=1.5,
                max_retry_delay_seconds=9,
            )
        ]
    )
    at = datetime.now(UTC) + timedelta(hours=1, microseconds=1)
    await queue.enqueue("tests.record", at=at, key="interview-7", n=1)
    await queue.enqueue("tests.record", at=at + timedelta(hours=1), key="interview-7", n=2)
    assert await queue.saq.count("incomplete") == 1
    job = await queue.saq.job("tests.record:interview-7")
    assert job is not None
    stored = (job.function, job.kwargs, job.scheduled, job.status)
    assert stored == ("tests.record", {"n": 1}, math.ceil(at.timestamp()), Status.QUEUED)
    # SAQ counts runs: 2 retries are 3 runs. The backoff's ceiling is the declared maximum delay.
    options = (job.retries, job.timeout, job.heartbeat, job.retry_delay, job.retry_backoff)
    assert options == (3, 30, 7, 1.5, 9)


async def test_an_unknown_job_or_a_value_json_cannot_carry_is_refused(queue: SaqQueue) -> None:
    queue.register([Job("tests.record", nothing)])
    with pytest.raises(UnknownJob):
        await queue.enqueue("tests.nobody_declared")
    with pytest.raises(TypeError):
        await queue.enqueue("tests.record", when=datetime.now(UTC))
    assert await queue.saq.count("incomplete") == 0


async def test_a_worker_runs_a_failing_job_again_with_backoff_until_it_succeeds(
    queue: SaqQueue, ctx: AppContext
) -> None:
    runs: list[dict[str, Any]] = []

    async def flaky(ctx: AppContext, **kwargs: Any) -> None:
        runs.append(kwargs)
        if len(runs) < 3:
            raise RuntimeError("the database went away")

    queue.register(
        [Job("tests.flaky", flaky, retries=3, retry_delay_seconds=0.2, max_retry_delay_seconds=0.4)]
    )
    await queue.start(ctx)
    await queue.enqueue("tests.flaky", key="once", n=5)
    job = await finished(queue, "tests.flaky:once")
    assert (job.status, job.attempts, runs) == (Status.COMPLETE, 3, [{"n": 5}] * 3)


async def test_a_worker_enqueues_each_periodic_job_for_its_next_tick_under_one_key(
    queue: SaqQueue, ctx: AppContext
) -> None:
    queue.register([Job("tests.record", nothing, retries=2)], [Periodic("tests.record", "0 18 * * *")])
    await queue.start(ctx)
    async with asyncio.timeout(5):
        while (job := await queue.saq.job("cron:tests.record")) is None:  # noqa: ASYNC110 - polls Redis
            await asyncio.sleep(0.05)
    tick = croniter("0 18 * * *", datetime.now(UTC)).get_next(datetime)
    assert (job.scheduled, job.retries) == (int(tick.timestamp()), 3)
    assert await queue.saq.count("incomplete") == 1
