"""/api/interviews: creating, scheduling and moving, the meeting room, feedback and deletion."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import AuditLog
from models.enums import PositionStatus
from server.context import AppContext
from tests.factories import make_position
from tests.server.interviews.conftest import Desk, at
from tests.server.interviews.helpers import meetings_of
from tests.server.tenants import Callers, Rejections, assert_rejections, invalid

BASE = "/api/interviews/"


async def create(callers: Callers, who: str = "recruiter", **body: Any) -> dict[str, Any]:
    payload = {"title": "二次面接", "candidate_id": callers.tenants.user("candidate").id, **body}
    response = await callers.call(who, "POST", BASE, json=payload)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_an_online_interview_with_a_start_is_scheduled_with_its_room(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    made = await create(callers, scheduled_start=at("2030-05-01 14:00"), duration_minutes=45)
    users = callers.tenants.users
    assert made["status"] == "scheduled"
    assert (made["scheduled_start"], made["scheduled_end"]) == (
        "2030-05-01T05:00:00Z",
        "2030-05-01T05:45:00Z",
    )
    assert (made["duration_minutes"], made["timezone"]) == (45, "Asia/Tokyo")
    assert made["recruiter_id"] == users["recruiter"].id  # the creator, by default
    [meeting] = await meetings_of(ctx, made["id"])
    assert meeting == {
        "status": "scheduled",
        "room_id": made["room_id"],
        "start": "2030-05-01T05:00:00+00:00",
        "end": "2030-05-01T05:45:00+00:00",
        "type": "interview",
        "company_id": callers.tenants.home.id,
        "seats": {users["recruiter"].id: ("host", True), users["candidate"].id: ("candidate", False)},
    }
    assert made["meeting_id"] is not None


async def test_without_a_start_an_interview_waits_for_its_schedule(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    made = await create(callers, duration_minutes=90)
    assert (made["status"], made["scheduled_start"], made["room_id"]) == ("pending_schedule", None, None)
    assert await meetings_of(ctx, made["id"]) == []
    scheduled = await callers.call(
        "home_admin", "POST", f"{BASE}{made['id']}/schedule", json={"scheduled_start": at("2030-05-02 09:00")}
    )
    assert scheduled.status_code == 200, scheduled.text
    body = scheduled.json()
    assert (body["status"], body["scheduled_end"], body["duration_minutes"]) == (
        "scheduled",
        "2030-05-02T01:30:00Z",
        90,
    )
    assert [m["status"] for m in await meetings_of(ctx, made["id"])] == ["scheduled"]


async def test_a_schedule_must_make_sense(callers: Callers, desk: Desk) -> None:
    path = BASE + "{pending}/schedule"
    start = at("2030-05-02 09:00")
    table: Rejections = [
        (
            "recruiter",
            "POST",
            path,
            [
                ({"json": {"scheduled_start": start, "scheduled_end": start}}, invalid("scheduled_end")),
                (
                    {"json": {"scheduled_start": start, "scheduled_end": at("2030-05-02 08:00")}},
                    invalid("scheduled_end"),
                ),
                (
                    {"json": {"scheduled_start": start, "scheduled_end": "2030-05-02T00:30:30+00:00"}},
                    invalid("scheduled_end"),
                ),
                (
                    {"json": {"scheduled_start": start, "scheduled_end": at("2030-05-03 09:01")}},
                    invalid("scheduled_end"),
                ),
                (
                    {
                        "json": {
                            "scheduled_start": start,
                            "scheduled_end": at("2030-05-02 10:00"),
                            "duration_minutes": 30,
                        }
                    },
                    invalid("duration_minutes"),
                ),
                ({"json": {"scheduled_start": start, "duration_minutes": 0}}, invalid("duration_minutes")),
                ({"json": {"scheduled_start": start, "timezone": "Asia/Osaka"}}, invalid("timezone")),
                ({"json": {"scheduled_start": "2030-05-02T09:00:00"}}, invalid("scheduled_start")),
                ({"json": {"scheduled_end": start}}, invalid("scheduled_start")),
            ],
        ),
        (
            "recruiter",
            "POST",
            BASE,
            [
                ({"json": {"title": "x", "scheduled_end": start}}, invalid("scheduled_start")),
                ({"json": {"title": "x", "meeting_url": "javascript:alert(1)"}}, invalid("meeting_url")),
            ],
        ),
    ]
    await assert_rejections(callers, table)


async def test_a_zone_and_an_end_are_kept_as_given(callers: Callers, desk: Desk) -> None:
    made = await create(
        callers,
        scheduled_start="2030-06-01T09:00:00+02:00",
        scheduled_end="2030-06-01T10:15:00+02:00",
        timezone="Europe/Berlin",
    )
    assert (made["scheduled_start"], made["duration_minutes"], made["timezone"]) == (
        "2030-06-01T07:00:00Z",
        75,
        "Europe/Berlin",
    )


async def test_moving_moves_the_room_and_keeps_the_status(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    await callers.call(
        "candidate", "POST", "/api/interviews/{interview}/status", json={"status": "confirmed"}
    )
    moved = await callers.call(
        "recruiter",
        "POST",
        "/api/interviews/{interview}/schedule",
        json={"scheduled_start": at("2030-04-03 15:00"), "scheduled_end": at("2030-04-03 15:30")},
    )
    assert (moved.json()["status"], moved.json()["duration_minutes"]) == ("confirmed", 30)
    [meeting] = await meetings_of(ctx, desk.interviews["interview"].id)
    assert (meeting["start"], meeting["end"], meeting["room_id"]) == (
        "2030-04-03T06:00:00+00:00",
        "2030-04-03T06:30:00+00:00",
        desk.room.room_id,
    )


async def test_cancelling_or_going_offline_cancels_the_room(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    offline = await callers.call(
        "recruiter", "PATCH", "/api/interviews/{interview}", json={"interview_type": "phone"}
    )
    assert (offline.json()["room_id"], offline.json()["interview_type"]) == (None, "phone")
    assert [m["status"] for m in await meetings_of(ctx, desk.interviews["interview"].id)] == ["cancelled"]
    online = await callers.call(
        "recruiter", "PATCH", "/api/interviews/{interview}", json={"interview_type": "online"}
    )
    assert online.json()["room_id"] not in (None, desk.room.room_id)
    cancelled = await callers.call(
        "recruiter", "POST", "/api/interviews/{interview}/status", json={"status": "cancelled"}
    )
    assert (cancelled.json()["status"], cancelled.json()["room_id"]) == ("cancelled", None)
    assert [m["status"] for m in await meetings_of(ctx, desk.interviews["interview"].id)] == [
        "cancelled",
        "cancelled",
    ]


async def test_a_new_recruiter_takes_the_host_seat(callers: Callers, ctx: AppContext, desk: Desk) -> None:
    users = callers.tenants.users
    response = await callers.call(
        "home_admin", "PATCH", "/api/interviews/{interview}", json={"recruiter_id": users["home_admin"].id}
    )
    assert response.json()["recruiter_id"] == users["home_admin"].id
    [meeting] = await meetings_of(ctx, desk.interviews["interview"].id)
    assert meeting["seats"] == {
        users["home_admin"].id: ("host", True),
        users["candidate"].id: ("candidate", False),
        users["employer"].id: ("interviewer", False),
    }


async def test_positions_an_interview_may_name(callers: Callers, ctx: AppContext, desk: Desk) -> None:
    tenants = callers.tenants
    async with ctx.transaction() as db:
        own_draft = await make_position(db, tenants.home, tenants.user("recruiter"))
        employer_open = await make_position(
            db, tenants.employer_co, tenants.user("employer"), status=PositionStatus.PUBLISHED
        )
        employer_draft = await make_position(db, tenants.employer_co, tenants.user("employer"))
    assert (await create(callers, position_id=own_draft.id))["position_id"] == own_draft.id
    assert (await create(callers, position_id=employer_open.id))["position_id"] == employer_open.id
    refused = await callers.call(
        "recruiter", "POST", BASE, json={"title": "x", "position_id": employer_draft.id}
    )
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "position_id")


async def test_the_interviewers_give_feedback_once_it_is_held(callers: Callers, desk: Desk) -> None:
    await callers.call(
        "recruiter", "POST", "/api/interviews/{interview}/status", json={"status": "confirmed"}
    )
    await callers.call(
        "recruiter", "POST", "/api/interviews/{interview}/status", json={"status": "in_progress"}
    )
    by_employer = await callers.call(
        "employer", "PATCH", "/api/interviews/{interview}/feedback", json={"rating": 5, "feedback": "論理的"}
    )
    assert by_employer.status_code == 200, by_employer.text
    by_recruiter = await callers.call(
        "recruiter", "PATCH", "/api/interviews/{interview}/feedback", json={"decision": "next_round"}
    )
    answer = by_recruiter.json()
    assert (answer["rating"], answer["feedback"], answer["decision"]) == (5, "論理的", "next_round")
    cleared = await callers.call(
        "recruiter", "PATCH", "/api/interviews/{interview}/feedback", json={"rating": None}
    )
    assert cleared.json()["rating"] is None


async def test_deleting_hides_an_interview_that_is_not_active(callers: Callers, desk: Desk) -> None:
    deleted = await callers.call("recruiter", "DELETE", "/api/interviews/{pending}")
    assert deleted.status_code == 204
    gone = await callers.call("recruiter", "GET", "/api/interviews/{pending}")
    assert gone.status_code == 404
    listed = await callers.call("recruiter", "GET", BASE)
    assert callers.names["pending"] not in [item["id"] for item in listed.json()["items"]]


async def test_the_list_filters_and_sorts(callers: Callers, desk: Desk) -> None:
    async def ids(**params: Any) -> list[int]:
        response = await callers.call("recruiter", "GET", BASE, params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    names = callers.names
    assert await ids(status="scheduled") == [names["interview"]]
    assert await ids(interview_type="in_person") == [names["pending"]]
    assert await ids(sort="scheduled_start", starts_from="2030-01-01T00:00:00+09:00") == [
        names["completed"],
        names["interview"],
    ]
    assert await ids(starts_before="2030-03-02T00:00:00+09:00") == [names["completed"]]
    assert await ids(q="職場") == [names["pending"]]
    assert await ids(candidate_id=callers.tenants.user("candidate").id, limit=1, sort="-id") == [
        names["completed"]
    ]
    refused = await callers.call("recruiter", "GET", BASE, params={"starts_from": "2030-01-01T00:00:00"})
    assert refused.status_code == 422
    unsortable = await callers.call("recruiter", "GET", BASE, params={"sort": "feedback"})
    assert unsortable.status_code == 422


async def test_notes_are_written_changed_and_deleted_by_their_author(callers: Callers, desk: Desk) -> None:
    path = "/api/interviews/{interview}/notes"
    written = await callers.call("employer", "POST", path, json={"content": "設計力が高い"})
    assert written.status_code == 201, written.text
    note = written.json()
    assert (note["visibility"], note["company_id"]) == ("private", callers.tenants.employer_co.id)
    shared = await callers.call("employer", "PATCH", f"{path}/{note['id']}", json={"visibility": "company"})
    assert shared.json()["visibility"] == "company"
    by_operator = await callers.call(
        "system_admin", "POST", path, json={"content": "運営メモ", "visibility": "company"}
    )
    assert by_operator.json()["company_id"] == callers.tenants.home.id
    home_view = await callers.call("home_admin", "GET", path, params={"visibility": "company", "sort": "id"})
    assert [item["content"] for item in home_view.json()["items"]] == ["共有メモ", "運営メモ"]
    deleted = await callers.call("employer", "DELETE", f"{path}/{note['id']}")
    assert deleted.status_code == 204
    gone = await callers.call("employer", "GET", f"{path}/{note['id']}")
    assert gone.status_code == 404


async def test_the_audit_trail_keeps_that_a_note_changed_not_what_it_says(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    path = "/api/interviews/{interview}/notes"
    note = (await callers.call("recruiter", "POST", path, json={"content": "年収の希望は非公開"})).json()
    await callers.call("recruiter", "PATCH", f"{path}/{note['id']}", json={"content": "更新した秘密"})
    async with ctx.sessionmaker() as db:
        rows = list(
            await db.scalars(
                select(AuditLog)
                .where(AuditLog.entity_type == "interview_notes", AuditLog.entity_id == note["id"])
                .order_by(AuditLog.id)
            )
        )
    assert [row.action for row in rows] == ["interview_notes.create", "interview_notes.update"]
    assert rows[0].new_values["content"] == "[redacted]"
    assert (rows[1].old_values, rows[1].new_values) == ({"content": "[redacted]"}, {"content": "[redacted]"})
