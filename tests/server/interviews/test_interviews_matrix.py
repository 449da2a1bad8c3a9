"""/api/interviews: who may call which route on which interview, one exact answer per case.

Arrangement: tests/server/interviews/conftest.py. The staff of the interview's company manage it;
its candidate reads it (and may confirm it); `employer`, seated on its meeting as interviewer,
reads it and gives feedback; anyone else gets 404 with the same words as for a missing id. The
refused calls change no row.
"""

from __future__ import annotations

from models import AuditLog, Interview, InterviewNote, Meeting, MeetingParticipant, Notification
from server.context import AppContext
from tests.server.interviews.conftest import NOT_FOUND, NOTE_NOT_FOUND, Desk, at
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, assert_matrix

TABLES = (Interview, InterviewNote, Meeting, MeetingParticipant, Notification, AuditLog)
NEW = {"title": "二次面接", "candidate_id": "{candidate}"}
MOVE = {"scheduled_start": at("2030-04-02 10:00")}

UNSEEN = [
    Expect("anonymous", "interview", 401, "invalid_token"),
    Expect("employer_admin", "interview", 404, "not_found"),
    Expect("other_admin", "interview", 404, "not_found"),
    Expect("other_user", "interview", 404, "not_found"),
    Expect("employer", "pending", 404, "not_found"),
    Expect("home_admin", "foreign", 404, "not_found"),
    Expect("candidate", "foreign", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]
NOT_MANAGER = [
    *UNSEEN,
    Expect("candidate", "interview", 403, "forbidden"),
    Expect("employer", "interview", 403, "forbidden"),
]
NOTES_CLOSED = [*UNSEEN, Expect("candidate", "interview", 403, "forbidden")]


def bodied(cases: list[Expect], body: object) -> list[Expect]:
    return [case._replace(json=body) for case in cases]


MATRIX: Matrix = [
    ("GET", "/api/interviews/", NO_BODY, [Expect("anonymous", None, 401, "invalid_token")]),
    (
        "POST",
        "/api/interviews/",
        NO_BODY,
        [
            Expect("anonymous", None, 401, "invalid_token", NEW),
            Expect("candidate", None, 403, "forbidden", NEW),
            Expect("home_admin", None, 403, "forbidden", {**NEW, "company_id": "{other}"}),
            Expect("system_admin", None, 422, "validation_error", NEW),
            Expect("recruiter", None, 422, "validation_error", {"title": ""}),
            Expect("recruiter", None, 422, "validation_error", {**NEW, "candidate_id": "{other_user}"}),
            Expect("recruiter", None, 422, "validation_error", {**NEW, "candidate_id": "{home_admin}"}),
            Expect("recruiter", None, 422, "validation_error", {**NEW, "recruiter_id": "{other_user}"}),
            Expect("recruiter", None, 422, "validation_error", {**NEW, "timezone": "Mars/Olympus"}),
            Expect(
                "recruiter", None, 422, "validation_error", {**NEW, "scheduled_start": "2030-04-01T10:00:00"}
            ),
        ],
    ),
    ("GET", "/api/interviews/{target}", NO_BODY, UNSEEN),
    (
        "PATCH",
        "/api/interviews/{target}",
        {"title": "変更"},
        [
            *NOT_MANAGER,
            Expect("recruiter", "interview", 422, "validation_error", {"candidate_id": "{candidate}"}),
            Expect("recruiter", "interview", 422, "validation_error", {"position_id": "{missing}"}),
            Expect("recruiter", "completed", 409, "interview_closed"),
        ],
    ),
    (
        "DELETE",
        "/api/interviews/{target}",
        NO_BODY,
        [*NOT_MANAGER, Expect("recruiter", "interview", 409, "interview_active")],
    ),
    (
        "POST",
        "/api/interviews/{target}/schedule",
        MOVE,
        [
            *NOT_MANAGER,
            Expect("recruiter", "interview", 422, "validation_error", {"scheduled_start": "tomorrow"}),
            Expect("recruiter", "completed", 409, "illegal_transition"),
        ],
    ),
    (
        "POST",
        "/api/interviews/{target}/status",
        {"status": "cancelled"},
        [
            *NOT_MANAGER,
            Expect("candidate", "pending", 403, "forbidden"),
            Expect("recruiter", "interview", 422, "validation_error", {"status": "postponed"}),
        ],
    ),
    (
        "PATCH",
        "/api/interviews/{target}/feedback",
        {"rating": 4},
        [
            *UNSEEN,
            Expect("candidate", "completed", 403, "forbidden"),
            Expect("home_admin", "completed", 403, "forbidden"),
            Expect("recruiter", "interview", 409, "not_held"),
            Expect("recruiter", "completed", 422, "validation_error", {"rating": 6}),
        ],
    ),
    (
        "GET",
        "/api/interviews/{target}/invite.ics",
        NO_BODY,
        [*UNSEEN, Expect("recruiter", "pending", 409, "not_scheduled")],
    ),
    ("GET", "/api/interviews/{target}/notes", NO_BODY, NOTES_CLOSED),
    (
        "POST",
        "/api/interviews/{target}/notes",
        {"content": "メモ"},
        [*NOTES_CLOSED, Expect("recruiter", "interview", 422, "validation_error", {"content": " "})],
    ),
]


async def test_the_interview_routes_hold_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    await assert_matrix(callers, ctx, MATRIX, TABLES, not_found=NOT_FOUND)


NOTE = "/api/interviews/{interview}/notes/{target}"
UNREAD = [
    Expect("anonymous", "private_note", 401, "invalid_token"),
    Expect("home_admin", "private_note", 404, "not_found"),
    Expect("system_admin", "private_note", 404, "not_found"),
    Expect("employer", "shared_note", 404, "not_found"),
    Expect("recruiter", "employer_note", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
]
NOT_AUTHOR = [*UNREAD, Expect("home_admin", "shared_note", 403, "forbidden")]
NOTE_MATRIX: Matrix = [
    ("GET", NOTE, NO_BODY, UNREAD),
    (
        "PATCH",
        NOTE,
        {"content": "書き換え"},
        [*NOT_AUTHOR, Expect("recruiter", "private_note", 422, "validation_error", {"visibility": "public"})],
    ),
    ("DELETE", NOTE, NO_BODY, NOT_AUTHOR),
]


async def test_the_note_routes_hold_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext, desk: Desk
) -> None:
    await assert_matrix(callers, ctx, NOTE_MATRIX, TABLES, not_found=NOTE_NOT_FOUND)


async def test_who_sees_an_interview_and_what_the_candidate_is_not_shown(
    callers: Callers, desk: Desk
) -> None:
    seen = {}
    for who in ("recruiter", "home_admin", "system_admin", "employer", "candidate"):
        response = await callers.call(who, "GET", "/api/interviews/{interview}")
        assert response.status_code == 200, (who, response.text)
        seen[who] = response.json()
    assert seen["recruiter"]["notes"] == "内部メモ"
    assert seen["employer"]["notes"] == "内部メモ"
    assert {"notes", "feedback", "rating", "decision"}.isdisjoint(seen["candidate"])
    assert seen["candidate"]["room_id"] == desk.room.room_id
    assert seen["candidate"]["scheduled_start"] == "2030-04-01T01:00:00Z"


async def test_each_list_shows_what_its_caller_sees(callers: Callers, desk: Desk) -> None:
    shown = {}
    for who in ("recruiter", "candidate", "employer", "employer_admin", "other_user", "system_admin"):
        response = await callers.call(who, "GET", "/api/interviews/", params={"sort": "id"})
        shown[who] = [item["id"] for item in response.json()["items"]]
    ids = callers.names
    home = [ids["interview"], ids["pending"], ids["completed"]]
    assert shown == {
        "recruiter": home,
        "candidate": home,
        "employer": [ids["interview"]],
        "employer_admin": [],
        "other_user": [ids["foreign"]],
        "system_admin": [*home, ids["foreign"]],
    }


async def test_notes_are_read_by_their_author_or_their_company(callers: Callers, desk: Desk) -> None:
    contents = {}
    for who in ("recruiter", "home_admin", "employer", "system_admin"):
        response = await callers.call(who, "GET", "/api/interviews/{interview}/notes", params={"sort": "id"})
        contents[who] = [item["content"] for item in response.json()["items"]]
    assert contents == {
        "recruiter": ["私的メモ", "共有メモ"],
        "home_admin": ["共有メモ"],
        "employer": ["面接官メモ"],
        "system_admin": [],
    }
