"""Double booking: the same recruiter or candidate in two overlapping interviews is a 409."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from models import Interview
from models.enums import CompanyType, InterviewStatus
from server.auth.principal import Principal, RoleName
from server.context import AppContext
from server.domains.interviews.schemas import InterviewCreate
from server.domains.interviews.services import InterviewsService
from server.errors import Conflict
from tests.backends import DATABASE_URL
from tests.factories import make_interview
from tests.server.interviews.conftest import START, Desk, at
from tests.server.tenants import Callers, assert_error

BASE = "/api/interviews/"
ON_MYSQL = (DATABASE_URL or "").startswith(("mysql", "mariadb"))


async def schedule(callers: Callers, who: str = "recruiter", **body: Any) -> Any:
    payload = {"title": "二次面接", "candidate_id": callers.tenants.user("candidate").id, **body}
    return await callers.call(who, "POST", BASE, json=payload)


async def test_an_overlapping_interview_of_the_candidate_is_refused_and_named(
    callers: Callers, desk: Desk
) -> None:
    # `interview` holds the candidate and the recruiter 10:00-11:00 on 2030-04-01.
    response = await schedule(
        callers,
        "home_admin",
        recruiter_id=callers.tenants.user("home_admin").id,
        scheduled_start=at("2030-04-01 10:30"),
    )
    body = assert_error(response, 409, "schedule_conflict")
    assert body["detail"] == f"The candidate has interview {callers.names['interview']} at that time."
    assert body["errors"] == [{"field": "scheduled_start", "message": body["detail"]}]


async def test_the_recruiter_cannot_be_in_two_places(callers: Callers, desk: Desk) -> None:
    # No candidate this time: the recruiter (the creator, by default) is the one already taken.
    response = await callers.call(
        "recruiter",
        "POST",
        BASE,
        json={"title": "別件", "scheduled_start": at("2030-04-01 09:30"), "duration_minutes": 45},
    )
    body = assert_error(response, 409, "schedule_conflict")
    assert body["detail"] == f"The recruiter has interview {callers.names['interview']} at that time."


async def test_moving_into_a_taken_slot_is_refused_and_changes_nothing(callers: Callers, desk: Desk) -> None:
    response = await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{pending}/schedule",
        json={"scheduled_start": at("2030-04-01 10:59")},
    )
    assert_error(response, 409, "schedule_conflict")
    after = await callers.call("recruiter", "GET", "/api/interviews/{pending}")
    assert (after.json()["status"], after.json()["scheduled_start"]) == ("pending_schedule", None)


async def test_back_to_back_cancelled_and_own_slots_are_free(callers: Callers, desk: Desk) -> None:
    after = await schedule(callers, scheduled_start=at("2030-04-01 11:00"))
    assert after.status_code == 201, after.text
    before = await schedule(callers, scheduled_start=at("2030-04-01 09:00"))
    assert before.status_code == 201, before.text
    # Moving an interview within its own slot does not clash with itself.
    itself = await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/schedule",
        json={"scheduled_start": at("2030-04-01 10:00")},
    )
    assert itself.status_code == 200, itself.text
    await callers.call(
        "recruiter", "POST", "/api/interviews/{interview}/status", json={"status": "cancelled"}
    )
    freed = await schedule(callers, scheduled_start=at("2030-04-01 10:15"), duration_minutes=30)
    assert freed.status_code == 201, freed.text


async def test_a_clash_the_caller_may_not_see_is_not_named(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    """The candidate also has an interview with the other agency (they were its candidate before);
    the home recruiter learns of the clash, not of that interview."""
    tenants = callers.tenants
    async with ctx.transaction() as db:
        elsewhere = await make_interview(
            db,
            tenants.other,
            tenants.user("other_user"),
            candidate=tenants.user("candidate"),
            status=InterviewStatus.SCHEDULED,
            scheduled_start=START.replace(day=5),
            scheduled_end=START.replace(day=5, hour=12),
        )
    response = await schedule(callers, scheduled_start=at("2030-04-05 11:00"))
    body = assert_error(response, 409, "schedule_conflict")
    assert body["detail"] == "The candidate has another interview at that time."
    assert str(elsewhere.id) not in body["detail"]
    seen_by_operator = await schedule(
        callers, "system_admin", company_id=tenants.home.id, scheduled_start=at("2030-04-05 11:00")
    )
    assert assert_error(seen_by_operator, 409, "schedule_conflict")["detail"] == (
        f"The candidate has interview {elsewhere.id} at that time."
    )


@pytest.mark.skipif(not ON_MYSQL, reason="row locks and REPEATABLE READ snapshots are MySQL's")
async def test_two_concurrent_bookings_of_one_slot_leave_one(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    """The second booking waits for the first's lock on the candidate's row, then sees its interview."""
    tenants = callers.tenants
    recruiter = tenants.user("recruiter")
    me = Principal(
        user_id=recruiter.id,
        email=recruiter.email,
        company_id=tenants.home.id,
        company_type=CompanyType.RECRUITING_AGENCY,
        roles=frozenset({RoleName.RECRUITER}),
        session_id="test",
    )
    data = InterviewCreate(
        title="同時予約",
        candidate_id=tenants.user("candidate").id,
        scheduled_start=datetime.fromisoformat(at("2030-04-09 10:00")),
    )
    snapshots_taken, first_booked = asyncio.Event(), asyncio.Event()

    async def first() -> str:
        async with ctx.transaction() as db:
            await db.scalar(select(func.count()).select_from(Interview))
            await snapshots_taken.wait()
            await InterviewsService(db, me).create(data)
            first_booked.set()
            await asyncio.sleep(0.3)  # the second is now waiting for the candidate's row
        return "created"

    async def second() -> str:
        try:
            async with ctx.transaction() as db:
                await db.scalar(select(func.count()).select_from(Interview))
                snapshots_taken.set()
                await first_booked.wait()
                await InterviewsService(db, me).create(data)
        except Conflict as exc:
            return exc.code
        return "created"

    assert await asyncio.gather(first(), second()) == ["created", "schedule_conflict"]
