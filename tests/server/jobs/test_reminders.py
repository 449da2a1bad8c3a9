"""Interview reminders arrive as notifications 24 hours and 15 minutes before the start, to every
participant, at their time on a clock the test moves; a moved or cancelled interview's old
reminders do nothing."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from models import Notification
from server.app import create_app
from server.context import AppContext
from server.domains.interviews.reminders import remind
from server.jobs.inprocess import InProcessQueue
from server.settings import Settings
from tests.server.interviews.conftest import Desk, at, desk
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers, Tenants

__all__ = ["desk"]

SECOND = timedelta(seconds=1)
DAY = timedelta(hours=24)
QUARTER = timedelta(minutes=15)
T1 = datetime.fromisoformat("2030-04-10T10:00:00+09:00")
T2 = datetime.fromisoformat("2030-04-12T10:00:00+09:00")
PEOPLE = ("recruiter", "candidate", "employer")
"""`interview`'s recruiter (also its meeting's host), its candidate, and its seated interviewer."""


def pending_reminders(queue: Any) -> dict[str, datetime]:
    """The reminder jobs pending (other domains queue their own jobs for an interview change too)."""
    return {key: due for key, due in queue.pending().items() if key.startswith("interviews.reminder")}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2030, 3, 1, tzinfo=UTC))


@pytest.fixture
def queue(clock: ManualClock) -> InProcessQueue:
    return InProcessQueue(clock=clock)


@pytest.fixture
async def client(settings: Settings, queue: InProcessQueue) -> AsyncIterator[httpx.AsyncClient]:
    """The API on the embedded default, served in this event loop (Litestar's test client would
    serve it on a loop of its own), its jobs run here on the test's clock."""
    embedded = dataclasses.replace(settings, redis_url=None)
    ctx = AppContext.create(embedded)
    ctx.jobs = queue
    transport = httpx.ASGITransport(app=create_app(embedded, ctx))
    await queue.start(ctx)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await ctx.close()


@pytest.fixture
def callers(client: httpx.AsyncClient, tenants: Tenants) -> Callers:
    return Callers(client, tenants)  # type: ignore[arg-type]


async def reminders(ctx: AppContext, who: int) -> list[tuple[str, str, str, Any]]:
    """(title, message, priority, data) of every reminder the user got, oldest first."""
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(Notification)
            .where(Notification.user_id == who, Notification.type == "interview_reminder")
            .order_by(Notification.id)
        )
        return [(row.title, row.message, row.priority.value, row.data) for row in rows]


async def everyone(ctx: AppContext, tenants: Tenants) -> dict[str, list[tuple[str, str, str, Any]]]:
    names = (*PEOPLE, "home_admin", "employer_admin")
    return {who: await reminders(ctx, tenants.user(who).id) for who in names}


async def move_to(queue: InProcessQueue, clock: ManualClock, moment: datetime) -> None:
    clock.move_to(moment)
    async with asyncio.timeout(10):
        await queue.settle()


def reminder(lead: str, start: datetime, interview_id: int) -> tuple[str, str, str, Any]:
    heading, priority = {
        "24h": ("Interview in 24 hours", "normal"),
        "15m": ("Interview in 15 minutes", "high"),
    }[lead]
    local = start.astimezone(ZoneInfo("Asia/Tokyo"))
    return (
        f"{heading}: 一次面接",
        f"一次面接, {local:%Y-%m-%d %H:%M}–{local + timedelta(hours=1):%H:%M} (Asia/Tokyo)",
        priority,
        {
            "interview_id": interview_id,
            "lead": lead,
            "scheduled_start": start.astimezone(UTC).isoformat(),
            "timezone": "Asia/Tokyo",
        },
    )


async def test_every_participant_is_reminded_a_day_and_a_quarter_hour_before_and_a_move_cancels_the_old(
    callers: Callers, ctx: AppContext, desk: Desk, queue: InProcessQueue, clock: ManualClock
) -> None:
    interview = desk.interviews["interview"].id
    for start in (T1, T2):
        moved = await callers.call(
            "recruiter",
            "POST",
            "/api/interviews/{interview}/schedule",
            json={"scheduled_start": start.isoformat()},
        )
        assert moved.status_code == 200, moved.text
    key = "interviews.reminder:{id}:{lead}:{start}"
    assert pending_reminders(queue) == {
        key.format(id=interview, lead=lead, start=start.astimezone(UTC).isoformat()): start - ahead
        for start in (T1, T2)
        for lead, ahead in (("24h", DAY), ("15m", QUARTER))
    }
    nobody: dict[str, list[Any]] = {who: [] for who in (*PEOPLE, "home_admin", "employer_admin")}

    await move_to(queue, clock, T1 - DAY - SECOND)
    assert await everyone(ctx, callers.tenants) == nobody
    # The reminders of the old start run and find the interview moved: nothing.
    await move_to(queue, clock, T1 - DAY)
    await move_to(queue, clock, T1 - QUARTER)
    assert await everyone(ctx, callers.tenants) == nobody
    assert len(pending_reminders(queue)) == 2

    await move_to(queue, clock, T2 - DAY - SECOND)
    assert await everyone(ctx, callers.tenants) == nobody
    await move_to(queue, clock, T2 - DAY)
    day_before = [reminder("24h", T2, interview)]
    assert await everyone(ctx, callers.tenants) == {**nobody, **{who: day_before for who in PEOPLE}}

    await move_to(queue, clock, T2 - QUARTER)
    both = [*day_before, reminder("15m", T2, interview)]
    assert await everyone(ctx, callers.tenants) == {**nobody, **{who: both for who in PEOPLE}}
    assert pending_reminders(queue) == {}


async def test_a_cancelled_interview_reminds_nobody(
    callers: Callers, ctx: AppContext, desk: Desk, queue: InProcessQueue, clock: ManualClock
) -> None:
    await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{pending}/schedule",
        json={"scheduled_start": at("2030-04-20 10:00")},
    )
    assert len(pending_reminders(queue)) == 2
    cancelled = await callers.call(
        "recruiter", "POST", "/api/interviews/{pending}/status", json={"status": "cancelled"}
    )
    assert cancelled.status_code == 200
    await move_to(queue, clock, datetime.fromisoformat(at("2030-04-20 10:00")))
    assert pending_reminders(queue) == {}
    assert all(found == [] for found in (await everyone(ctx, callers.tenants)).values())


async def test_a_reminder_already_past_is_not_scheduled(
    callers: Callers, desk: Desk, queue: InProcessQueue, clock: ManualClock
) -> None:
    """An interview three hours away gets its quarter-hour reminder only."""
    start = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    created = await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/",
        json={
            "title": "急ぎ面接",
            "candidate_id": callers.tenants.user("candidate").id,
            "scheduled_start": start.isoformat(),
        },
    )
    assert created.status_code == 201, created.text
    key = f"interviews.reminder:{created.json()['id']}:15m:{start.isoformat()}"
    assert pending_reminders(queue) == {key: start - QUARTER}


async def test_a_reminder_run_twice_tells_each_person_once(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    moved = await callers.call(
        "recruiter", "POST", "/api/interviews/{interview}/schedule", json={"scheduled_start": T1.isoformat()}
    )
    assert moved.status_code == 200
    interview = desk.interviews["interview"].id
    for _ in range(2):
        await remind(ctx, interview_id=interview, lead="15m", start=T1.astimezone(UTC).isoformat())
    for who in PEOPLE:
        assert await reminders(ctx, callers.tenants.user(who).id) == [reminder("15m", T1, interview)]
