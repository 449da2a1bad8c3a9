"""Concurrent changes of interviews that share their people: scheduling locks the people's rows
and reads their other interviews with a lock, a status change locks its interview and then
writes rows that point at the people, so MariaDB answers some of them with a deadlock (1213).
The request's unit of work is run again, and no request answers 500.

The requests go to a live server (the test client runs one request at a time)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from models.enums import InterviewStatus
from server.context import AppContext
from tests.backends import DATABASE_URL
from tests.factories import make_interview
from tests.realtime.harness import LiveServer
from tests.server.auth.helpers import bearer, login
from tests.server.interviews.conftest import Desk, at
from tests.server.tenants import Tenants, email_of

ON_MYSQL = (DATABASE_URL or "").startswith(("mysql", "mariadb"))
REQUESTS = 30
INTERVIEWS = 6


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

    async def one(i: int) -> int:
        interview_id = ids[i % len(ids)]
        if i % 4 == 3:
            body = {"status": "confirmed" if i % 8 == 3 else "cancelled"}
            response = await http.post(f"/api/interviews/{interview_id}/status", json=body, headers=headers)
        else:
            move = {"scheduled_start": at(f"2030-06-{1 + i:02d} 10:00")}
            response = await http.post(f"/api/interviews/{interview_id}/schedule", json=move, headers=headers)
        if response.status_code >= 500:
            print(response.text)
        return response.status_code

    statuses = Counter(await asyncio.gather(*(one(i) for i in range(REQUESTS))))

    print(statuses)
    assert set(statuses) <= {200, 409}, statuses
    assert statuses[200] >= REQUESTS // 2, statuses
