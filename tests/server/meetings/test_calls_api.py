"""/api/video-calls: generated room codes, hashed passwords that never come back, settings and hosts."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from models import AuditLog, VideoCall, VideoCallParticipant
from models.enums import VideoCallStatus
from server.context import AppContext
from server.domains.meetings.codes import CODE_ALPHABET
from tests.server.meetings.conftest import Arranged
from tests.server.tenants import (
    MISSING_ID,
    Callers,
    Rejections,
    Tenants,
    assert_rejections,
    conflict,
    invalid,
)

NEW: dict[str, Any] = {
    "title": "週次すり合わせ",
    "scheduled_start": "2030-04-01T16:00:00+09:00",
    "scheduled_end": "2030-04-01T16:30:00+09:00",
}
SECRET = "sakura-2030"
DEEP = (
    b'{"title": "t", "scheduled_start": "2030-04-01T16:00:00Z", "scheduled_end": "2030-04-01T17:00:00Z",'
    + b'"settings": {"a": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}}"
)
"""Nested deeper than the JSON decoder recurses."""
ROOM_CODE = re.compile(f"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")


def no_secret(answer: Any) -> bool:
    """Neither the password nor anything named after it appears anywhere in an answer."""
    text = str(answer)
    return SECRET not in text and "room_password" not in text and "$argon2" not in text


async def stored_password(ctx: AppContext, call_id: int) -> str | None:
    async with ctx.sessionmaker() as db:
        return await db.scalar(select(VideoCall.room_password).where(VideoCall.id == call_id))


async def test_a_new_call_gets_a_readable_unique_code_and_its_creator_hosts_it(
    callers: Callers, tenants: Tenants
) -> None:
    body = {**NEW, "participants": [{"user_id": tenants.user("candidate").id}], "settings": {"chat": True}}
    first = await callers.call("recruiter", "POST", "/api/video-calls/", json=body)
    second = await callers.call("recruiter", "POST", "/api/video-calls/", json=NEW)
    assert (first.status_code, second.status_code) == (201, 201)
    call = first.json()
    assert ROOM_CODE.match(call["room_code"]) and call["room_code"] != second.json()["room_code"]
    assert (call["host_id"], call["company_id"]) == (tenants.user("recruiter").id, tenants.home.id)
    assert (call["max_participants"], call["waiting_room"], call["password_required"]) == (10, False, False)
    assert call["settings"] == {"chat": True}
    assert [(p["user_id"], p["role"], p["display_name"]) for p in call["participants"]] == [
        (tenants.user("candidate").id, "participant", "Tenant candidate")
    ]
    refused = await callers.call("recruiter", "POST", "/api/video-calls/", json={**NEW, "room_code": "abc"})
    assert refused.status_code == 422


async def test_the_password_is_stored_hashed_and_never_answered(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    body = {**NEW, "password_required": True, "room_password": SECRET, "waiting_room": True}
    created = await callers.call("recruiter", "POST", "/api/video-calls/", json=body)
    assert created.status_code == 201 and created.json()["password_required"] is True
    call_id = created.json()["id"]
    stored = await stored_password(ctx, call_id)
    assert stored is not None and stored != SECRET and ctx.passwords.verify(stored, SECRET)
    answers = [
        created.json(),
        (await callers.call("recruiter", "GET", f"/api/video-calls/{call_id}")).json(),
        (await callers.call("recruiter", "GET", "/api/video-calls/")).json(),
        (
            await callers.call(
                "recruiter", "PATCH", f"/api/video-calls/{call_id}", json={"room_password": "x" * 8}
            )
        ).json(),
    ]
    assert [no_secret(a) for a in answers] == [True] * 4
    changed = await stored_password(ctx, call_id)
    assert changed is not None and ctx.passwords.verify(changed, "x" * 8) and changed != stored
    async with ctx.sessionmaker() as db:
        trail = list(await db.scalars(select(AuditLog).where(AuditLog.entity_type == "video_calls")))
    values = [(row.old_values or {}, row.new_values or {}) for row in trail]
    assert values and all(SECRET not in str(v) and "$argon2" not in str(v) for v in values)
    created_row = next(r for r in trail if (r.action, r.entity_id) == ("video_calls.create", call_id))
    assert created_row.new_values["room_password"] == "[redacted]"
    # Switching the password off drops the hash.
    off = await callers.call(
        "recruiter", "PATCH", f"/api/video-calls/{call_id}", json={"password_required": False}
    )
    assert off.json()["password_required"] is False and await stored_password(ctx, call_id) is None


REJECTED: Rejections = [
    (
        "recruiter",
        "POST",
        "/api/video-calls/",
        [
            ({"json": {**NEW, "password_required": True}}, invalid("room_password")),
            ({"json": {**NEW, "room_password": SECRET}}, invalid("room_password")),
            ({"json": {**NEW, "password_required": True, "room_password": "abc"}}, invalid("room_password")),
            ({"json": {**NEW, "max_participants": 0}}, invalid("max_participants")),
            ({"json": {**NEW, "max_participants": 101}}, invalid("max_participants")),
            ({"json": {**NEW, "settings": ["chat"]}}, invalid("settings")),
            ({"json": {**NEW, "settings": {"blob": "x" * 5000}}}, invalid("settings")),
            ({"json": {**NEW, "settings": {"a": {"b": {"c": 1}}}}}, invalid("settings[...][...]")),
            ({"json": {**NEW, "scheduled_end": NEW["scheduled_start"]}}, invalid("scheduled_end")),
            ({"json": {**NEW, "host_id": MISSING_ID}}, invalid("host_id")),
            ({"json": {**NEW, "host_id": "{other_user}"}}, invalid("host_id")),
            ({"json": {**NEW, "host_id": "{candidate}"}}, invalid("host_id")),
            (
                {"json": {**NEW, "participants": [{"user_id": "{other_user}"}]}},
                invalid("participants[0].user_id"),
            ),
            (
                {"json": {**NEW, "participants": [{"user_id": "{recruiter}"}]}},
                invalid("participants[0].user_id"),
            ),
            (
                {"json": {**NEW, "participants": [{"user_id": "{home_admin}", "role": "host"}]}},
                invalid("participants[0].role"),
            ),
        ],
    ),
    (
        "system_admin",
        "POST",
        "/api/video-calls/",
        [({"json": {**NEW, "company_id": "{home}"}}, invalid("host_id"))],
    ),
    (
        "recruiter",
        "PATCH",
        "/api/video-calls/{call}",
        [
            ({"json": {"password_required": True}}, invalid("room_password")),
            ({"json": {"room_password": SECRET}}, invalid("room_password")),
            ({"json": {"max_participants": 500}}, invalid("max_participants")),
            ({"json": {"room_code": "aaaa-bbbb-cccc"}}, invalid("room_code")),
            ({"json": {"scheduled_end": "2000-01-01T00:00:00Z"}}, invalid("scheduled_end")),
        ],
    ),
    (
        "recruiter",
        "POST",
        "/api/video-calls/{call}/participants",
        [
            ({"json": {"user_id": "{candidate}"}}, conflict("already_invited")),
            ({"json": {"user_id": "{recruiter}"}}, invalid("user_id")),
            ({"json": {"user_id": "{employer}"}}, invalid("user_id")),
        ],
    ),
]


async def test_invalid_input_is_refused(callers: Callers, arranged: Arranged) -> None:
    table = [
        (who, method, path, [({k: callers.resolve(v) for k, v in req.items()}, ans) for req, ans in rows])
        for who, method, path, rows in REJECTED
    ]
    await assert_rejections(callers, table)


async def test_the_host_passes_on_and_invitations_come_and_go(
    callers: Callers, tenants: Tenants, ctx: AppContext, arranged: Arranged
) -> None:
    invited = await callers.call(
        "recruiter",
        "POST",
        "/api/video-calls/{call}/participants",
        json={"user_id": tenants.user("home_admin").id, "role": "co_host"},
    )
    assert (invited.status_code, invited.json()["role"]) == (201, "co_host")
    removed = await callers.call(
        "recruiter", "DELETE", f"/api/video-calls/{{call}}/participants/{invited.json()['id']}"
    )
    assert removed.status_code == 204
    async with ctx.sessionmaker() as db:
        assert await db.get(VideoCallParticipant, invited.json()["id"]) is None
    moved = await callers.call(
        "recruiter", "PATCH", "/api/video-calls/{call}", json={"host_id": tenants.user("home_admin").id}
    )
    assert moved.json()["host_id"] == tenants.user("home_admin").id
    # The host manages; the former host, a plain colleague now, does not.
    refused = await callers.call("recruiter", "PATCH", "/api/video-calls/{call}", json={"title": "x"})
    assert refused.status_code == 403


async def test_a_system_admin_creates_a_call_for_a_named_company_and_host(
    callers: Callers, tenants: Tenants
) -> None:
    body = {**NEW, "company_id": tenants.other.id, "host_id": tenants.user("other_user").id}
    created = await callers.call("system_admin", "POST", "/api/video-calls/", json=body)
    assert (created.status_code, created.json()["company_id"]) == (201, tenants.other.id)
    managed = await callers.call(
        "other_user", "PATCH", f"/api/video-calls/{created.json()['id']}", json={"title": "t"}
    )
    assert managed.status_code == 200


async def test_a_call_that_took_place_is_kept_and_closed(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    async with ctx.transaction() as db:
        (await db.get_one(VideoCall, arranged.call.id)).status = VideoCallStatus.ENDED
    got = [
        (await callers.call("recruiter", "POST", "/api/video-calls/{call}/cancel")).json()["code"],
        (await callers.call("recruiter", "DELETE", "/api/video-calls/{call}")).json()["code"],
        (await callers.call("recruiter", "PATCH", "/api/video-calls/{call}", json={"title": "x"})).json()[
            "code"
        ],
    ]
    assert got == ["call_started", "call_started", "call_closed"]


async def test_a_body_nested_too_deep_is_bad_input_not_a_server_error(callers: Callers) -> None:
    response = await callers.call("recruiter", "POST", "/api/video-calls/", content=DEEP)
    assert response.status_code == 400
