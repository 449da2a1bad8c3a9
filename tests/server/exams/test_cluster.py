"""On two processes sharing the database and Redis: a web server the candidate and a recruiter
use, and a job worker. The candidate leaves; the worker submits the session at its deadline and
the recruiter watching on the web server is told.

A one-minute exam would keep the test waiting a minute, so once the candidate has left the
session's start is moved back 58 seconds in the database (as if they had started then) and its
deadline job enqueued for the moved deadline, two seconds away, exactly as `start` does.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path

import httpx
import redis.asyncio as aioredis
from sqlalchemy import select

from models import Exam, ExamSession
from server.context import AppContext
from server.domains.exams import jobs, timing
from server.jobs.redis_queue import SaqQueue
from server.settings import Settings
from tests.backends import REDIS_URL, require
from tests.realtime.fixtures import LOCAL_REDIS
from tests.realtime.harness import Client, ServerProcess
from tests.server.exams.helpers import RIGHT, assign, published_exam, start
from tests.server.jobs.workers import WorkerProcess
from tests.server.tenants import Callers, Tenants


async def _socket(people: Callers, url: str, who: str) -> Client:
    await people.sign_in(who)
    client = Client()
    await client.connect(url, people.tokens[who])
    return client


async def test_the_worker_submits_at_the_deadline_a_session_whose_candidate_left(
    settings: Settings, ctx: AppContext, tenants: Tenants, tmp_path: Path
) -> None:
    redis_url = REDIS_URL or LOCAL_REDIS
    require(redis_url, "Redis")
    redis = aioredis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    shared = dataclasses.replace(settings, redis_url=redis_url)
    web, worker = ServerProcess(shared), WorkerProcess(shared, tmp_path / "worker.log")
    await asyncio.gather(web.start(), worker.start())
    sockets: list[Client] = []
    try:
        async with httpx.AsyncClient(base_url=web.url) as http:
            people = Callers(http, tenants)  # type: ignore[arg-type]
            exam = await published_exam(people, duration_minutes=1)
            state = await start(people, await assign(people, exam["id"]))
            sid = state["id"]
            candidate = await _socket(people, web.url, "candidate")
            sockets.append(candidate)
            assert (await candidate.call("exam:join", {"session_token": state["session_token"]}))["ok"]
            ack = await candidate.call(
                "exam:answer", {"session_token": state["session_token"], "question_id": 1, "answer": RIGHT[1]}
            )
            assert ack["ok"], ack
            await candidate.close()
            watcher = await _socket(people, web.url, "recruiter")
            sockets.append(watcher)
            assert (await watcher.call("exam:watch", {"session_id": sid}))["ok"]

            async with ctx.transaction() as db:
                row, found = (
                    (await db.execute(select(ExamSession, Exam).join(Exam).where(ExamSession.id == sid)))
                    .tuples()
                    .one()
                )
                row.started_at = timing.now() - timedelta(seconds=58)
                deadline = timing.deadline(row, found)
            queue = SaqQueue(redis_url, heartbeat_seconds=20)
            queue.register(jobs.JOBS)
            await queue.enqueue(jobs.DEADLINE, at=deadline, key=f"{sid}:moved", session_id=sid)
            await queue.stop()

            done = (await watcher.wait_for("exam:submitted", timeout=20))[0]
            assert (done["session_id"], done["reason"], done["status"]) == (sid, "deadline", "graded")
            async with ctx.sessionmaker() as db:
                submitted = await db.get(ExamSession, sid)
            assert submitted is not None
            assert (submitted.status.value, submitted.submitted_at, submitted.score) == (
                "graded",
                deadline,
                10,
            )
            assert submitted.answers["1"]["correct"] is True

            back = await _socket(people, web.url, "candidate")
            sockets.append(back)
            resumed = await back.call("exam:join", {"session_token": state["session_token"]})
            assert (resumed["session"]["status"], resumed["session"]["result"]["score"]) == ("graded", 10)
    finally:
        for client in sockets:
            await client.close()
        web.stop()
        worker.stop()
