"""The in-process runner of the embedded default: at its time, once per key, retried with backoff."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.context import AppContext
from server.jobs import Job, Periodic
from server.jobs.inprocess import InProcessQueue
from server.jobs.registry import UnknownJob
from tests.server.jobs.clock import ManualClock

T0 = datetime(2030, 4, 1, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@dataclass
class Runs:
    """What a test job saw: the clock's time and the arguments of every run."""

    clock: ManualClock
    seen: list[tuple[datetime, dict[str, Any]]] = field(default_factory=list)
    failures: int = 0
    """How many runs fail before one succeeds."""

    async def run(self, ctx: AppContext, **kwargs: Any) -> None:
        self.seen.append((self.clock.now(), kwargs))
        if len(self.seen) <= self.failures:
            raise RuntimeError("the database went away")

    @property
    def times(self) -> list[datetime]:
        return [moment for moment, _ in self.seen]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def runs(clock: ManualClock) -> Runs:
    return Runs(clock)


@pytest.fixture
async def queue(clock: ManualClock, runs: Runs, ctx: AppContext) -> Any:
    jobs = InProcessQueue(clock=clock, jitter=lambda: 1.0)
    jobs.register(
        [
            Job("tests.record", runs.run, retries=3, retry_delay_seconds=10, max_retry_delay_seconds=25),
            Job("tests.other", runs.run),
        ]
    )
    await jobs.start(ctx)
    yield jobs
    await jobs.stop()


async def settle(queue: InProcessQueue) -> None:
    async with asyncio.timeout(5):
        await queue.settle()


async def test_a_job_runs_at_its_time_with_its_arguments_as_json_gives_them(
    queue: InProcessQueue, clock: ManualClock, runs: Runs
) -> None:
    await queue.enqueue("tests.record", at=T0 + timedelta(hours=1), n=1, pair=(1, 2))
    clock.move_to(T0 + timedelta(hours=1) - SECOND)
    await settle(queue)
    assert runs.seen == []
    clock.move_to(T0 + timedelta(hours=2))
    await settle(queue)
    assert runs.seen == [(T0 + timedelta(hours=2), {"n": 1, "pair": [1, 2]})]
    assert queue.pending() == {}


async def test_a_job_without_a_time_runs_now(queue: InProcessQueue, runs: Runs) -> None:
    await queue.enqueue("tests.record", n=1)
    await settle(queue)
    assert runs.times == [T0]


async def test_a_key_pending_or_running_is_enqueued_once_and_is_free_again_once_run(
    queue: InProcessQueue, clock: ManualClock, runs: Runs
) -> None:
    await queue.enqueue("tests.record", at=T0 + SECOND, key="interview-7", n=1)
    await queue.enqueue("tests.record", at=T0 + 2 * SECOND, key="interview-7", n=2)
    await queue.enqueue("tests.other", at=T0 + SECOND, key="interview-7", n=3)
    assert queue.pending() == {
        "tests.record:interview-7": T0 + SECOND,
        "tests.other:interview-7": T0 + SECOND,
    }
    clock.advance(5 * SECOND)
    await settle(queue)
    assert sorted(kwargs["n"] for _, kwargs in runs.seen) == [1, 3]
    await queue.enqueue("tests.record", key="interview-7", n=4)
    await settle(queue)
    assert [kwargs["n"] for _, kwargs in runs.seen][-1] == 4


async def test_a_failing_job_is_retried_with_backoff_until_it_succeeds(
    queue: InProcessQueue, clock: ManualClock, runs: Runs
) -> None:
    runs.failures = 3
    await queue.enqueue("tests.record", key="flaky")
    await settle(queue)
    # Up to 10 s, then twice, four times that, capped at 25 s (the jitter is pinned to its maximum).
    assert runs.times == [T0]
    assert queue.pending() == {"tests.record:flaky": T0 + 10 * SECOND}
    clock.move_to(T0 + 10 * SECOND)
    await settle(queue)
    assert queue.pending() == {"tests.record:flaky": T0 + 30 * SECOND}
    await queue.enqueue("tests.record", key="flaky")  # still pending: changes nothing
    clock.move_to(T0 + 30 * SECOND)
    await settle(queue)
    clock.move_to(T0 + 55 * SECOND)
    await settle(queue)
    assert runs.times == [T0, T0 + 10 * SECOND, T0 + 30 * SECOND, T0 + 55 * SECOND]
    assert queue.pending() == {}


async def test_a_job_that_keeps_failing_is_given_up_after_its_retries(
    queue: InProcessQueue, clock: ManualClock, runs: Runs
) -> None:
    runs.failures = 100
    await queue.enqueue("tests.record")
    for _ in range(10):
        clock.advance(timedelta(minutes=1))
        await settle(queue)
    assert len(runs.seen) == 4  # the first run and 3 retries
    assert queue.pending() == {}


async def test_a_periodic_job_runs_once_per_cron_tick(
    clock: ManualClock, runs: Runs, ctx: AppContext
) -> None:
    queue = InProcessQueue(clock=clock)
    queue.register([Job("tests.record", runs.run)], [Periodic("tests.record", "0 18 * * *")])
    await queue.start(ctx)
    try:
        clock.move_to(T0 + timedelta(hours=18) - SECOND)
        await settle(queue)
        assert runs.seen == []
        clock.move_to(T0 + timedelta(hours=18))
        await settle(queue)
        clock.move_to(T0 + timedelta(hours=30))
        await settle(queue)
        assert runs.times == [T0 + timedelta(hours=18)]
        clock.move_to(T0 + timedelta(hours=42))
        await settle(queue)
        assert runs.times == [T0 + timedelta(hours=18), T0 + timedelta(hours=42)]
    finally:
        await queue.stop()


async def test_an_unknown_job_or_a_value_json_cannot_carry_is_refused_when_enqueued(
    queue: InProcessQueue,
) -> None:
    with pytest.raises(UnknownJob):
        await queue.enqueue("tests.nobody_declared")
    with pytest.raises(TypeError):
        await queue.enqueue("tests.record", when=T0)
    with pytest.raises(ValueError, match="timezone-aware"):
        await queue.enqueue("tests.record", at=datetime(2030, 4, 1))
    assert queue.pending() == {}


async def test_jobs_enqueued_before_start_wait_for_it_and_stop_drops_what_has_not_run(
    clock: ManualClock, runs: Runs, ctx: AppContext
) -> None:
    queue = InProcessQueue(clock=clock)
    queue.register([Job("tests.record", runs.run)])
    await queue.enqueue("tests.record", n=1)
    await queue.enqueue("tests.record", at=T0 + timedelta(days=1), n=2)
    await asyncio.sleep(0.01)
    assert runs.seen == []
    await queue.start(ctx)
    await settle(queue)
    assert runs.seen == [(T0, {"n": 1})]
    await queue.stop()
    assert queue.pending() == {}
    clock.advance(timedelta(days=2))
    await asyncio.sleep(0.01)
    assert len(runs.seen) == 1
