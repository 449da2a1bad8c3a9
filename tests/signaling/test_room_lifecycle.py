"""When a room ends: a host ends it, its time window is over, or it is left empty past its
scheduled end; never because everyone left before the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, VideoCall
from models.enums import MeetingRole, MeetingStatus, VideoCallStatus
from server.context import AppContext
from server.domains.meetings.live.seats import LiveRooms, close_due_rooms
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import LiveServer
from tests.signaling.conftest import make_call, make_meeting


async def reread_meeting(ctx: AppContext, meeting_id: int) -> Meeting:
    async with ctx.sessionmaker() as db:
        return await db.get_one(Meeting, meeting_id)


async def reread_call(ctx: AppContext, call_id: int) -> VideoCall:
    async with ctx.sessionmaker() as db:
        return await db.get_one(VideoCall, call_id)


async def test_a_host_testing_the_room_days_early_leaves_it_open_for_the_meeting(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext, http: httpx.AsyncClient
) -> None:
    start = datetime.now(UTC) + timedelta(days=2)
    meeting = await make_meeting(
        session, office, {office.admin.id: MeetingRole.HOST, office.alice.id: MeetingRole.INTERVIEWER}
    )
    meeting.scheduled_start, meeting.scheduled_end = start, start + timedelta(hours=1)
    meeting.recording_enabled = True
    await session.commit()
    host = await connect(office.admin.token)
    assert (await host.call("room:join", {"room_code": meeting.room_id}))["status"] == "joined"
    assert (await host.call("room:leave", {}))["ok"] is True
    tested = await reread_meeting(ctx, meeting.id)
    assert (tested.status, tested.actual_end) == (MeetingStatus.SCHEDULED, None)
    assert tested.actual_start is not None

    guest = await connect(office.alice.token)
    await host.call("room:join", {"room_code": meeting.room_id})
    assert (await guest.call("room:join", {"room_code": meeting.room_id}))["status"] == "joined"

    moved = start + timedelta(days=1)
    response = await http.patch(
        f"/api/meetings/{meeting.id}",
        json={
            "scheduled_start": moved.isoformat(),
            "scheduled_end": (moved + timedelta(hours=1)).isoformat(),
        },
        headers=office.admin.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["recording_enabled"] is True
    assert sorted(p["user_id"] for p in body["participants"]) == sorted([office.admin.id, office.alice.id])


async def test_the_last_one_leaving_after_the_scheduled_end_ends_the_room(
    connect: ClientFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    now = datetime.now(UTC)
    call = await make_call(
        session,
        ctx,
        office,
        scheduled_start=now - timedelta(hours=1),
        scheduled_end=now - timedelta(minutes=1),
    )
    host = await connect(office.admin.token)
    await host.call("room:join", {"room_code": call.room_code})
    await host.call("room:leave", {})
    ended = await reread_call(ctx, call.id)
    assert ended.status is VideoCallStatus.ENDED
    assert ended.actual_end is not None
    again = await host.call("room:join", {"room_code": call.room_code})
    assert again["error"]["code"] == "room_closed"


async def test_the_clock_closes_rooms_whose_window_is_over_and_empty_rooms_past_their_end(
    live: LiveServer, connect: ClientFactory, office: Office, session: AsyncSession
) -> None:
    now = datetime.now(UTC)
    over = await make_call(
        session,
        live.ctx,
        office,
        scheduled_start=now - timedelta(hours=4),
        scheduled_end=now - timedelta(hours=3),
    )
    empty_past_end = await make_meeting(session, office, {office.admin.id: MeetingRole.HOST})
    empty_past_end.scheduled_end = now - timedelta(minutes=5)
    running_late = await make_call(
        session,
        live.ctx,
        office,
        scheduled_start=now - timedelta(hours=1),
        scheduled_end=now - timedelta(minutes=5),
    )
    upcoming = await make_call(session, live.ctx, office)
    await session.commit()
    host = await connect(office.admin.token)
    assert (await host.call("room:join", {"room_code": running_late.room_code}))["status"] == "joined"

    assert await close_due_rooms(live.ctx) == 2

    assert (await reread_call(live.ctx, over.id)).status is VideoCallStatus.ENDED
    assert (await reread_meeting(live.ctx, empty_past_end.id)).status is MeetingStatus.COMPLETED
    assert (await reread_call(live.ctx, running_late.id)).status is VideoCallStatus.IN_PROGRESS
    assert (await reread_call(live.ctx, upcoming.id)).status is VideoCallStatus.SCHEDULED
    assert host.received["room:ended"] == []
    assert await close_due_rooms(live.ctx) == 0


async def test_the_clock_ends_a_room_still_occupied_when_its_window_is_over(
    live: LiveServer, connect: ClientFactory, office: Office, session: AsyncSession
) -> None:
    now = datetime.now(UTC)
    call = await make_call(
        session,
        live.ctx,
        office,
        scheduled_start=now - timedelta(hours=1),
        scheduled_end=now - timedelta(minutes=5),
    )
    host = await connect(office.admin.token)
    await host.call("room:join", {"room_code": call.room_code})
    async with live.ctx.transaction() as db:
        assert await LiveRooms(db, live.ctx).close_due(now + timedelta(hours=3)) == 1
    assert await host.wait_for("room:ended") == [{"by": None}]
    assert (await reread_call(live.ctx, call.id)).status is VideoCallStatus.ENDED


async def test_moving_an_interview_whose_room_was_tried_early_keeps_its_meeting_guests_and_settings(
    connect: ClientFactory, office: Office, ctx: AppContext, http: httpx.AsyncClient
) -> None:
    start = datetime.now(UTC) + timedelta(days=2)
    created = await http.post(
        "/api/interviews",
        json={"title": "二次面接", "scheduled_start": start.isoformat()},
        headers=office.admin.headers,
    )
    assert created.status_code == 201, created.text
    interview = created.json()
    [meeting] = (
        await http.get(f"/api/meetings?interview_id={interview['id']}", headers=office.admin.headers)
    ).json()["items"]
    invited = await http.post(
        f"/api/meetings/{meeting['id']}/participants",
        json={"user_id": office.alice.id, "role": "interviewer"},
        headers=office.admin.headers,
    )
    assert invited.status_code == 201, invited.text
    enabled = await http.patch(
        f"/api/meetings/{meeting['id']}", json={"recording_enabled": True}, headers=office.admin.headers
    )
    assert enabled.status_code == 200, enabled.text
    host = await connect(office.admin.token)
    assert (await host.call("room:join", {"room_code": meeting["room_id"]}))["status"] == "joined"
    await host.call("room:leave", {})

    later = start + timedelta(days=1)
    moved = await http.post(
        f"/api/interviews/{interview['id']}/schedule",
        json={"scheduled_start": later.isoformat()},
        headers=office.admin.headers,
    )
    assert moved.status_code == 200, moved.text
    [kept] = (
        await http.get(f"/api/meetings?interview_id={interview['id']}", headers=office.admin.headers)
    ).json()["items"]
    assert (kept["id"], kept["room_id"], kept["status"]) == (meeting["id"], meeting["room_id"], "scheduled")
    assert datetime.fromisoformat(kept["scheduled_start"]) == later
    assert kept["recording_enabled"] is True
    assert {p["user_id"]: p["role"] for p in kept["participants"]} == {
        office.admin.id: "host",
        office.alice.id: "interviewer",
    }
