"""Interviews written into their people's connected calendars: scheduling creates the event with the
join link, moving updates that same event, cancelling cancels it; retries never duplicate it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from models import UserSetting
from server.context import AppContext
from server.jobs.inprocess import InProcessQueue
from tests.server.calendars.conftest import connect, events_of, move, settle
from tests.server.calendars.fakes import FakeGoogle, FakeMicrosoft
from tests.server.interviews.conftest import Desk, at
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers

RECRUITER, EMPLOYER, CANDIDATE = (
    "recruiter@gmail.example",
    "employer@gmail.example",
    "candidate@outlook.example",
)
SCHEDULE = "/api/interviews/{interview}/schedule"


def live(calendar: Any, key: str = "status") -> list[dict[str, Any]]:
    return [e for e in calendar.events.values() if e.get(key) != "cancelled" and not e.get("@removed")]


async def connect_everyone(
    callers: Callers, queue: InProcessQueue, google: FakeGoogle, microsoft: FakeMicrosoft
) -> dict[str, int]:
    return {
        "recruiter": (await connect(callers, queue, google, "recruiter", "google", RECRUITER))["id"],
        "employer": (await connect(callers, queue, google, "employer", "google", EMPLOYER))["id"],
        "candidate": (await connect(callers, queue, microsoft, "candidate", "outlook", CANDIDATE))["id"],
    }


async def test_schedule_move_and_cancel_follow_into_every_connected_calendar(
    callers: Callers, queue: InProcessQueue, google: FakeGoogle, microsoft: FakeMicrosoft, desk: Desk
) -> None:
    ids = await connect_everyone(callers, queue, google, microsoft)
    moved = await callers.call(
        "recruiter", "POST", SCHEDULE, json={"scheduled_start": at("2030-04-08 14:00")}
    )
    assert moved.status_code == 200, moved.text
    await settle(queue)
    interview_id = desk.interviews["interview"].id
    [mine] = live(google.calendar(RECRUITER))
    [theirs] = live(google.calendar(EMPLOYER))
    [graph] = live(microsoft.calendar(CANDIDATE))
    room = f"/rooms/{desk.room.room_id}"
    assert mine["id"] == f"mirai{interview_id}c{ids['recruiter']}" and mine["summary"] == "一次面接"
    assert mine["start"]["dateTime"] == "2030-04-08T05:00:00+00:00" and room in mine["location"]
    assert theirs["id"] == f"mirai{interview_id}c{ids['employer']}"
    assert graph["subject"] == "一次面接" and graph["start"] == {
        "dateTime": "2030-04-08T05:00:00",
        "timeZone": "UTC",
    }
    assert room in graph["body"]["content"] and graph["transactionId"].startswith(f"mirai{interview_id}c")
    shown = await events_of(callers, "recruiter", ids["recruiter"])
    assert shown[mine["id"]]["interview_id"] == interview_id

    again = await callers.call(
        "recruiter", "POST", SCHEDULE, json={"scheduled_start": at("2030-04-09 16:00")}
    )
    assert again.status_code == 200
    await settle(queue)
    [mine_after] = live(google.calendar(RECRUITER))
    [graph_after] = live(microsoft.calendar(CANDIDATE))
    assert mine_after["id"] == mine["id"] and mine_after["start"]["dateTime"] == "2030-04-09T07:00:00+00:00"
    assert graph_after["id"] == graph["id"] and graph_after["start"]["dateTime"] == "2030-04-09T07:00:00"
    assert len(google.calendar(RECRUITER).events) == 1 and len(microsoft.calendar(CANDIDATE).events) == 1

    cancelled = await callers.call(
        "recruiter", "POST", "/api/interviews/{interview}/status", json={"status": "cancelled"}
    )
    assert cancelled.status_code == 200
    await settle(queue)
    assert live(google.calendar(RECRUITER)) == [] and live(google.calendar(EMPLOYER)) == []
    assert microsoft.calendar(CANDIDATE).events[graph["id"]].get("@removed")
    assert (await events_of(callers, "recruiter", ids["recruiter"]))[mine["id"]]["status"] == "cancelled"


async def test_a_failed_push_is_retried_and_a_lost_link_never_duplicates(
    callers: Callers,
    ctx: AppContext,
    queue: InProcessQueue,
    clock: ManualClock,
    google: FakeGoogle,
    microsoft: FakeMicrosoft,
    desk: Desk,
) -> None:
    await connect(callers, queue, google, "recruiter", "google", RECRUITER)
    await connect(callers, queue, microsoft, "candidate", "outlook", CANDIDATE)
    google.fail_next(503, path="/events")
    microsoft.fail_next(429, retry_after=60, path="/me/events")
    await callers.call("recruiter", "POST", SCHEDULE, json={"scheduled_start": at("2030-04-08 14:00")})
    await settle(queue)
    assert live(google.calendar(RECRUITER)) == [] and live(microsoft.calendar(CANDIDATE)) == []
    await move(queue, clock, timedelta(seconds=61))
    assert len(live(google.calendar(RECRUITER))) == 1 and len(live(microsoft.calendar(CANDIDATE))) == 1
    async with ctx.transaction() as db:  # the links are lost (say, someone deleted the settings)
        await db.execute(delete(UserSetting).where(UserSetting.setting_key.like("calendar.%.event.%")))
    await callers.call("recruiter", "POST", SCHEDULE, json={"scheduled_start": at("2030-04-08 14:00")})
    await callers.call("recruiter", "POST", SCHEDULE, json={"scheduled_start": at("2030-04-08 15:00")})
    await settle(queue)
    [event] = live(google.calendar(RECRUITER))
    assert event["start"]["dateTime"] == "2030-04-08T06:00:00+00:00"
    assert len(google.calendar(RECRUITER).events) == 1
