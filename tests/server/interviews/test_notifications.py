"""An interview's people are told when it is scheduled, moved or cancelled (never its author)."""

from __future__ import annotations

from sqlalchemy import select

from models import Notification
from server.context import AppContext
from tests.server.interviews.conftest import Desk, at, notifications
from tests.server.tenants import Callers


async def test_scheduling_moving_and_cancelling_notify_the_people(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    users = callers.tenants.users
    pending = callers.names["pending"]
    await callers.call(
        "home_admin",
        "POST",
        "/api/interviews/{pending}/schedule",
        json={"scheduled_start": at("2030-04-10 10:00")},
    )
    moved = await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/schedule",
        json={"scheduled_start": at("2030-04-02 10:00")},
    )
    assert moved.status_code == 200
    await callers.call(
        "recruiter", "POST", "/api/interviews/{interview}/status", json={"status": "cancelled"}
    )
    interview = callers.names["interview"]
    assert await notifications(ctx, users["candidate"].id) == [
        ("interview_scheduled", pending),
        ("interview_rescheduled", interview),
        ("interview_cancelled", interview),
    ]
    # The employer sits on `interview`'s meeting; the recruiter hears of what home_admin did only.
    assert await notifications(ctx, users["employer"].id) == [
        ("interview_rescheduled", interview),
        ("interview_cancelled", interview),
    ]
    assert await notifications(ctx, users["recruiter"].id) == [("interview_scheduled", pending)]
    assert await notifications(ctx, users["home_admin"].id) == []


async def test_the_message_says_when_in_the_interviews_zone(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/",
        json={
            "title": "最終面接",
            "candidate_id": callers.tenants.user("candidate").id,
            "scheduled_start": at("2030-04-20 16:00"),
        },
    )
    async with ctx.sessionmaker() as db:
        row = await db.scalar(
            select(Notification).where(Notification.user_id == callers.tenants.user("candidate").id)
        )
    assert row is not None
    assert (row.title, row.message, row.category, row.action_url) == (
        "Interview scheduled: 最終面接",
        "最終面接, 2030-04-20 16:00–17:00 (Asia/Tokyo)",
        "interview",
        f"/interviews/{row.data['interview_id']}",
    )


async def test_a_move_to_the_same_time_tells_no_one(callers: Callers, ctx: AppContext, desk: Desk) -> None:
    await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/schedule",
        json={"scheduled_start": at("2030-04-01 10:00")},
    )
    assert await notifications(ctx, callers.tenants.user("candidate").id) == []
