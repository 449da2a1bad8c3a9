"""Worker processes on Redis: a job outlives the process that had it, and a restart of the only worker.

Processes die two ways here: SIGKILL mid-job (a lost machine; the job's heartbeats stop and
another worker's sweep runs it again) and SIGTERM (a deployment; the worker exits cleanly and
what it had scheduled waits in Redis for the next one).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import redis.asyncio as aioredis
from litestar.testing import AsyncTestClient
from saq import Status
from sqlalchemy import select

from models import Notification
from server.asgi import create
from server.context import AppContext
from server.jobs.redis_queue import SaqQueue
from server.settings import Settings
from tests.realtime.harness import Client, ServerProcess
from tests.server.auth.helpers import login
from tests.server.interviews.conftest import Desk, desk
from tests.server.jobs.manifest import DOMAIN, SLOW
from tests.server.jobs.workers import WorkerProcess
from tests.server.tenants import Callers, Tenants

__all__ = ["desk"]

T = TypeVar("T")
HEARTBEAT = 2
"""Seconds; a killed worker's job is taken up again after about two heartbeats and SAQ's 5 s abort wait."""


@pytest.fixture
def shared(settings: Settings, saq_redis_url: str) -> Settings:
    return dataclasses.replace(settings, redis_url=saq_redis_url)


@pytest.fixture
async def redis(saq_redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.from_url(saq_redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def workers(shared: Settings, tmp_path: Path) -> AsyncIterator[Callable[..., WorkerProcess]]:
    started: list[WorkerProcess] = []

    def worker(*args: str, heartbeat_seconds: int = 20) -> WorkerProcess:
        process = WorkerProcess(
            shared, tmp_path / f"worker-{len(started)}.log", *args, heartbeat_seconds=heartbeat_seconds
        )
        started.append(process)
        return process

    yield worker
    for process in started:
        process.stop()


async def eventually(probe: Callable[[], Awaitable[T]], within: float, what: str) -> T:
    """The first truthy answer of `probe`, asked every 50 ms for `within` seconds."""
    try:
        async with asyncio.timeout(within):
            while not (found := await probe()):  # noqa: ASYNC110 - polls Redis or the database
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"not within {within} s: {what}") from None
    return found


async def test_a_job_whose_worker_is_killed_mid_run_runs_to_completion_once_on_the_other(
    shared: Settings, workers: Callable[..., WorkerProcess], redis: aioredis.Redis
) -> None:
    a = workers("tests.server.jobs.worker_main", heartbeat_seconds=HEARTBEAT)
    b = workers("tests.server.jobs.worker_main", heartbeat_seconds=HEARTBEAT)
    await asyncio.gather(a.start(), b.start())
    queue = SaqQueue(shared.redis_url or "", heartbeat_seconds=HEARTBEAT)
    queue.register(DOMAIN.jobs)
    try:
        await queue.enqueue(
            SLOW, at=datetime.now(UTC) + timedelta(seconds=2), key="once", name="run", seconds=1.5
        )
        started = await eventually(lambda: redis.lrange("run:started", 0, -1), 10, "a worker takes the job")
        victim, survivor = (a, b) if int(started[0]) == a.pid else (b, a)
        victim.kill()
        done = await eventually(lambda: redis.lrange("run:done", 0, -1), 30, "the other worker finishes it")
        await asyncio.sleep(1)
        assert await redis.lrange("run:started", 0, -1) == [str(victim.pid), str(survivor.pid)]
        assert done == [str(survivor.pid)] == await redis.lrange("run:done", 0, -1)
        job = await queue.saq.job(f"{SLOW}:once")
        assert job is not None
        assert (job.status, job.attempts) == (Status.COMPLETE, 2)
    finally:
        await queue.stop()


@pytest.fixture
async def client(shared: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """The API on Redis, whose jobs wait in Redis for a worker (web processes only enqueue)."""
    async with AsyncTestClient(app=create(shared)) as test_client:
        yield test_client


@pytest.fixture
def callers(client: AsyncTestClient, tenants: Tenants) -> Callers:  # type: ignore[type-arg]
    return Callers(client, tenants)


async def reminded(ctx: AppContext, tenants: Tenants) -> dict[str, list[tuple[str, Any]]]:
    found: dict[str, list[tuple[str, Any]]] = {}
    async with ctx.sessionmaker() as db:
        for who in ("recruiter", "candidate", "employer", "home_admin"):
            rows = await db.scalars(
                select(Notification)
                .where(
                    Notification.user_id == tenants.user(who).id, Notification.type == "interview_reminder"
                )
                .order_by(Notification.id)
            )
            found[who] = [(row.title, (row.data or {}).get("lead")) for row in rows]
    return found


@pytest.fixture
async def web(shared: Settings) -> AsyncIterator[ServerProcess]:
    """A web process of the same database and Redis, for the candidate's socket (the test starts it)."""
    node = ServerProcess(shared)
    yield node
    node.stop()


async def test_a_reminder_scheduled_before_the_only_worker_restarts_arrives_once_after_it(
    callers: Callers, ctx: AppContext, desk: Desk, workers: Callable[..., WorkerProcess], web: ServerProcess
) -> None:
    first = workers()
    await asyncio.gather(first.start(), web.start())
    async with httpx.AsyncClient(base_url=web.url) as http:
        token = (await login(http, callers.tenants.user("candidate").email or ""))["access_token"]
    socket = Client()
    await socket.connect(web.url, token)
    # The quarter-hour reminder falls due in 4 s (the 24-hour one is already past: not scheduled).
    start = (datetime.now(UTC) + timedelta(minutes=15, seconds=4)).replace(microsecond=0)
    moved = await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/schedule",
        json={"scheduled_start": start.isoformat()},
    )
    assert moved.status_code == 200, moved.text
    assert await first.terminate() == 0, first.output
    second = workers()
    await second.start()
    expected = [("Interview in 15 minutes: 一次面接", "15m")]
    everyone = {"recruiter": expected, "candidate": expected, "employer": expected, "home_admin": []}

    async def arrived() -> bool:
        return await reminded(ctx, callers.tenants) == everyone

    try:
        await eventually(arrived, 20, f"the reminders arrive:\n{second.output}")
        # The worker's push reaches the candidate's socket on the web process, through Redis.
        pushed = await socket.wait_until(
            "notification:new", lambda push: push["type"] == "interview_reminder"
        )
        assert pushed["title"] == "Interview in 15 minutes: 一次面接"
        await asyncio.sleep(1)
        assert await reminded(ctx, callers.tenants) == everyone
        pushes = [push["type"] for push in socket.received["notification:new"]]
        assert pushes == ["interview_rescheduled", "interview_reminder"]
    finally:
        await socket.close()
