"""/api/video-calls: who may call which route on which call (rules: server/domains/meetings/policy.py).

A call is seen by its managers (host, company_admins of its company, system_admin), its invitees
and the staff of its company; anyone else gets 404 exactly like a missing id. Seeing without
managing (a colleague, an invitee) gets 403 on every change.
"""

from __future__ import annotations

from typing import Any

from models import AuditLog, VideoCall, VideoCallParticipant
from server.context import AppContext
from tests.server.meetings.conftest import Arranged
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, assert_matrix

TABLES = (VideoCall, VideoCallParticipant, AuditLog)
NOT_FOUND = "VideoCall {id} was not found."
NEW_CALL = {
    "title": "週次すり合わせ",
    "scheduled_start": "2030-04-01T16:00:00+09:00",
    "scheduled_end": "2030-04-01T16:30:00+09:00",
}

NOT_SEEN = [
    Expect("anonymous", "call", 401, "invalid_token"),
    # A candidate-only account is no staff: uninvited, it does not see the company's calls.
    Expect("candidate", "admin_call", 404, "not_found"),
    Expect("employer", "call", 404, "not_found"),
    Expect("employer_admin", "call", 404, "not_found"),
    Expect("other_admin", "call", 404, "not_found"),
    Expect("other_user", "call", 404, "not_found"),
    Expect("home_admin", "other_call", 404, "not_found"),
    Expect("home_admin", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]
NOT_MANAGED = [
    *NOT_SEEN,
    Expect("candidate", "call", 403, "forbidden"),  # invited
    Expect("recruiter", "admin_call", 403, "forbidden"),  # a colleague
]
INVITE: dict[str, Any] = {"user_id": "{home_admin}"}

MATRIX: Matrix = [
    ("GET", "/api/video-calls/", NO_BODY, [Expect("anonymous", None, 401, "invalid_token")]),
    (
        "POST",
        "/api/video-calls/",
        NEW_CALL,
        [
            Expect("anonymous", None, 401, "invalid_token"),
            Expect("candidate", None, 403, "forbidden"),
            Expect("recruiter", None, 403, "forbidden", {**NEW_CALL, "company_id": "{other}"}),
        ],
    ),
    ("GET", "/api/video-calls/{target}", NO_BODY, NOT_SEEN),
    ("PATCH", "/api/video-calls/{target}", {"title": "変更"}, NOT_MANAGED),
    ("POST", "/api/video-calls/{target}/cancel", NO_BODY, NOT_MANAGED),
    ("DELETE", "/api/video-calls/{target}", NO_BODY, NOT_MANAGED),
    (
        "POST",
        "/api/video-calls/{target}/participants",
        NO_BODY,
        [c._replace(json=INVITE) for c in NOT_MANAGED],
    ),
    ("DELETE", "/api/video-calls/{target}/participants/{call_seat}", NO_BODY, NOT_MANAGED),
]


async def test_the_authorization_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    await assert_matrix(callers, ctx, MATRIX, TABLES, not_found=NOT_FOUND)


ALLOWED = [
    ("recruiter", "call"),  # host
    ("candidate", "call"),  # invited
    ("home_admin", "call"),
    ("system_admin", "call"),
    ("recruiter", "admin_call"),  # a colleague
    ("other_admin", "other_call"),
]


async def test_hosts_invitees_colleagues_and_admins_read_the_call(
    callers: Callers, arranged: Arranged
) -> None:
    got = []
    for who, target in ALLOWED:
        response = await callers.call(who, "GET", "/api/video-calls/{" + target + "}")
        got.append((who, target, response.status_code, response.json()["id"]))
    assert got == [(who, target, 200, callers.names[target]) for who, target in ALLOWED]


async def test_each_manager_changes_cancels_and_deletes(callers: Callers, arranged: Arranged) -> None:
    for who, title in (("recruiter", "by host"), ("home_admin", "by admin"), ("system_admin", "by op")):
        response = await callers.call(who, "PATCH", "/api/video-calls/{call}", json={"title": title})
        assert (response.status_code, response.json()["title"]) == (200, title)
    cancelled = await callers.call("home_admin", "POST", "/api/video-calls/{admin_call}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert (await callers.call("other_user", "DELETE", "/api/video-calls/{other_call}")).status_code == 204
    assert (await callers.call("other_user", "GET", "/api/video-calls/{other_call}")).status_code == 404
