"""/api/meetings: who may call which route on which meeting (rules: server/domains/meetings/policy.py).

A meeting is seen by its managers (creator, company_admins of its company, system_admin) and its
invited participants; anyone else gets 404 exactly like a missing id, an uninvited colleague as
much as another tenant. An invited participant who does not manage gets 403 on every change.
"""

from __future__ import annotations

from typing import Any

from models import AuditLog, Meeting, MeetingParticipant
from server.context import AppContext
from tests.server.meetings.conftest import Arranged
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, assert_matrix

TABLES = (Meeting, MeetingParticipant, AuditLog)
NOT_FOUND = "Meeting {id} was not found."
NEW_MEETING = {
    "title": "二次面接",
    "scheduled_start": "2030-04-01T10:00:00+09:00",
    "scheduled_end": "2030-04-01T11:00:00+09:00",
}

NOT_SEEN = [
    Expect("anonymous", "meeting", 401, "invalid_token"),
    # Not invited, not managing: the meeting does not exist for them.
    Expect("recruiter", "admin_meeting", 404, "not_found"),
    Expect("candidate", "admin_meeting", 404, "not_found"),
    Expect("employer", "meeting", 404, "not_found"),
    Expect("employer_admin", "meeting", 404, "not_found"),
    Expect("other_admin", "meeting", 404, "not_found"),
    Expect("other_user", "meeting", 404, "not_found"),
    Expect("home_admin", "other_meeting", 404, "not_found"),
    Expect("home_admin", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]
# Seen but not managed: the invited candidate.
NOT_MANAGED = [*NOT_SEEN, Expect("candidate", "meeting", 403, "forbidden")]
INVITE: dict[str, Any] = {"user_id": "{employer}", "role": "observer"}

MATRIX: Matrix = [
    ("GET", "/api/meetings/", NO_BODY, [Expect("anonymous", None, 401, "invalid_token")]),
    (
        "POST",
        "/api/meetings/",
        NEW_MEETING,
        [
            Expect("anonymous", None, 401, "invalid_token"),
            Expect("candidate", None, 403, "forbidden"),
            # A company_admin names no other company than its own.
            Expect("home_admin", None, 403, "forbidden", {**NEW_MEETING, "company_id": "{other}"}),
        ],
    ),
    ("GET", "/api/meetings/{target}", NO_BODY, NOT_SEEN),
    ("PATCH", "/api/meetings/{target}", {"title": "変更"}, NOT_MANAGED),
    ("POST", "/api/meetings/{target}/cancel", NO_BODY, NOT_MANAGED),
    ("DELETE", "/api/meetings/{target}", NO_BODY, NOT_MANAGED),
    # Cell bodies get their "{name}" values replaced by ids; route bodies do not.
    ("POST", "/api/meetings/{target}/participants", NO_BODY, [c._replace(json=INVITE) for c in NOT_MANAGED]),
    (
        "PATCH",
        "/api/meetings/{target}/participants/{candidate_seat}",
        {"can_record": True},
        NOT_MANAGED,
    ),
    ("DELETE", "/api/meetings/{target}/participants/{candidate_seat}", NO_BODY, NOT_MANAGED),
]


async def test_the_authorization_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    await assert_matrix(callers, ctx, MATRIX, TABLES, not_found=NOT_FOUND)


ALLOWED = [
    # Managers: the creator, the company's admin, the platform operator; and the invited candidate reads.
    ("recruiter", "meeting"),
    ("home_admin", "meeting"),
    ("system_admin", "meeting"),
    ("candidate", "meeting"),
    ("home_admin", "admin_meeting"),
    ("other_user", "other_meeting"),
    ("other_admin", "other_meeting"),
]


async def test_managers_and_invitees_read_the_meeting(callers: Callers, arranged: Arranged) -> None:
    got = []
    for who, target in ALLOWED:
        response = await callers.call(who, "GET", "/api/meetings/{" + target + "}")
        got.append((who, target, response.status_code, response.json()["id"]))
    assert got == [(who, target, 200, callers.names[target]) for who, target in ALLOWED]


async def test_each_manager_changes_cancels_and_deletes(callers: Callers, arranged: Arranged) -> None:
    for who, expected in (("recruiter", "by creator"), ("home_admin", "by admin"), ("system_admin", "by op")):
        response = await callers.call(who, "PATCH", "/api/meetings/{meeting}", json={"title": expected})
        assert (response.status_code, response.json()["title"]) == (200, expected)
    cancelled = await callers.call("home_admin", "POST", "/api/meetings/{admin_meeting}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    deleted = await callers.call("other_user", "DELETE", "/api/meetings/{other_meeting}")
    assert deleted.status_code == 204
    gone = await callers.call("other_user", "GET", "/api/meetings/{other_meeting}")
    assert gone.status_code == 404
