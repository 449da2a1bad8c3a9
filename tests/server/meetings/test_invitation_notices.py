"""Invitations to a meeting or a video call notify the invitee (server/domains/meetings/invitations.py).

Each invitee, at creation (`participants`) or added later, gets exactly one notification linking
to the room; the inviter, the host and the people already seated get none; a refused invitation
(422, 409) notifies nobody. With a socket open, the invitee also gets `notification:new`.
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from models import Notification, User
from server.context import AppContext
from tests.realtime.fixtures import ClientFactory, Office
from tests.server.meetings.conftest import Arranged
from tests.server.tenants import Callers, Tenants

MEETING: dict[str, Any] = {
    "title": "一次面接",
    "scheduled_start": "2030-04-01T10:00:00+09:00",
    "scheduled_end": "2030-04-01T11:00:00+09:00",
}
CALL: dict[str, Any] = {
    "title": "週次すり合わせ",
    "scheduled_start": "2030-04-01T16:00:00+09:00",
    "scheduled_end": "2030-04-01T16:30:00+09:00",
}


async def notices(ctx: AppContext) -> list[tuple[int, str]]:
    """Every notification stored, as (user id, type), oldest first."""
    async with ctx.sessionmaker() as db:
        rows = await db.execute(select(Notification.user_id, Notification.type).order_by(Notification.id))
        return [(user_id, type_) for user_id, type_ in rows.tuples()]


async def notice_of(ctx: AppContext, user: User) -> dict[str, Any]:
    """The one notification `user` has, as its columns."""
    async with ctx.sessionmaker() as db:
        [row] = list(await db.scalars(select(Notification).where(Notification.user_id == user.id)))
    return {
        "type": row.type,
        "title": row.title,
        "message": row.message,
        "category": row.category,
        "priority": row.priority.value,
        "data": row.data,
        "action_url": row.action_url,
        "is_read": row.is_read,
    }


def meeting_notice(meeting: dict[str, Any], role: str, inviter: User) -> dict[str, Any]:
    return {
        "type": "meeting_invitation",
        "title": "Meeting invitation: 一次面接",
        "message": (
            f"一次面接, 2030-04-01 10:00–11:00 (Asia/Tokyo). "
            f"Invited by {inviter.last_name} {inviter.first_name}."
        ),
        "category": "meeting",
        "priority": "normal",
        "data": {
            "kind": "meeting",
            "meeting_id": meeting["id"],
            "room_code": meeting["room_id"],
            "role": role,
            "scheduled_start": "2030-04-01T01:00:00+00:00",
            "scheduled_end": "2030-04-01T02:00:00+00:00",
            "invited_by": inviter.id,
        },
        "action_url": f"/r/{meeting['room_id']}",
        "is_read": False,
    }


def call_notice(call: dict[str, Any], role: str, inviter: User) -> dict[str, Any]:
    return {
        "type": "video_call_invitation",
        "title": "Video call invitation: 週次すり合わせ",
        "message": (
            f"週次すり合わせ, 2030-04-01 16:00–16:30 (Asia/Tokyo). "
            f"Invited by {inviter.last_name} {inviter.first_name}."
        ),
        "category": "meeting",
        "priority": "normal",
        "data": {
            "kind": "video_call",
            "video_call_id": call["id"],
            "room_code": call["room_code"],
            "role": role,
            "scheduled_start": "2030-04-01T07:00:00+00:00",
            "scheduled_end": "2030-04-01T07:30:00+00:00",
            "invited_by": inviter.id,
        },
        "action_url": f"/r/{call['room_code']}",
        "is_read": False,
    }


async def created(callers: Callers, who: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await callers.call(who, "POST", path, json=callers.resolve(body))
    assert r.status_code == 201, r.text
    answer: dict[str, Any] = r.json()
    return answer


# --- meetings --------------------------------------------------------------------------------


async def test_each_invitee_of_a_new_meeting_gets_one_notification_linking_to_its_room(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    participants = [
        {"user_id": "{candidate}", "role": "candidate"},
        {"user_id": "{home_admin}", "role": "interviewer"},
    ]
    meeting = await created(callers, "recruiter", "/api/meetings/", {**MEETING, "participants": participants})
    user = tenants.user
    assert await notices(ctx) == [
        (user("candidate").id, "meeting_invitation"),
        (user("home_admin").id, "meeting_invitation"),
    ]
    assert await notice_of(ctx, user("candidate")) == meeting_notice(meeting, "candidate", user("recruiter"))
    assert await notice_of(ctx, user("home_admin")) == meeting_notice(
        meeting, "interviewer", user("recruiter")
    )


async def test_the_invitee_reads_the_invitation_in_their_notifications(
    callers: Callers, tenants: Tenants
) -> None:
    body = {**MEETING, "participants": [{"user_id": "{candidate}", "role": "candidate"}]}
    meeting = await created(callers, "recruiter", "/api/meetings/", body)
    inbox = await callers.call("candidate", "GET", "/api/notifications")
    assert inbox.status_code == 200
    [item] = inbox.json()["items"]
    assert (item["type"], item["title"], item["action_url"]) == (
        "meeting_invitation",
        "Meeting invitation: 一次面接",
        f"/r/{meeting['room_id']}",
    )
    assert (await callers.call("recruiter", "GET", "/api/notifications")).json()["total"] == 0


async def test_a_meeting_without_invitees_notifies_nobody(callers: Callers, ctx: AppContext) -> None:
    await created(callers, "recruiter", "/api/meetings/", MEETING)
    assert await notices(ctx) == []


async def test_a_participant_added_later_is_notified_and_nobody_else(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    body = {**MEETING, "participants": [{"user_id": "{candidate}", "role": "candidate"}]}
    meeting = await created(callers, "recruiter", "/api/meetings/", body)
    before = await notices(ctx)
    added = await callers.call(
        "recruiter",
        "POST",
        f"/api/meetings/{meeting['id']}/participants",
        json={"user_id": tenants.user("home_admin").id, "role": "observer"},
    )
    assert added.status_code == 201, added.text
    assert await notices(ctx) == [*before, (tenants.user("home_admin").id, "meeting_invitation")]
    assert await notice_of(ctx, tenants.user("home_admin")) == meeting_notice(
        meeting, "observer", tenants.user("recruiter")
    )


async def test_an_admin_adding_themselves_is_not_told_about_it(
    callers: Callers, ctx: AppContext, arranged: Arranged, tenants: Tenants
) -> None:
    added = await callers.call(
        "home_admin",
        "POST",
        "/api/meetings/{meeting}/participants",
        json={"user_id": tenants.user("home_admin").id, "role": "observer"},
    )
    assert added.status_code == 201, added.text
    assert await notices(ctx) == []


async def test_a_refused_meeting_invitation_notifies_nobody(
    callers: Callers, ctx: AppContext, arranged: Arranged, tenants: Tenants
) -> None:
    one_bad = [
        {"user_id": "{candidate}", "role": "candidate"},
        {"user_id": "{other_user}", "role": "observer"},
    ]
    refused = await callers.call(
        "recruiter", "POST", "/api/meetings/", json=callers.resolve({**MEETING, "participants": one_bad})
    )
    assert refused.status_code == 422
    outsider = await callers.call(
        "recruiter",
        "POST",
        "/api/meetings/{meeting}/participants",
        json={"user_id": tenants.user("other_user").id, "role": "observer"},
    )
    assert outsider.status_code == 422
    again = await callers.call(
        "recruiter",
        "POST",
        "/api/meetings/{meeting}/participants",
        json={"user_id": tenants.user("candidate").id, "role": "candidate"},
    )
    assert again.status_code == 409
    assert await notices(ctx) == []


# --- video calls -----------------------------------------------------------------------------


async def test_each_invitee_of_a_new_call_is_notified_and_neither_its_creator_nor_its_host(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    user = tenants.user
    body = {
        **CALL,
        "host_id": "{recruiter}",
        "participants": [{"user_id": "{candidate}"}, {"user_id": "{home_admin}", "role": "co_host"}],
    }
    call = await created(callers, "home_admin", "/api/video-calls/", body)
    assert await notices(ctx) == [(user("candidate").id, "video_call_invitation")]
    assert await notice_of(ctx, user("candidate")) == call_notice(call, "participant", user("home_admin"))


async def test_a_participant_added_to_a_call_later_is_notified(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    call = await created(callers, "recruiter", "/api/video-calls/", CALL)
    assert await notices(ctx) == []
    added = await callers.call(
        "recruiter",
        "POST",
        f"/api/video-calls/{call['id']}/participants",
        json={"user_id": tenants.user("home_admin").id, "role": "co_host"},
    )
    assert added.status_code == 201, added.text
    assert await notices(ctx) == [(tenants.user("home_admin").id, "video_call_invitation")]
    assert await notice_of(ctx, tenants.user("home_admin")) == call_notice(
        call, "co_host", tenants.user("recruiter")
    )


async def test_a_refused_call_invitation_notifies_nobody(
    callers: Callers, ctx: AppContext, arranged: Arranged, tenants: Tenants
) -> None:
    one_bad = {**CALL, "participants": [{"user_id": "{candidate}"}, {"user_id": "{other_user}"}]}
    refused = await callers.call("recruiter", "POST", "/api/video-calls/", json=callers.resolve(one_bad))
    assert refused.status_code == 422
    again = await callers.call(
        "recruiter",
        "POST",
        "/api/video-calls/{call}/participants",
        json={"user_id": tenants.user("candidate").id},
    )
    assert again.status_code == 409
    host = await callers.call(
        "recruiter",
        "POST",
        "/api/video-calls/{call}/participants",
        json={"user_id": tenants.user("recruiter").id},
    )
    assert host.status_code == 422
    assert await notices(ctx) == []


# --- live ------------------------------------------------------------------------------------


async def test_an_invitee_with_a_socket_open_gets_notification_new(
    connect: ClientFactory, office: Office, http: httpx.AsyncClient
) -> None:
    alice = await connect(office.alice.token)
    body = {**MEETING, "participants": [{"user_id": office.alice.id, "role": "interviewer"}]}
    r = await http.post("/api/meetings/", json=body, headers=office.admin.headers)
    assert r.status_code == 201, r.text
    [pushed] = await alice.wait_for("notification:new")
    assert (pushed["type"], pushed["title"], pushed["action_url"]) == (
        "meeting_invitation",
        "Meeting invitation: 一次面接",
        f"/r/{r.json()['room_id']}",
    )
    assert pushed["data"]["meeting_id"] == r.json()["id"]
