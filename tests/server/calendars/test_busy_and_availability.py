"""Busy times from synced calendars in scheduling (the same 409 as overlapping interviews), and free
slots common to several people within their working hours, for people the caller may see only."""

from __future__ import annotations

from server.jobs.inprocess import InProcessQueue
from tests.server.calendars.conftest import connect, google_event, settle
from tests.server.calendars.fakes import FakeGoogle
from tests.server.interviews.conftest import Desk, at
from tests.server.tenants import Callers, assert_error

EMAIL = "recruiter@gmail.example"
PENDING = "/api/interviews/{pending}/schedule"


def busy_calendar(google: FakeGoogle) -> None:
    google.add_event(
        EMAIL,
        google_event(
            "meeting", "2030-04-08T10:00:00+09:00", "2030-04-08T11:00:00+09:00", summary="秘密の会議"
        ),
    )
    google.add_event(
        EMAIL,
        google_event(
            "weekly",
            "2030-04-01T13:00:00+09:00",
            "2030-04-01T14:00:00+09:00",
            recurrence=["RRULE:FREQ=WEEKLY;BYDAY=MO"],
        ),
    )
    google.add_event(
        EMAIL,
        {
            "id": "weekly_20300415T040000Z",
            "status": "cancelled",
            "recurringEventId": "weekly",
            "originalStartTime": {"dateTime": "2030-04-15T13:00:00+09:00"},
        },
    )
    google.add_event(
        EMAIL,
        {
            "id": "holiday",
            "status": "confirmed",
            "summary": "休み",
            "start": {"date": "2030-04-10"},
            "end": {"date": "2030-04-11"},
        },
    )


async def test_synced_busy_times_are_schedule_conflicts(
    callers: Callers, queue: InProcessQueue, google: FakeGoogle, desk: Desk
) -> None:
    busy_calendar(google)
    await connect(callers, queue, google, "recruiter", "google", EMAIL)
    clash = await callers.call("recruiter", "POST", PENDING, json={"scheduled_start": at("2030-04-08 10:30")})
    body = assert_error(clash, 409, "schedule_conflict")
    assert "秘密" not in body["detail"] and body["errors"][0]["field"] == "scheduled_start"
    weekly = await callers.call(
        "recruiter", "POST", PENDING, json={"scheduled_start": at("2030-04-22 13:30")}
    )
    assert_error(weekly, 409, "schedule_conflict")
    skipped = await callers.call(
        "recruiter", "POST", PENDING, json={"scheduled_start": at("2030-04-15 13:00")}
    )
    assert skipped.status_code == 200, skipped.text  # that occurrence was cancelled
    holiday = await callers.call(
        "recruiter", "POST", PENDING, json={"scheduled_start": at("2030-04-10 10:00")}
    )
    assert holiday.status_code == 200, holiday.text  # all-day events do not block
    await settle(queue)
    # the interview's own pushed event is no conflict of itself when it moves a little
    nudged = await callers.call(
        "recruiter", "POST", PENDING, json={"scheduled_start": at("2030-04-10 10:30")}
    )
    assert nudged.status_code == 200, nudged.text


async def slots(callers: Callers, who: str, users: str, start: str, end: str, **more: object):  # type: ignore[no-untyped-def]
    params = {"user_ids": callers.path(users), "from": at(start), "to": at(end), **more}
    return await callers.client.get(
        "/api/calendars/availability", params=params, headers=await callers.headers(who)
    )


async def test_availability_proposes_common_free_slots_in_working_hours(
    callers: Callers, queue: InProcessQueue, google: FakeGoogle, desk: Desk
) -> None:
    busy_calendar(google)
    await connect(callers, queue, google, "recruiter", "google", EMAIL)
    answer = await slots(
        callers, "recruiter", "{recruiter},{candidate}", "2030-04-08 00:00", "2030-04-09 00:00"
    )
    assert answer.status_code == 200, answer.text
    starts = [item["start"] for item in answer.json()["items"]]
    hours = [f"{h:02d}:{m:02d}" for h in range(9, 18) for m in (0, 30) if (h, m) <= (17, 0)]
    expected = [h for h in hours if not ("09:30" <= h <= "10:30" or "12:30" <= h <= "13:30")]
    assert [s[11:16] for s in starts] == [f"{int(h[:2]) - 9:02d}:{h[3:]}" for h in expected]
    weekend = await slots(callers, "recruiter", "{recruiter}", "2030-04-06 00:00", "2030-04-08 00:00")
    assert weekend.json() == {"items": [], "total": 0}
    # the candidate's interview on 2030-04-01 10:00-11:00 is busy for both
    monday = await slots(
        callers, "recruiter", "{candidate}", "2030-04-01 09:00", "2030-04-01 12:00", duration_minutes=60
    )
    assert [i["start"] for i in monday.json()["items"]] == ["2030-04-01T00:00:00Z", "2030-04-01T02:00:00Z"]


async def test_availability_only_for_people_you_may_see(callers: Callers, desk: Desk) -> None:
    seen = await slots(callers, "employer", "{candidate}", "2030-04-08 09:00", "2030-04-08 12:00")
    assert seen.status_code == 200  # tied by the interview they sit on
    for who, users in [
        ("other_user", "{recruiter}"),
        ("employer_admin", "{candidate}"),
        ("recruiter", "{missing}"),
        ("recruiter", "{recruiter},{other_admin}"),
    ]:
        assert_error(
            await slots(callers, who, users, "2030-04-08 09:00", "2030-04-08 12:00"), 404, "not_found"
        )
    assert_error(
        await slots(callers, "recruiter", "{recruiter}", "2030-04-08 09:00", "2030-05-18 09:00"),
        422,
        "validation_error",
    )
    assert_error(
        await slots(callers, "recruiter", "x", "2030-04-08 09:00", "2030-04-08 12:00"),
        422,
        "validation_error",
    )
    anonymous = await callers.client.get(
        "/api/calendars/availability",
        params={"user_ids": "1", "from": at("2030-04-08 09:00"), "to": at("2030-04-08 12:00")},
    )
    assert anonymous.status_code == 401
