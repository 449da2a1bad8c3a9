"""GET /api/rooms/{room_code}: what a client reads before `room:join`, and nothing for anyone else.

Who may enter is `rooms.Rooms.find` (the signaling rule): a meeting's invitees and managers, a
call's host, invitees and company staff. Everyone else gets the same 404 as a random code.
"""

from __future__ import annotations

import dataclasses
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from models import AuditLog, Meeting, MeetingParticipant, VideoCall, VideoCallParticipant
from models.enums import MeetingStatus, VideoCallStatus
from server.asgi import create
from server.context import AppContext
from server.settings import IceServer, Settings
from tests.server.meetings.conftest import Arranged
from tests.server.tenants import Callers, Tenants, assert_error, snapshot

ENDED_AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    """A timestamp as the API writes it (UTC with `Z`)."""
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


async def change(ctx: AppContext, model: type[Meeting] | type[VideoCall], row_id: int, **values: Any) -> None:
    async with ctx.transaction() as db:
        row = await db.get_one(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)


def window(answer: dict[str, Any]) -> tuple[Any, ...]:
    return (
        answer["status"],
        answer["joinable"],
        answer["scheduled_start"],
        answer["scheduled_end"],
        answer["actual_start"],
        answer["actual_end"],
    )


async def test_an_invitee_reads_the_meeting_they_may_enter(callers: Callers, arranged: Arranged) -> None:
    response = await callers.call("candidate", "GET", f"/api/rooms/{arranged.meeting.room_id}")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "meeting",
        "title": arranged.meeting.title,
        "status": "scheduled",
        "scheduled_start": iso(arranged.meeting.scheduled_start),
        "scheduled_end": iso(arranged.meeting.scheduled_end),
        "actual_start": None,
        "actual_end": None,
        "joinable": True,  # tomorrow's meeting may be entered early
        "password_required": True,  # the access code
        "lobby": False,
        "max_participants": None,
        "recording_enabled": False,
        "ice_servers": [],
    }


async def test_a_colleague_reads_a_call_of_their_company(callers: Callers, arranged: Arranged) -> None:
    response = await callers.call("recruiter", "GET", f"/api/rooms/{arranged.admin_call.room_code}")
    assert response.status_code == 200
    answer = response.json()
    assert (answer["kind"], answer["title"], answer["password_required"], answer["lobby"]) == (
        "video_call",
        arranged.admin_call.title,
        False,
        False,
    )
    assert answer["max_participants"] == 10


async def test_nobody_else_learns_whether_a_code_exists(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    cases = [
        ("other_user", arranged.meeting.room_id),  # another tenant's meeting
        ("other_admin", arranged.call.room_code),  # another tenant's call
        ("home_admin", arranged.other_meeting.room_id),
        ("employer", arranged.call.room_code),
        ("recruiter", arranged.admin_meeting.room_id),  # a colleague's meeting, not invited
        ("recruiter", "abcd-efgh-jkmn"),  # no such code
        ("recruiter", secrets.token_urlsafe(16)),
        ("recruiter", "x" * 300),
    ]
    await callers.sign_in("other_user", "other_admin", "home_admin", "employer", "recruiter")
    before = await snapshot(ctx, MeetingParticipant, VideoCallParticipant, AuditLog)
    answers = []
    for who, code in cases:
        response = await callers.call(who, "GET", f"/api/rooms/{code}")
        answers.append((response.status_code, response.json()))
    assert answers == [
        (404, {"status": 404, "code": "room_not_found", "detail": "No room has this code.", "errors": []})
    ] * len(cases)
    assert await snapshot(ctx, MeetingParticipant, VideoCallParticipant, AuditLog) == before
    anonymous = await callers.call("anonymous", "GET", f"/api/rooms/{arranged.call.room_code}")
    assert_error(anonymous, 401, "invalid_token")


async def test_ice_servers_come_from_settings(
    settings: Settings, tenants: Tenants, arranged: Arranged
) -> None:
    ice = [
        IceServer(urls=["stun:stun.example.org"]),
        IceServer(urls="turn:turn.example.org", username="u", credential="c"),
    ]
    configured = dataclasses.replace(settings, ice_servers=ice)
    async with AsyncTestClient(app=create(configured)) as client:
        response = await Callers(client, tenants).call(
            "candidate", "GET", f"/api/rooms/{arranged.call.room_code}"
        )
    assert response.json()["ice_servers"] == [
        {"urls": ["stun:stun.example.org"]},
        {"urls": "turn:turn.example.org", "username": "u", "credential": "c"},
    ]


async def test_looking_up_a_room_writes_nothing(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    await callers.sign_in("recruiter", "home_admin")
    before = await snapshot(ctx, MeetingParticipant, VideoCallParticipant)
    assert (
        await callers.call("recruiter", "GET", f"/api/rooms/{arranged.admin_call.room_code}")
    ).status_code == 200
    assert (
        await callers.call("home_admin", "GET", f"/api/rooms/{arranged.meeting.room_id}")
    ).status_code == 200
    assert await snapshot(ctx, MeetingParticipant, VideoCallParticipant) == before


async def test_an_ended_call_tells_its_status_and_window_and_is_not_joinable(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    call = arranged.call
    start, end = ENDED_AT - timedelta(minutes=30), ENDED_AT
    await change(
        ctx,
        VideoCall,
        call.id,
        status=VideoCallStatus.ENDED,
        scheduled_start=start,
        scheduled_end=end,
        actual_start=start + timedelta(minutes=2),
        actual_end=end,
    )
    await callers.sign_in("candidate", "recruiter")
    before = await snapshot(ctx, MeetingParticipant, VideoCallParticipant, AuditLog)
    for who in ("candidate", "recruiter"):  # the invitee, the host
        response = await callers.call(who, "GET", f"/api/rooms/{call.room_code}")
        assert response.status_code == 200
        assert window(response.json()) == (
            "ended",
            False,
            "2026-03-02T10:00:00Z",
            "2026-03-02T10:30:00Z",
            "2026-03-02T10:02:00Z",
            "2026-03-02T10:30:00Z",
        )
    assert await snapshot(ctx, MeetingParticipant, VideoCallParticipant, AuditLog) == before
    refused = await callers.call("other_user", "GET", f"/api/rooms/{call.room_code}")
    assert_error(refused, 404, "room_not_found")


async def test_a_cancelled_meeting_says_so_and_is_not_joinable(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    meeting = arranged.meeting
    await change(ctx, Meeting, meeting.id, status=MeetingStatus.CANCELLED)
    response = await callers.call("candidate", "GET", f"/api/rooms/{meeting.room_id}")
    assert response.status_code == 200
    assert window(response.json()) == (
        "cancelled",
        False,
        iso(meeting.scheduled_start),
        iso(meeting.scheduled_end),
        None,
        None,
    )


async def test_a_completed_meeting_says_completed_with_when_it_took_place(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    meeting = arranged.meeting
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=40)
    await change(
        ctx,
        Meeting,
        meeting.id,
        status=MeetingStatus.COMPLETED,
        actual_start=started,
        actual_end=started + timedelta(minutes=35),
    )
    answer = (await callers.call("home_admin", "GET", f"/api/rooms/{meeting.room_id}")).json()
    assert (answer["status"], answer["joinable"], answer["actual_start"], answer["actual_end"]) == (
        "completed",
        False,
        iso(started),
        iso(started + timedelta(minutes=35)),
    )


async def test_a_scheduled_future_meeting_and_a_running_call_are_joinable(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    await change(ctx, VideoCall, arranged.call.id, status=VideoCallStatus.IN_PROGRESS, actual_start=started)
    meeting = (await callers.call("candidate", "GET", f"/api/rooms/{arranged.meeting.room_id}")).json()
    call = (await callers.call("candidate", "GET", f"/api/rooms/{arranged.call.room_code}")).json()
    assert (meeting["status"], meeting["joinable"], meeting["actual_start"]) == ("scheduled", True, None)
    assert (call["status"], call["joinable"], call["actual_start"]) == ("in_progress", True, iso(started))


async def test_a_room_nobody_ended_is_joinable_until_two_hours_after_its_scheduled_end(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    now = datetime.now(UTC)
    await change(
        ctx,
        Meeting,
        arranged.meeting.id,
        scheduled_start=now - timedelta(hours=3),
        scheduled_end=now - timedelta(hours=1, minutes=50),
    )
    await change(
        ctx,
        VideoCall,
        arranged.call.id,
        scheduled_start=now - timedelta(hours=3),
        scheduled_end=now - timedelta(hours=2, minutes=10),
    )
    late = (await callers.call("candidate", "GET", f"/api/rooms/{arranged.meeting.room_id}")).json()
    too_late = (await callers.call("candidate", "GET", f"/api/rooms/{arranged.call.room_code}")).json()
    assert (late["status"], late["joinable"]) == ("scheduled", True)
    assert (too_late["status"], too_late["joinable"]) == ("scheduled", False)
