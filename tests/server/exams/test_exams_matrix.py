"""Who may call which exams route, on what, with one exact answer each; refusals change nothing.

`exam` is the home agency's published exam; `session` its started session of `candidate`;
`rival` is another candidate of the same agency. Staff of another company (`employer`,
`other_admin`) and `rival` get 404, like a missing id; people who see a session but may not act
on it that way (staff answering, the candidate grading) get 403.
"""

from __future__ import annotations

import pytest

from models import AuditLog, Exam, ExamSession, Notification
from server.context import AppContext
from tests.server.exams.helpers import published_exam, started_session
from tests.server.tenants import (
    NO_BODY,
    Callers,
    Expect,
    Matrix,
    Rejections,
    assert_matrix,
    assert_rejections,
    conflict,
    invalid,
)

TABLES = (Exam, ExamSession, Notification, AuditLog)
ANONYMOUS = Expect("anonymous", "exam", 401, "invalid_token")
STRANGERS_OF_THE_EXAM = [
    ANONYMOUS,
    Expect("candidate", "exam", 403, "forbidden"),
    Expect("rival", "missing", 403, "forbidden"),
    Expect("employer", "exam", 404, "not_found"),
    Expect("other_admin", "exam", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
]


@pytest.fixture
async def named(callers: Callers) -> Callers:
    exam, state = await started_session(callers)
    callers.names.update(exam=exam["id"], session=state["id"])
    return callers


EXAMS: Matrix = [
    (
        "GET",
        "/api/exams/",
        NO_BODY,
        [Expect("anonymous", None, 401, "invalid_token"), Expect("candidate", None, 403, "forbidden")],
    ),
    (
        "POST",
        "/api/exams/",
        {"title": "x"},
        [
            Expect("anonymous", None, 401, "invalid_token"),
            Expect("candidate", None, 403, "forbidden"),
            Expect("recruiter", None, 403, "forbidden", {"title": "x", "company_id": "{other}"}),
        ],
    ),
    (
        "GET",
        "/api/exams/{target}",
        NO_BODY,
        [
            *STRANGERS_OF_THE_EXAM,
            Expect("recruiter", "exam", 200, ""),
            Expect("home_admin", "exam", 200, ""),
            Expect("system_admin", "exam", 200, ""),
        ],
    ),
    ("PATCH", "/api/exams/{target}", {"title": "x"}, STRANGERS_OF_THE_EXAM),
    ("DELETE", "/api/exams/{target}", NO_BODY, STRANGERS_OF_THE_EXAM),
    ("POST", "/api/exams/{target}/publish", NO_BODY, STRANGERS_OF_THE_EXAM),
    ("POST", "/api/exams/{target}/archive", NO_BODY, STRANGERS_OF_THE_EXAM),
    ("POST", "/api/exams/{target}/versions", NO_BODY, STRANGERS_OF_THE_EXAM),
    ("POST", "/api/exams/{target}/assignments", {"candidate_id": 1}, STRANGERS_OF_THE_EXAM),
]

ON_SESSION = "/api/exam-sessions/{target}"
NOT_THE_CANDIDATE = [
    Expect("anonymous", "session", 401, "invalid_token"),
    Expect("rival", "session", 404, "not_found"),
    Expect("employer", "session", 404, "not_found"),
    Expect("other_user", "session", 404, "not_found"),
    Expect("recruiter", "session", 403, "forbidden"),
    Expect("system_admin", "session", 403, "forbidden"),
    Expect("candidate", "missing", 404, "not_found"),
]
NOT_STAFF = [
    Expect("anonymous", "session", 401, "invalid_token"),
    Expect("candidate", "session", 403, "forbidden"),
    Expect("rival", "session", 404, "not_found"),
    Expect("employer_admin", "session", 404, "not_found"),
    Expect("other_admin", "session", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
]
SESSIONS: Matrix = [
    (
        "GET",
        "/api/exam-sessions/",
        NO_BODY,
        [Expect("anonymous", None, 401, "invalid_token"), Expect("candidate", None, 403, "forbidden")],
    ),
    ("GET", "/api/exam-sessions/mine", NO_BODY, [Expect("anonymous", None, 401, "invalid_token")]),
    (
        "GET",
        ON_SESSION,
        NO_BODY,
        [*NOT_STAFF, Expect("recruiter", "session", 200, ""), Expect("system_admin", "session", 200, "")],
    ),
    ("POST", f"{ON_SESSION}/grades", {"grades": [{"question_id": 5, "points": 1}]}, NOT_STAFF),
    ("GET", f"{ON_SESSION}/state", NO_BODY, [*NOT_THE_CANDIDATE, Expect("candidate", "session", 200, "")]),
    ("POST", f"{ON_SESSION}/start", NO_BODY, NOT_THE_CANDIDATE),
    ("POST", f"{ON_SESSION}/answers", {"question_id": 1, "answer": 1}, NOT_THE_CANDIDATE),
    ("POST", f"{ON_SESSION}/current-question", {"current_question": 1}, NOT_THE_CANDIDATE),
    ("POST", f"{ON_SESSION}/submit", NO_BODY, NOT_THE_CANDIDATE),
    ("POST", f"{ON_SESSION}/retake", NO_BODY, NOT_THE_CANDIDATE),
]


async def test_the_exams_matrix_holds_and_refusals_change_nothing(named: Callers, ctx: AppContext) -> None:
    await assert_matrix(named, ctx, EXAMS, TABLES, not_found="Exam {id} was not found.")


async def test_the_sessions_matrix_holds_and_refusals_change_nothing(named: Callers, ctx: AppContext) -> None:
    await assert_matrix(named, ctx, SESSIONS, TABLES, not_found="Exam session {id} was not found.")


async def test_lists_show_only_what_one_may_see(named: Callers) -> None:
    await published_exam(named, who="other_user")
    ids = {
        who: await named.call(who, "GET", "/api/exams/") for who in ("recruiter", "employer", "other_user")
    }
    assert [len(r.json()["items"]) for r in ids.values()] == [1, 0, 1]
    staff = await named.call("recruiter", "GET", "/api/exam-sessions/")
    assert [s["id"] for s in staff.json()["items"]] == [named.names["session"]]
    assert (await named.call("employer", "GET", "/api/exam-sessions/")).json() == {"items": [], "total": 0}
    assert (await named.call("rival", "GET", "/api/exam-sessions/mine")).json() == {"items": [], "total": 0}
    mine = await named.call("candidate", "GET", "/api/exam-sessions/mine")
    assert [s["id"] for s in mine.json()["items"]] == [named.names["session"]]
    filtered = await named.call("recruiter", "GET", "/api/exam-sessions/", params={"status": "graded"})
    assert filtered.json()["total"] == 0


QUESTION = {"type": "single_choice", "question": "?", "options": ["a", "b"], "answer": 0}
MULTIPLE = {"type": "multiple_choice", "question": "?", "options": ["a", "b"], "answers": [0]}
REJECTED: Rejections = [
    (
        "recruiter",
        "POST",
        "/api/exams/",
        [
            ({"json": {}}, invalid("title")),
            ({"json": {"title": "x", "duration_minutes": 0}}, invalid("duration_minutes")),
            ({"json": {"title": "x", "passing_score": 101}}, invalid("passing_score")),
            (
                {"json": {"title": "x", "questions": [{**QUESTION, "type": "ranking"}]}},
                invalid("questions[0].type"),
            ),
            (
                {"json": {"title": "x", "questions": [{**QUESTION, "answer": 2}]}},
                invalid("questions[0].answer"),
            ),
            (
                {"json": {"title": "x", "questions": [{**QUESTION, "options": ["a"]}]}},
                invalid("questions[0].options"),
            ),
            (
                {"json": {"title": "x", "questions": [{**QUESTION, "points": -1}]}},
                invalid("questions[0].points"),
            ),
            ({"json": {"title": "x", "questions": [{**QUESTION, "key": 1}]}}, invalid("questions[0]")),
            (
                {"json": {"title": "x", "questions": [{**QUESTION, "id": 3}, {**QUESTION, "id": 3}]}},
                invalid("questions[1].id"),
            ),
            (
                {"json": {"title": "x", "questions": [{**MULTIPLE, "answers": [0, 5]}]}},
                invalid("questions[0].answers"),
            ),
            (
                {
                    "json": {
                        "title": "x",
                        "questions": [{"type": "short_text", "question": "?", "accepted_answers": []}],
                    }
                },
                invalid("questions[0].accepted_answers"),
            ),
            (
                {"json": {"title": "x", "settings": {"proctoring_enabled": "yes"}}},
                invalid("settings.proctoring_enabled"),
            ),
        ],
    ),
    (
        "candidate",
        "POST",
        "/api/exam-sessions/{session}/answers",
        [
            ({"json": {"question_id": 1, "answer": "b"}}, invalid("answer")),
            ({"json": {"question_id": 1, "answer": 3}}, invalid("answer")),
            ({"json": {"question_id": 1, "answer": -1}}, invalid("answer")),
            ({"json": {"question_id": 1, "answer": True}}, invalid("answer")),
            ({"json": {"question_id": 2, "answer": [0, 0]}}, invalid("answer")),
            ({"json": {"question_id": 2, "answer": [4]}}, invalid("answer")),
            ({"json": {"question_id": 2, "answer": 0}}, invalid("answer")),
            ({"json": {"question_id": 3, "answer": "yes"}}, invalid("answer")),
            ({"json": {"question_id": 4, "answer": [1]}}, invalid("answer")),
            ({"json": {"question_id": 4, "answer": "x" * 1001}}, invalid("answer")),
            ({"json": {"question_id": 5, "answer": {"text": "x"}}}, invalid("answer")),
            ({"json": {"question_id": 99, "answer": 1}}, invalid("question_id")),
            ({"json": {"question_id": 0, "answer": 1}}, invalid("question_id")),
            ({"json": {"answer": 1}}, invalid("question_id")),
        ],
    ),
    (
        "candidate",
        "POST",
        "/api/exam-sessions/{session}/current-question",
        [
            ({"json": {"current_question": 5}}, invalid("current_question")),
            ({"json": {"current_question": -1}}, invalid("current_question")),
        ],
    ),
    (
        "recruiter",
        "POST",
        "/api/exam-sessions/{session}/grades",
        [
            ({"json": {"grades": []}}, invalid("grades")),
            ({"json": {"grades": [{"question_id": 5, "points": 1}]}}, conflict("not_submitted")),
        ],
    ),
]


async def test_bad_input_is_refused_with_the_field_at_fault(named: Callers) -> None:
    ids = named.tenants.ids()
    assignments = [
        ({"json": {"candidate_id": ids["other_user"]}}, invalid("candidate_id")),
        ({"json": {"candidate_id": ids["home_admin"]}}, invalid("candidate_id")),
        ({"json": {"candidate_id": ids["missing"]}}, invalid("candidate_id")),
        ({"json": {"candidate_id": 0}}, invalid("candidate_id")),
        ({"json": {"candidate_id": ids["candidate"]}}, conflict("already_assigned")),
    ]
    table = [*REJECTED, ("recruiter", "POST", "/api/exams/{exam}/assignments", assignments)]
    await assert_rejections(
        named, [(who, method, named.path(path), rows) for who, method, path, rows in table]
    )
