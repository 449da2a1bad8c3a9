"""/api/meetings: what a permitted call does and what it refuses (rules: meetings/policy.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import AuditLog, Meeting, MeetingParticipant
from models.enums import MeetingStatus
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import make_interview, make_position, make_user
from tests.server.meetings.conftest import ACCESS_CODE, Arranged
from tests.server.tenants import (
    MISSING_ID,
    Callers,
    Rejections,
    Tenants,
    assert_error,
    assert_rejections,
    conflict,
    invalid,
)

START, END = "2030-04-01T10:00:00+09:00", "2030-04-01T11:00:00+09:00"
NEW: dict[str, Any] = {"title": "一次面接", "scheduled_start": START, "scheduled_end": END}


async def test_a_new_meeting_gets_a_generated_room_and_its_creator_hosts_it(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    body = {**NEW, "participants": [{"user_id": "{candidate}", "role": "candidate"}]}
    first = await callers.call("recruiter", "POST", "/api/meetings/", json=callers.resolve(body))
    second = await callers.call("recruiter", "POST", "/api/meetings/", json=NEW)
    assert (first.status_code, second.status_code) == (201, 201)
    meeting = first.json()
    assert len(meeting["room_id"]) >= 22 and meeting["room_id"] != second.json()["room_id"]
    assert meeting["scheduled_start"] == "2030-04-01T01:00:00Z"
    assert (meeting["company_id"], meeting["created_by"]) == (tenants.home.id, tenants.user("recruiter").id)
    assert (meeting["meeting_type"], meeting["status"], meeting["interview_id"]) == (
        "team",
        "scheduled",
        None,
    )
    seats = [(p["user_id"], p["role"], p["can_record"], p["status"]) for p in meeting["participants"]]
    assert seats == [
        (tenants.user("recruiter").id, "host", True, "accepted"),
        (tenants.user("candidate").id, "candidate", False, "invited"),
    ]
    assert meeting["participants"][1]["first_name"] == "candidate"
    async with ctx.sessionmaker() as db:
        actions = set(await db.scalars(select(AuditLog.action).where(AuditLog.entity_type == "meetings")))
    assert actions == {"meetings.create"}


async def test_room_id_is_never_the_clients_and_never_changes(callers: Callers, arranged: Arranged) -> None:
    refused = await callers.call("recruiter", "POST", "/api/meetings/", json={**NEW, "room_id": "mine"})
    assert_error(refused, 422, "validation_error")
    patched = await callers.call("recruiter", "PATCH", "/api/meetings/{meeting}", json={"room_id": "mine"})
    assert_error(patched, 422, "validation_error")
    changed = await callers.call(
        "recruiter", "PATCH", "/api/meetings/{meeting}", json={"title": "再調整", "scheduled_end": END}
    )
    assert (changed.status_code, changed.json()["room_id"]) == (200, arranged.meeting.room_id)


REJECTED: Rejections = [
    (
        "recruiter",
        "POST",
        "/api/meetings/",
        [
            ({"json": {**NEW, "scheduled_end": START}}, invalid("scheduled_end")),
            ({"json": {**NEW, "scheduled_end": "2030-04-01T09:59:00+09:00"}}, invalid("scheduled_end")),
            ({"json": {**NEW, "scheduled_start": "2030-04-01T10:00:00"}}, invalid("scheduled_start")),
            ({"json": {**NEW, "title": ""}}, invalid("title")),
            ({"json": {**NEW, "access_code": "12"}}, invalid("access_code")),
            ({"json": {**NEW, "meeting_type": "party"}}, invalid("meeting_type")),
            ({"json": {**NEW, "interview_id": MISSING_ID}}, invalid("interview_id")),
            (
                {"json": {**NEW, "participants": [{"user_id": MISSING_ID, "role": "observer"}]}},
                invalid("participants[0].user_id"),
            ),
            (
                {"json": {**NEW, "participants": [{"user_id": 1, "role": "boss"}]}},
                invalid("participants[0].role"),
            ),
            ({"json": {**NEW, "recording_consent_required": False}}, invalid("recording_consent_required")),
        ],
    ),
    (
        "system_admin",
        "POST",
        "/api/meetings/",
        [
            ({"json": NEW}, invalid("company_id")),
            ({"json": {**NEW, "company_id": MISSING_ID}}, invalid("company_id")),
        ],
    ),
    (
        "recruiter",
        "PATCH",
        "/api/meetings/{meeting}",
        [
            # The stored start is tomorrow: an end in 2000 comes before it.
            ({"json": {"scheduled_end": "2000-01-01T00:00:00+00:00"}}, invalid("scheduled_end")),
            ({"json": {"title": None}}, invalid("title")),
            ({"json": {"status": "completed"}}, invalid("status")),
            ({"json": {"interview_id": MISSING_ID}}, invalid("interview_id")),
        ],
    ),
    (
        "recruiter",
        "POST",
        "/api/meetings/{meeting}/participants",
        [
            ({"json": {"user_id": "{candidate}", "role": "observer"}}, conflict("already_invited")),
            ({"json": {"user_id": "{employer}", "role": "guest"}}, invalid("role")),
        ],
    ),
]


async def test_invalid_input_is_refused(callers: Callers, arranged: Arranged) -> None:
    table = [
        (who, method, path, [({k: callers.resolve(v) for k, v in req.items()}, ans) for req, ans in rows])
        for who, method, path, rows in REJECTED
    ]
    await assert_rejections(callers, table)


async def test_invitees_are_colleagues_candidates_of_the_company_and_the_interviews_people(
    callers: Callers, tenants: Tenants, ctx: AppContext
) -> None:
    async with ctx.transaction() as db:
        outsider = await make_user(db, ctx.passwords, None, RoleName.CANDIDATE)
        other_candidate = await make_user(db, ctx.passwords, tenants.other, RoleName.CANDIDATE)
        position = await make_position(db, tenants.employer_co, tenants.user("employer_admin"))
        interview = await make_interview(
            db, tenants.home, tenants.user("recruiter"), candidate=outsider, position=position
        )
        await make_interview(db, tenants.other, tenants.user("other_user"), candidate=other_candidate)
    standalone = (await callers.call("recruiter", "POST", "/api/meetings/", json=NEW)).json()
    for_interview = await callers.call(
        "recruiter", "POST", "/api/meetings/", json={**NEW, "interview_id": interview.id}
    )
    assert (for_interview.status_code, for_interview.json()["meeting_type"]) == (201, "interview")
    cases = [
        (standalone["id"], tenants.user("home_admin").id, 201),  # a colleague
        (standalone["id"], outsider.id, 201),  # the candidate of one of the company's interviews
        (standalone["id"], tenants.user("employer").id, 422),  # no interview ties this meeting
        (standalone["id"], other_candidate.id, 422),  # another tenant's candidate
        (standalone["id"], tenants.user("other_user").id, 422),  # another tenant's staff
        (for_interview.json()["id"], tenants.user("employer").id, 201),  # the position's company
        (for_interview.json()["id"], tenants.user("other_admin").id, 422),
    ]
    got = []
    for meeting_id, user_id, _ in cases:
        response = await callers.call(
            "recruiter",
            "POST",
            f"/api/meetings/{meeting_id}/participants",
            json={"user_id": user_id, "role": "interviewer", "can_record": True},
        )
        got.append((meeting_id, user_id, response.status_code))
    assert got == cases


async def test_an_interview_of_another_tenant_is_refused(
    callers: Callers, tenants: Tenants, ctx: AppContext, arranged: Arranged
) -> None:
    async with ctx.transaction() as db:
        theirs = await make_interview(db, tenants.other, tenants.user("other_user"))
        ours = await make_interview(db, tenants.home, tenants.user("recruiter"))
    created = await callers.call(
        "recruiter", "POST", "/api/meetings/", json={**NEW, "interview_id": theirs.id}
    )
    assert assert_error(created, 422, "validation_error")["errors"][0]["field"] == "interview_id"
    linked = await callers.call(
        "recruiter", "PATCH", "/api/meetings/{meeting}", json={"interview_id": ours.id}
    )
    assert linked.json()["interview_id"] == ours.id
    unlinked = await callers.call(
        "recruiter", "PATCH", "/api/meetings/{meeting}", json={"interview_id": None}
    )
    assert unlinked.json()["interview_id"] is None


async def test_only_managers_read_the_access_code(callers: Callers, arranged: Arranged) -> None:
    seen = {}
    for who in ("recruiter", "home_admin", "system_admin", "candidate"):
        answer = (await callers.call(who, "GET", "/api/meetings/{meeting}")).json()
        seen[who] = (answer.get("access_code", "absent"), answer["access_code_required"])
    assert seen == {
        "recruiter": (ACCESS_CODE, True),
        "home_admin": (ACCESS_CODE, True),
        "system_admin": (ACCESS_CODE, True),
        "candidate": ("absent", True),
    }
    listed = (await callers.call("candidate", "GET", "/api/meetings/")).json()["items"]
    assert [("access_code" in m, m["access_code_required"]) for m in listed] == [(False, True)]
    cleared = await callers.call("recruiter", "PATCH", "/api/meetings/{meeting}", json={"access_code": None})
    assert (cleared.json()["access_code"], cleared.json()["access_code_required"]) == (None, False)
    candidate_view = (await callers.call("candidate", "GET", "/api/meetings/{meeting}")).json()
    assert "access_code" not in candidate_view and candidate_view["access_code_required"] is False


async def test_participants_change_role_and_recording_right_and_leave(
    callers: Callers, arranged: Arranged, ctx: AppContext
) -> None:
    changed = await callers.call(
        "recruiter",
        "PATCH",
        "/api/meetings/{meeting}/participants/{candidate_seat}",
        json={"role": "observer", "can_record": True},
    )
    assert (changed.status_code, changed.json()["role"], changed.json()["can_record"]) == (
        200,
        "observer",
        True,
    )
    elsewhere = await callers.call(
        "home_admin", "DELETE", "/api/meetings/{admin_meeting}/participants/{candidate_seat}"
    )
    assert_error(elsewhere, 404, "not_found")
    removed = await callers.call(
        "recruiter", "DELETE", "/api/meetings/{meeting}/participants/{candidate_seat}"
    )
    assert removed.status_code == 204
    async with ctx.sessionmaker() as db:
        assert await db.get(MeetingParticipant, arranged.candidate_seat) is None
    # Not invited any more: the meeting is gone from the candidate's view.
    assert_error(await callers.call("candidate", "GET", "/api/meetings/{meeting}"), 404, "not_found")
    again = await callers.call("recruiter", "DELETE", "/api/meetings/{meeting}/participants/{candidate_seat}")
    assert (
        assert_error(again, 404, "not_found")["detail"]
        == f"Participant {arranged.candidate_seat} was not found."
    )


async def test_cancelling_keeps_the_meeting_and_closes_it_to_changes(
    callers: Callers, arranged: Arranged
) -> None:
    first = await callers.call("recruiter", "POST", "/api/meetings/{meeting}/cancel")
    again = await callers.call("recruiter", "POST", "/api/meetings/{meeting}/cancel")
    assert [(r.status_code, r.json()["status"]) for r in (first, again)] == [(200, "cancelled")] * 2
    assert_error(
        await callers.call("recruiter", "PATCH", "/api/meetings/{meeting}", json={"title": "x"}),
        409,
        "meeting_closed",
    )
    invite = {"user_id": callers.tenants.user("home_admin").id, "role": "observer"}
    assert_error(
        await callers.call("recruiter", "POST", "/api/meetings/{meeting}/participants", json=invite),
        409,
        "meeting_closed",
    )
    # A cancelled meeting that never took place may still be erased.
    assert (await callers.call("recruiter", "DELETE", "/api/meetings/{meeting}")).status_code == 204


async def test_a_meeting_that_took_place_is_neither_cancelled_nor_erased(
    callers: Callers, arranged: Arranged, ctx: AppContext
) -> None:
    async with ctx.transaction() as db:
        meeting = await db.get_one(Meeting, arranged.meeting.id)
        meeting.status = MeetingStatus.IN_PROGRESS
    assert_error(
        await callers.call("recruiter", "POST", "/api/meetings/{meeting}/cancel"), 409, "meeting_started"
    )
    assert_error(await callers.call("recruiter", "DELETE", "/api/meetings/{meeting}"), 409, "meeting_started")


async def test_a_system_admin_creates_a_meeting_for_a_named_company(
    callers: Callers, tenants: Tenants
) -> None:
    created = await callers.call(
        "system_admin", "POST", "/api/meetings/", json={**NEW, "company_id": tenants.other.id}
    )
    assert (created.status_code, created.json()["company_id"]) == (201, tenants.other.id)
    seen = await callers.call("other_admin", "GET", f"/api/meetings/{created.json()['id']}")
    assert seen.status_code == 200
