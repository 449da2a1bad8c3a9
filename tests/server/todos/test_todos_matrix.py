"""/api/todos: who may call which route on which todo, one exact answer per case.

Arrangement: tests/server/todos/conftest.py. A todo you may not see (another tenant's, a
colleague's private one, a deleted one, a missing id) is 404 with the same words; one you may
see but not change that way is 403; the refused calls change no row.
"""

from __future__ import annotations

from models import AuditLog, Notification, Todo, TodoExtensionRequest, TodoViewer
from server.context import AppContext
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, assert_matrix
from tests.server.todos.conftest import Team
from tests.server.todos.helpers import days, iso, now

TABLES = (Todo, TodoViewer, TodoExtensionRequest, Notification, AuditLog)
NOT_FOUND = "Todo {id} was not found."

UNSEEN = [
    Expect("anonymous", "todo", 401, "invalid_token"),
    Expect("colleague", "todo", 404, "not_found"),
    Expect("colleague", "private", 404, "not_found"),
    Expect("reader", "private", 404, "not_found"),
    Expect("candidate", "company", 404, "not_found"),
    Expect("recruiter", "deleted", 404, "not_found"),
    Expect("recruiter", "foreign", 404, "not_found"),
    Expect("other_admin", "todo", 404, "not_found"),
    Expect("employer_admin", "company", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]
READ_ONLY = [
    Expect("reader", "todo", 403, "forbidden"),
    Expect("colleague", "company", 403, "forbidden"),
]
NOT_MANAGER = [
    *READ_ONLY,
    Expect("assignee", "todo", 403, "forbidden"),
    Expect("editor", "todo", 403, "forbidden"),
    Expect("candidate", "private", 403, "forbidden"),
]
NOT_ASSIGNEE = [
    Expect("recruiter", "company", 403, "not_assignee"),
    Expect("home_admin", "company", 403, "not_assignee"),
    Expect("editor", "company", 403, "not_assignee"),
    Expect("colleague", "company", 403, "not_assignee"),
]
NOT_REVIEWER = [
    Expect("assignee", "todo", 403, "not_reviewer"),
    Expect("editor", "todo", 403, "not_reviewer"),
    Expect("reader", "todo", 403, "not_reviewer"),
]
ANONYMOUS = [Expect("anonymous", None, 401, "invalid_token")]


def matrix(team: Team) -> Matrix:
    week_later = iso(now() + days(30))
    due = team.todos["company"].due_date
    assert due is not None
    return [
        ("GET", "/api/todos/", NO_BODY, ANONYMOUS),
        ("GET", "/api/todos/overdue", NO_BODY, ANONYMOUS),
        ("GET", "/api/todos/extension-requests", NO_BODY, ANONYMOUS),
        (
            "POST",
            "/api/todos/",
            {"title": "Prepare the offer"},
            [*ANONYMOUS, Expect("system_admin", None, 403, "no_company")],
        ),
        ("GET", "/api/todos/{target}", NO_BODY, UNSEEN),
        (
            "PATCH",
            "/api/todos/{target}",
            {"title": "Renamed"},
            [
                *UNSEEN,
                *READ_ONLY,
                # Editors change content, not the due date, the assignee or the visibility.
                Expect("assignee", "todo", 403, "manage_only", {"due_date": week_later}),
                Expect("editor", "todo", 403, "manage_only", {"assigned_user_id": "{editor}"}),
                Expect("editor", "company", 403, "manage_only", {"visibility": "private"}),
                Expect("recruiter", "todo", 422, "validation_error", {"title": " "}),
                Expect("recruiter", "todo", 422, "validation_error", {"assigned_user_id": "{other_user}"}),
                Expect("recruiter", "todo", 422, "validation_error", {"assigned_user_id": "{missing}"}),
            ],
        ),
        ("DELETE", "/api/todos/{target}", NO_BODY, [*UNSEEN, *NOT_MANAGER]),
        (
            "POST",
            "/api/todos/{target}/complete",
            NO_BODY,
            [*UNSEEN, *READ_ONLY, Expect("recruiter", "missing", 404, "not_found")],
        ),
        (
            "POST",
            "/api/todos/{target}/reopen",
            NO_BODY,
            [*UNSEEN, *READ_ONLY, Expect("editor", "todo", 409, "illegal_transition")],
        ),
        ("GET", "/api/todos/{target}/viewers", NO_BODY, UNSEEN),
        ("PUT", "/api/todos/{target}/viewers/{colleague}", {"permission": "read"}, [*UNSEEN, *NOT_MANAGER]),
        ("DELETE", "/api/todos/{target}/viewers/{reader}", NO_BODY, [*UNSEEN, *NOT_MANAGER]),
        ("GET", "/api/todos/{target}/extension-requests", NO_BODY, UNSEEN),
        ("GET", "/api/todos/{target}/extension-requests/{ext}", NO_BODY, UNSEEN),
        (
            "POST",
            "/api/todos/{target}/extension-requests",
            {"requested_due_date": week_later, "reason": "More interviews"},
            [
                *UNSEEN,
                *NOT_ASSIGNEE,
                Expect("assignee", "todo", 409, "extension_pending"),
                Expect("assignee", "undated", 409, "no_due_date"),
                Expect("assignee", "company", 422, "validation_error", {"requested_due_date": iso(due)}),
                Expect("assignee", "company", 422, "validation_error", {"reason": ""}),
            ],
        ),
        (
            "POST",
            "/api/todos/{target}/extension-requests/{ext}/review",
            {"decision": "approved"},
            [*UNSEEN, *NOT_REVIEWER],
        ),
        (
            "POST",
            "/api/todos/{target}/extension-requests/{reviewed}/review",
            {"decision": "rejected"},
            [
                Expect("recruiter", "todo", 409, "already_reviewed"),
                Expect("home_admin", "todo", 409, "already_reviewed"),
                Expect("assignee", "todo", 403, "not_reviewer"),
            ],
        ),
    ]


async def test_the_authorization_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    await assert_matrix(callers, ctx, matrix(team), TABLES, not_found=NOT_FOUND)


PERMITTED: list[tuple[str, str, str, object, int]] = [
    ("recruiter", "PATCH", "/api/todos/{todo}", {"title": "By the creator"}, 200),
    ("assignee", "PATCH", "/api/todos/{todo}", {"title": "By the assignee", "status": "in_progress"}, 200),
    ("editor", "PATCH", "/api/todos/{todo}", {"priority": "high", "actual_hours": 2.5}, 200),
    ("home_admin", "PATCH", "/api/todos/{todo}", {"visibility": "company"}, 200),
    ("system_admin", "PATCH", "/api/todos/{todo}", {"category": "sales"}, 200),
    # The due date, unchanged, may be sent back by an editor.
    ("assignee", "PATCH", "/api/todos/{undated}", {"due_date": None, "title": "Still undated"}, 200),
    ("candidate", "PATCH", "/api/todos/{private}", {"status": "in_progress"}, 200),
    ("editor", "POST", "/api/todos/{todo}/complete", NO_BODY, 200),
    ("assignee", "POST", "/api/todos/{todo}/reopen", NO_BODY, 200),
    ("reader", "GET", "/api/todos/{todo}/viewers", NO_BODY, 200),
    ("home_admin", "PUT", "/api/todos/{todo}/viewers/{colleague}", {"permission": "edit"}, 200),
    ("recruiter", "DELETE", "/api/todos/{todo}/viewers/{colleague}", NO_BODY, 204),
    ("reader", "GET", "/api/todos/{todo}/extension-requests", NO_BODY, 200),
    ("reader", "GET", "/api/todos/{todo}/extension-requests/{ext}", NO_BODY, 200),
    (
        "home_admin",
        "POST",
        "/api/todos/{todo}/extension-requests/{ext}/review",
        {"decision": "rejected"},
        200,
    ),
    ("candidate", "POST", "/api/todos/", {"title": "Upload my résumé"}, 201),
    ("system_admin", "DELETE", "/api/todos/{company}", NO_BODY, 204),
    ("home_admin", "DELETE", "/api/todos/{todo}", NO_BODY, 204),
    ("candidate", "DELETE", "/api/todos/{own}", NO_BODY, 204),
    ("other_admin", "DELETE", "/api/todos/{foreign}", NO_BODY, 204),
]


async def test_whoever_the_rules_allow_gets_the_one_success_status(callers: Callers, team: Team) -> None:
    expected = [(who, method, path, status) for who, method, path, _, status in PERMITTED]
    got = []
    for who, method, path, body, _ in PERMITTED:
        r = await callers.call(who, method, path, json=body)
        got.append((who, method, path, r.status_code))
    assert got == expected
