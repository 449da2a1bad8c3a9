"""GET /api/interviews/{id}/invite.ics: an invite calendar apps import, parsed back with `icalendar`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from icalendar import Calendar, Event

from tests.server.interviews.conftest import Desk, at
from tests.server.tenants import Callers

PATH = "/api/interviews/{interview}/invite.ics"


def parsed(response: httpx.Response) -> tuple[Calendar, Event]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    return calendar, event


async def test_the_invite_describes_the_interview_in_its_zone(callers: Callers, desk: Desk) -> None:
    calendar, event = parsed(await callers.call("candidate", "GET", PATH))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"interview-{callers.names['interview']}@miraiworks"
    start = event.decoded("DTSTART")
    assert start == datetime(2030, 4, 1, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event.decoded("DTEND") - start == (datetime(2030, 4, 1, 11) - datetime(2030, 4, 1, 10))
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert str(event["SUMMARY"]) == "一次面接"
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(event["ORGANIZER"]) == "mailto:recruiter@tenants.example.jp"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == ["mailto:candidate@tenants.example.jp", "mailto:employer@tenants.example.jp"]
    assert desk.room.room_id in str(event["DESCRIPTION"])


async def test_updates_keep_the_uid_and_raise_the_sequence_and_cancelling_cancels(
    callers: Callers, desk: Desk
) -> None:
    _, first = parsed(await callers.call("recruiter", "GET", PATH))
    await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/schedule",
        json={"scheduled_start": at("2030-04-08 13:00"), "timezone": "UTC"},
    )
    _, moved = parsed(await callers.call("recruiter", "GET", PATH))
    assert moved["UID"] == first["UID"]
    assert moved.decoded("SEQUENCE") > first.decoded("SEQUENCE")
    assert moved.decoded("DTSTART") == datetime.fromisoformat("2030-04-08T04:00:00+00:00")
    await callers.call(
        "candidate", "POST", "/api/interviews/{interview}/status", json={"status": "confirmed"}
    )
    _, confirmed = parsed(await callers.call("candidate", "GET", PATH))
    assert str(confirmed["STATUS"]) == "CONFIRMED"
    assert confirmed.decoded("SEQUENCE") > moved.decoded("SEQUENCE")
    await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/status",
        json={"status": "cancelled", "reason": "辞退"},
    )
    calendar, cancelled = parsed(await callers.call("employer", "GET", PATH))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["UID"] == first["UID"]
    assert cancelled.decoded("SEQUENCE") > confirmed.decoded("SEQUENCE")
    assert "mailto:candidate@tenants.example.jp" in [str(a) for a in cancelled["ATTENDEE"]]
