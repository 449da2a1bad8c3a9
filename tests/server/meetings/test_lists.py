"""GET /api/meetings and /api/video-calls: whose rooms each list shows, filters, sorting and pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.enums import MeetingStatus, VideoCallStatus
from server.context import AppContext
from tests.factories import make_interview, make_meeting, make_video_call
from tests.server.meetings.conftest import Arranged
from tests.server.tenants import Callers, Rejections, Tenants, assert_rejections, invalid

WHO_SEES_MEETINGS = {
    "recruiter": ["meeting"],  # created it; the admin's meeting of the same company is not theirs
    "candidate": ["meeting"],  # invited
    "home_admin": ["meeting", "admin_meeting"],  # every meeting of the company
    "employer": [],
    "other_user": ["other_meeting"],
    "system_admin": ["meeting", "admin_meeting", "other_meeting"],
}
WHO_SEES_CALLS = {
    "recruiter": ["call"],  # hosts it; a colleague's call may be entered, but is not on this list
    "candidate": ["call"],
    "home_admin": ["call", "admin_call"],
    "employer_admin": [],
    "other_admin": ["other_call"],
    "system_admin": ["call", "admin_call", "other_call"],
}


async def test_each_list_shows_managed_and_invited_rooms_only(callers: Callers, arranged: Arranged) -> None:
    ids = {name: callers.names[name] for name in ("meeting", "admin_meeting", "other_meeting")}
    ids.update({name: callers.names[name] for name in ("call", "admin_call", "other_call")})
    names = {("meetings", v): k for k, v in ids.items() if "meeting" in k}
    names.update({("video-calls", v): k for k, v in ids.items() if "call" in k})
    seen = {}
    for route, expected in (("meetings", WHO_SEES_MEETINGS), ("video-calls", WHO_SEES_CALLS)):
        for who in expected:
            page = (await callers.call(who, "GET", f"/api/{route}/", params={"sort": "id"})).json()
            seen[(route, who)] = ([names[(route, item["id"])] for item in page["items"]], page["total"])
    assert seen == {
        **{("meetings", who): (rooms, len(rooms)) for who, rooms in WHO_SEES_MEETINGS.items()},
        **{("video-calls", who): (rooms, len(rooms)) for who, rooms in WHO_SEES_CALLS.items()},
    }


async def test_filters_sorting_and_pages(callers: Callers, tenants: Tenants, ctx: AppContext) -> None:
    base = datetime(2030, 4, 1, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
    admin = tenants.user("home_admin")
    async with ctx.transaction() as db:
        interview = await make_interview(db, tenants.home, admin)
        days = [
            await make_meeting(db, tenants.home, admin, scheduled_start=base + timedelta(days=n))
            for n in range(4)
        ]
        days[1].interview_id = interview.id
        days[2].status = MeetingStatus.CANCELLED
        for n in range(3):
            await make_video_call(db, tenants.home, admin, scheduled_start=base + timedelta(days=n))
        cancelled = await make_video_call(db, tenants.home, admin, scheduled_start=base - timedelta(days=1))
        cancelled.status = VideoCallStatus.CANCELLED
    ids = [m.id for m in days]

    async def meetings(**params: str | int) -> tuple[list[int], int]:
        page = (await callers.call("home_admin", "GET", "/api/meetings/", params=params)).json()
        return [item["id"] for item in page["items"]], page["total"]

    assert await meetings() == (ids, 4)  # by scheduled_start by default
    assert await meetings(sort="-scheduled_start", limit=2, offset=1) == ([ids[2], ids[1]], 4)
    assert await meetings(status="cancelled") == ([ids[2]], 1)
    assert await meetings(interview_id=interview.id) == ([ids[1]], 1)
    # 2030-04-02T10:00+09:00 is days[1]'s start: inclusive; the end is exclusive.
    window = {"starts_from": "2030-04-02T10:00:00+09:00", "starts_before": "2030-04-04T01:00:00Z"}
    assert await meetings(**window) == ([ids[1], ids[2]], 2)
    calls = (
        await callers.call("home_admin", "GET", "/api/video-calls/", params={"status": "scheduled", **window})
    ).json()
    assert calls["total"] == 2
    cancelled_calls = (
        await callers.call("home_admin", "GET", "/api/video-calls/", params={"status": "cancelled"})
    ).json()
    assert [c["id"] for c in cancelled_calls["items"]] == [cancelled.id]


REJECTED: Rejections = [
    (
        "home_admin",
        route,
        path,
        [
            ({"params": {"starts_from": "2030-04-01T10:00:00"}}, invalid("starts_from")),
            ({"params": {"starts_before": "tomorrow"}}, invalid("starts_before")),
            ({"params": {"status": "postponed"}}, invalid("status")),
            ({"params": {"sort": "title"}}, invalid("sort")),
            ({"params": {"limit": 0}}, invalid("limit")),
            ({"params": {"limit": 201}}, invalid("limit")),
            ({"params": {"offset": -1}}, invalid("offset")),
            ({"params": {"offset": 10**20}}, invalid("offset")),
        ],
    )
    for route, path in (("GET", "/api/meetings/"), ("GET", "/api/video-calls/"))
] + [
    ("home_admin", "GET", "/api/meetings/", [({"params": {"interview_id": 10**20}}, invalid("interview_id"))])
]


async def test_invalid_list_parameters_are_refused(callers: Callers, arranged: Arranged) -> None:
    await assert_rejections(callers, REJECTED)
