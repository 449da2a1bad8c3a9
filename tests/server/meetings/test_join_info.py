"""GET /api/rooms/{room_code}: what a client reads before `room:join`, and nothing for anyone else.

Who may enter is `rooms.Rooms.find` (the signaling rule): a meeting's invitees and managers, a
call's host, invitees and company staff. Everyone else gets the same 404 as a random code.
"""

from __future__ import annotations

import dataclasses
import secrets

from litestar.testing import AsyncTestClient

from models import AuditLog, MeetingParticipant, VideoCallParticipant
from server.asgi import create
from server.context import AppContext
from server.settings import IceServer, Settings
from tests.server.meetings.conftest import Arranged
from tests.server.tenants import Callers, Tenants, assert_error, snapshot


async def test_an_invitee_reads_the_meeting_they_may_enter(callers: Callers, arranged: Arranged) -> None:
    response = await callers.call("candidate", "GET", f"/api/rooms/{arranged.meeting.room_id}")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "meeting",
        "title": arranged.meeting.title,
        "scheduled_start": arranged.meeting.scheduled_start.isoformat().replace("+00:00", "Z"),
        "scheduled_end": arranged.meeting.scheduled_end.isoformat().replace("+00:00", "Z"),
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
