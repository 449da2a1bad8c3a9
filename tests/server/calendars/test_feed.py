"""The private ICS feed: subscribed without login, parsed back with icalendar, stable UIDs; rotating
gives a new URL and kills the old one."""

from __future__ import annotations

from urllib.parse import urlsplit

from icalendar import Calendar

from models.enums import MeetingRole
from server.context import AppContext
from tests.factories import make_meeting, make_meeting_participant
from tests.server.interviews.conftest import Desk, at
from tests.server.tenants import Callers, Tenants, assert_error


async def fetch(callers: Callers, url: str) -> Calendar:
    answer = await callers.client.get(urlsplit(url).path)  # no Authorization header
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(answer.content)


async def test_the_feed_holds_interviews_and_meetings_with_stable_uids(
    callers: Callers, ctx: AppContext, desk: Desk, tenants: Tenants
) -> None:
    async with ctx.transaction() as db:
        meeting = await make_meeting(db, tenants.home, tenants.user("recruiter"), title="定例会議")
        await make_meeting_participant(db, meeting, tenants.user("recruiter"), MeetingRole.HOST)
    status = await callers.call("recruiter", "GET", "/api/calendars/feed")
    assert status.json()["active"] is False
    made = (await callers.call("recruiter", "POST", "/api/calendars/feed/rotate")).json()
    assert made["active"] is True and made["url"].endswith(".ics")
    calendar = await fetch(callers, made["url"])
    assert "METHOD" not in calendar and str(calendar["X-WR-CALNAME"]) == "MiraiWorks"
    uids = sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))
    ids = desk.interviews
    assert uids == sorted(
        [
            f"interview-{ids['interview'].id}@miraiworks",
            f"interview-{ids['completed'].id}@miraiworks",
            f"meeting-{meeting.id}@miraiworks",
        ]
    )
    moved = await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/schedule",
        json={"scheduled_start": at("2030-04-08 14:00")},
    )
    assert moved.status_code == 200
    again = await fetch(callers, made["url"])
    [event] = [
        e for e in again.walk("VEVENT") if str(e["UID"]) == f"interview-{ids['interview'].id}@miraiworks"
    ]
    assert event.decoded("DTSTART").isoformat() == "2030-04-08T14:00:00+09:00"
    candidate = (await callers.call("candidate", "POST", "/api/calendars/feed/rotate")).json()
    theirs = sorted(str(e["UID"]) for e in (await fetch(callers, candidate["url"])).walk("VEVENT"))
    assert theirs == sorted(
        [f"interview-{ids['interview'].id}@miraiworks", f"interview-{ids['completed'].id}@miraiworks"]
    )


async def test_rotating_kills_the_old_url_and_wrong_secrets_are_404(callers: Callers, desk: Desk) -> None:
    first = (await callers.call("recruiter", "POST", "/api/calendars/feed/rotate")).json()["url"]
    second = (await callers.call("recruiter", "POST", "/api/calendars/feed/rotate")).json()["url"]
    assert first != second
    assert_error(await callers.client.get(urlsplit(first).path), 404, "not_found")
    await fetch(callers, second)
    path = urlsplit(second).path
    user, _, secret = path.rsplit("/", 1)[1].partition(".")
    for wrong in (
        f"{user}.x{secret}",
        f"{int(user) + 1}.{secret}",
        "nonsense",
        f"{user}.{secret.removesuffix('.ics')}",
    ):
        assert_error(await callers.client.get(f"/api/calendars/feed/{wrong}"), 404, "not_found")
