"""Concurrent changes of interviews that share their people: scheduling locks the people's rows
and reads their other interviews with a lock, a status change locks its interview and then
writes rows that point at the people, so MariaDB answers some of them with a deadlock (1213).
The request's whole unit of work is run again, and no request answers 500.

The concurrent requests go to a live server (the test client runs one request at a time); the
retry itself is shown on every backend with a deadlock raised on purpose."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pymysql
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from models import AuditLog, Interview, Notification
from models.enums import InterviewStatus
from server.context import AppContext
from server.domains.interviews.lifecycle import InterviewLifecycle
from server.retry import ATTEMPTS
from tests.backends import DATABASE_URL
from tests.factories import make_interview
from tests.realtime.harness import LiveServer
from tests.server.auth.helpers import bearer, login
from tests.server.interviews.conftest import Desk, at
from tests.server.tenants import Callers, Tenants, assert_error, email_of

ON_MYSQL = (DATABASE_URL or "").startswith(("mysql", "mariadb"))
REQUESTS = 30
INTERVIEWS = 6


def deadlock() -> OperationalError:
    found = pymysql.err.OperationalError(
        1213, "Deadlock found when trying to get lock; try restarting transaction"
    )
    return OperationalError("UPDATE interviews SET status=%s WHERE interviews.id = %s", {}, found)


def deadlocking(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """Cancelling deadlocks, after doing all its work, the first `times` times; counts the tries."""
    tries: list[int] = []
    cancel = InterviewLifecycle.change_status

    async def change_status(self: InterviewLifecycle, *args: Any) -> Any:
        answer = await cancel(self, *args)
        tries.append(len(tries) + 1)
        if len(tries) <= times:
            raise deadlock()
        return answer

    monkeypatch.setattr(InterviewLifecycle, "change_status", change_status)
    return tries


async def count(ctx: AppContext, model: Any, *where: Any) -> int:
    async with ctx.sessionmaker() as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_a_deadlock_victim_is_run_again_whole_and_answers_as_if_alone(
    callers: Callers, ctx: AppContext, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await callers.sign_in("recruiter")
    interview = desk.interviews["interview"]
    notified_before = await count(ctx, Notification)
    tries = deadlocking(monkeypatch, times=2)

    response = await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/status",
        json={"status": "cancelled", "reason": "都合"},
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert tries == [1, 2, 3]
    # The two rolled-back tries left nothing behind: one audit row, one set of notices.
    cancels = AuditLog.action == "interviews.cancel", AuditLog.entity_id == interview.id
    assert await count(ctx, AuditLog, *cancels) == 1
    assert await count(ctx, Notification) - notified_before == 2


async def test_contention_that_outlasts_the_retries_is_a_503_busy(
    callers: Callers, ctx: AppContext, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await callers.sign_in("recruiter")
    tries = deadlocking(monkeypatch, times=ATTEMPTS)

    response = await callers.call(
        "recruiter", "POST", "/api/interviews/{interview}/status", json={"status": "cancelled"}
    )

    body = assert_error(response, 503, "busy")
    assert body["detail"] == "Other changes to the same records kept this one waiting; try again."
    assert response.headers["retry-after"] == "1"
    assert len(tries) == ATTEMPTS
    async with ctx.sessionmaker() as db:
        assert await db.scalar(
            select(Interview.status).where(Interview.id == desk.interviews["interview"].id)
        ) == (InterviewStatus.SCHEDULED)


@pytest.mark.skipif(not ON_MYSQL, reason="row locks and deadlocks are MySQL's")
async def test_concurrent_schedules_and_status_changes_never_answer_500(
    live: LiveServer, http: httpx.AsyncClient, ctx: AppContext, tenants: Tenants, desk: Desk
) -> None:
    recruiter, candidate = tenants.user("recruiter"), tenants.user("candidate")
    async with ctx.transaction() as db:
        ids = [
            (
                await make_interview(
                    db,
                    tenants.home,
                    recruiter,
                    candidate=candidate,
                    recruiter=recruiter,
                    status=InterviewStatus.SCHEDULED,
                )
            ).id
            for _ in range(INTERVIEWS)
        ]
    ids.append(desk.interviews["interview"].id)
    headers = bearer((await login(http, email_of("recruiter")))["access_token"])  # type: ignore[arg-type]

    async def one(i: int) -> tuple[int, str]:
        interview_id = ids[i % len(ids)]
        if i % 4 == 3:
            body = {"status": "confirmed" if i % 8 == 3 else "cancelled"}
            response = await http.post(f"/api/interviews/{interview_id}/status", json=body, headers=headers)
        else:
            move = {"scheduled_start": at(f"2030-06-{1 + i:02d} 10:00")}
            response = await http.post(f"/api/interviews/{interview_id}/schedule", json=move, headers=headers)
        return response.status_code, response.json().get("code", "") if response.status_code != 200 else ""

    statuses = Counter(await asyncio.gather(*(one(i) for i in range(REQUESTS))))

    # Refused: a status change the interview had already left behind, or a move into a cancelled one.
    # Never a 500: a change that kept meeting contention after its retries answers 503 busy.
    assert set(statuses) <= {(200, ""), (409, "illegal_transition"), (503, "busy")}, statuses
    assert statuses[200, ""] >= REQUESTS // 2, statuses
