"""Pulling external calendars: incremental (Google syncToken/nextPageToken, Graph nextLink/deltaLink),
exact for created, changed, cancelled, all-day and recurring events; 410 resyncs in full; 429 waits
for Retry-After and 5xx is retried with backoff, never lost; a paused connection is left alone."""

from __future__ import annotations

from datetime import timedelta

from server.jobs.inprocess import InProcessQueue
from tests.server.calendars.conftest import connect, events_of, google_event, move, settle
from tests.server.calendars.fakes import FakeGoogle, FakeMicrosoft
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers, assert_error

EMAIL = "recruiter@gmail.example"
MS = "recruiter@outlook.example"


def seed_google(google: FakeGoogle) -> None:
    google.add_event(
        EMAIL,
        google_event(
            "timed1",
            "2030-04-08T10:00:00+09:00",
            "2030-04-08T11:00:00+09:00",
            summary="顧客訪問",
            location="東京",
            organizer={"email": EMAIL},
            attendees=[{"email": "a@example.jp", "displayName": "A", "responseStatus": "accepted"}],
            hangoutLink="https://meet.google.com/abc-defg-hij",
        ),
    )
    google.add_event(
        EMAIL,
        {
            "id": "allday1",
            "status": "confirmed",
            "summary": "祝日",
            "start": {"date": "2030-04-29"},
            "end": {"date": "2030-04-30"},
            "updated": "2030-02-01T00:00:00Z",
        },
    )
    google.add_event(
        EMAIL,
        google_event(
            "weekly1",
            "2030-04-01T09:00:00+09:00",
            "2030-04-01T09:30:00+09:00",
            summary="朝会",
            recurrence=["RRULE:FREQ=WEEKLY;BYDAY=MO"],
        ),
    )
    google.add_event(
        EMAIL,
        google_event("tent1", "2030-04-09T15:00:00+09:00", "2030-04-09T16:00:00+09:00", status="tentative"),
    )
    google.add_event(EMAIL, google_event("fifth", "2030-04-10T15:00:00+09:00", "2030-04-10T16:00:00+09:00"))


async def sync_now(
    callers: Callers, queue: InProcessQueue, connection_id: int, who: str = "recruiter"
) -> dict:
    answer = await callers.call(who, "POST", f"/api/calendars/connections/{connection_id}/sync")
    assert answer.status_code == 202, answer.text
    await settle(queue)
    shown = await callers.call(who, "GET", f"/api/calendars/connections/{connection_id}")
    return shown.json()


async def test_google_full_then_incremental_sync_is_exact(
    callers: Callers, queue: InProcessQueue, google: FakeGoogle
) -> None:
    seed_google(google)
    connection = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    pages = [path for _, path in google.requests if path.startswith("/calendar/v3/calendars/primary/events")]
    assert len(pages) == 3 and "pageToken=" in pages[1] and "syncToken" not in pages[0]
    events = await events_of(callers, "recruiter", connection["id"])
    assert set(events) == {"timed1", "allday1", "weekly1", "tent1", "fifth"}
    timed = events["timed1"]
    assert (timed["title"], timed["location"], timed["status"], timed["is_all_day"]) == (
        "顧客訪問",
        "東京",
        "confirmed",
        False,
    )
    assert timed["start"] == "2030-04-08T01:00:00Z" and timed["end"] == "2030-04-08T02:00:00Z"
    assert timed["attendees"] == [
        {"email": "a@example.jp", "name": "A", "response": "accepted", "optional": False}
    ]
    assert (
        timed["organizer_email"] == EMAIL and timed["meeting_url"] == "https://meet.google.com/abc-defg-hij"
    )
    assert timed["last_modified"] == "2030-02-01T00:00:00Z" and timed["timezone"] == "Asia/Tokyo"
    allday = events["allday1"]
    assert (allday["is_all_day"], allday["start"], allday["end"]) == (
        True,
        "2030-04-29T00:00:00Z",
        "2030-04-30T00:00:00Z",
    )
    weekly = events["weekly1"]
    assert (weekly["is_recurring"], weekly["recurrence_rule"]) == (True, "RRULE:FREQ=WEEKLY;BYDAY=MO")
    assert events["tent1"]["status"] == "tentative"

    google.calendar(EMAIL).events["timed1"]["summary"] = "顧客訪問（変更）"
    google.calendar(EMAIL).touch("timed1")
    google.calendar(EMAIL).events["fifth"]["status"] = "cancelled"
    google.calendar(EMAIL).touch("fifth")
    google.add_event(EMAIL, google_event("new1", "2030-04-11T10:00:00+09:00", "2030-04-11T10:30:00+09:00"))
    google.add_event(
        EMAIL,
        {
            "id": "weekly1_20300415T000000Z",
            "status": "cancelled",
            "recurringEventId": "weekly1",
            "originalStartTime": {"dateTime": "2030-04-15T09:00:00+09:00"},
        },
    )
    before = len(google.requests)
    shown = await sync_now(callers, queue, connection["id"])
    assert shown["sync_status"] == "ok"
    incremental = [path for _, path in google.requests[before:] if "/events" in path]
    assert incremental and all("syncToken=st-5" in path for path in incremental)
    events = await events_of(callers, "recruiter", connection["id"])
    assert events["timed1"]["title"] == "顧客訪問（変更）"
    assert events["fifth"]["status"] == "cancelled"
    assert events["new1"]["status"] == "confirmed"
    assert events["weekly1_20300415T000000Z"]["status"] == "cancelled"
    assert len(events) == 7


async def test_an_expired_sync_token_resyncs_in_full(
    callers: Callers, queue: InProcessQueue, google: FakeGoogle
) -> None:
    seed_google(google)
    connection = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    calendar = google.calendar(EMAIL)
    del calendar.events["tent1"]  # forgotten with the history the provider dropped
    google.add_event(EMAIL, google_event("later", "2030-05-01T10:00:00+09:00", "2030-05-01T11:00:00+09:00"))
    calendar.floor = len(calendar.log)
    shown = await sync_now(callers, queue, connection["id"])
    assert shown["sync_status"] == "ok"
    assert set(await events_of(callers, "recruiter", connection["id"])) == {
        "timed1",
        "allday1",
        "weekly1",
        "fifth",
        "later",
    }


async def test_a_rate_limit_waits_for_retry_after_then_syncs(
    callers: Callers, queue: InProcessQueue, clock: ManualClock, google: FakeGoogle
) -> None:
    connection = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    seed_google(google)
    google.fail_next(429, retry_after=120, path="/events")
    shown = await sync_now(callers, queue, connection["id"])
    assert shown["sync_status"] == "retrying" and shown["retry_at"] == "2030-03-01T00:02:00Z"
    assert await events_of(callers, "recruiter", connection["id"]) == {}
    await move(queue, clock, timedelta(seconds=119))
    assert await events_of(callers, "recruiter", connection["id"]) == {}
    await move(queue, clock, timedelta(seconds=2))
    shown = (await callers.call("recruiter", "GET", f"/api/calendars/connections/{connection['id']}")).json()
    assert shown["sync_status"] == "ok"
    assert len(await events_of(callers, "recruiter", connection["id"])) == 5


async def test_server_errors_are_retried_with_backoff(
    callers: Callers, queue: InProcessQueue, clock: ManualClock, google: FakeGoogle
) -> None:
    connection = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    seed_google(google)
    google.fail_next(503, times=2, path="/events")
    shown = await sync_now(callers, queue, connection["id"])
    assert shown["sync_status"] == "retrying" and "503" in shown["sync_detail"]
    await move(queue, clock, timedelta(seconds=31))  # first retry (30 s) fails again
    await move(queue, clock, timedelta(seconds=61))  # second retry (60 s) gets through
    shown = (await callers.call("recruiter", "GET", f"/api/calendars/connections/{connection['id']}")).json()
    assert shown["sync_status"] == "ok"
    assert len(await events_of(callers, "recruiter", connection["id"])) == 5


async def test_microsoft_delta_sync_is_exact(
    callers: Callers, queue: InProcessQueue, microsoft: FakeMicrosoft
) -> None:
    def graph(event_id: str, start: str, end: str, **more: object) -> dict:
        return {
            "id": event_id,
            "subject": more.pop("subject", event_id),
            "start": {"dateTime": start, "timeZone": "UTC"},
            "end": {"dateTime": end, "timeZone": "UTC"},
            "isAllDay": False,
            "isCancelled": False,
            "showAs": "busy",
            "type": "singleInstance",
            "lastModifiedDateTime": "2030-02-01T00:00:00Z",
            **more,
        }

    microsoft.add_event(
        MS,
        graph(
            "m1",
            "2030-04-08T01:00:00.0000000",
            "2030-04-08T02:00:00.0000000",
            subject="面談",
            location={"displayName": "会議室A"},
            onlineMeeting={"joinUrl": "https://teams.example/j/1"},
            organizer={"emailAddress": {"name": "R", "address": MS}},
            attendees=[
                {
                    "type": "required",
                    "status": {"response": "accepted"},
                    "emailAddress": {"name": "B", "address": "b@example.jp"},
                }
            ],
        ),
    )
    microsoft.add_event(
        MS, graph("m2", "2030-04-29T00:00:00.0000000", "2030-04-30T00:00:00.0000000", isAllDay=True)
    )
    microsoft.add_event(
        MS,
        graph(
            "series",
            "2030-04-01T00:00:00.0000000",
            "2030-04-01T00:30:00.0000000",
            type="seriesMaster",
            recurrence={
                "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
                "range": {"type": "numbered", "numberOfOccurrences": 10},
            },
        ),
    )
    microsoft.add_event(
        MS,
        graph(
            "occ1",
            "2030-04-08T00:00:00.0000000",
            "2030-04-08T00:30:00.0000000",
            type="occurrence",
            seriesMasterId="series",
        ),
    )
    connection = await connect(callers, queue, microsoft, "recruiter", "outlook", MS)
    deltas = [path for _, path in microsoft.requests if "/calendarView/delta" in path]
    assert len(deltas) == 2 and "startDateTime" in deltas[0] and "skiptoken" in deltas[1]
    events = await events_of(callers, "recruiter", connection["id"])
    assert set(events) == {"m1", "m2", "series", "occ1"}
    m1 = events["m1"]
    assert (m1["title"], m1["location"], m1["meeting_url"], m1["organizer_email"]) == (
        "面談",
        "会議室A",
        "https://teams.example/j/1",
        MS,
    )
    assert m1["start"] == "2030-04-08T01:00:00Z" and m1["attendees"][0]["email"] == "b@example.jp"
    assert events["m2"]["is_all_day"] is True
    assert events["series"]["recurrence_rule"] == "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=10"
    assert events["occ1"]["is_recurring"] is True

    microsoft.calendar(MS).events["m1"]["subject"] = "面談（変更）"
    microsoft.calendar(MS).touch("m1")
    microsoft.remove(MS, "m2")
    microsoft.add_event(
        MS, graph("m3", "2030-04-09T01:00:00.0000000", "2030-04-09T02:00:00.0000000", isCancelled=True)
    )
    before = len(microsoft.requests)
    assert (await sync_now(callers, queue, connection["id"]))["sync_status"] == "ok"
    assert any("deltatoken=4" in path for _, path in microsoft.requests[before:])
    events = await events_of(callers, "recruiter", connection["id"])
    assert events["m1"]["title"] == "面談（変更）"
    assert (events["m2"]["status"], events["m3"]["status"]) == ("cancelled", "cancelled")

    calendar = microsoft.calendar(MS)
    calendar.floor = len(calendar.log) + 1
    calendar.log.append("m1")
    assert (await sync_now(callers, queue, connection["id"]))["sync_status"] == "ok"
    assert set(await events_of(callers, "recruiter", connection["id"])) == {"m1", "series", "occ1", "m3"}


async def test_a_paused_connection_is_not_synced(
    callers: Callers, queue: InProcessQueue, google: FakeGoogle
) -> None:
    connection = await connect(callers, queue, google, "recruiter", "google", EMAIL)
    paused = await callers.call(
        "recruiter", "PATCH", f"/api/calendars/connections/{connection['id']}", json={"sync_enabled": False}
    )
    assert (paused.json()["sync_enabled"], paused.json()["sync_status"]) == (False, "paused")
    assert_error(
        await callers.call("recruiter", "POST", f"/api/calendars/connections/{connection['id']}/sync"),
        409,
        "sync_paused",
    )
    seed_google(google)
    resumed = await callers.call(
        "recruiter", "PATCH", f"/api/calendars/connections/{connection['id']}", json={"sync_enabled": True}
    )
    assert resumed.json()["sync_enabled"] is True
    await settle(queue)
    assert len(await events_of(callers, "recruiter", connection["id"])) == 5
