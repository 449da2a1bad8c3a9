"""POST /api/interviews/{id}/restore: whoever may delete an interview (its managers: staff of its
company with a role of company_admin, recruiter or employer, and a system_admin) brings it back
within 90 days of the deletion. A deleted interview shows to nobody else: its candidate, other
companies, a live interview, one deleted longer ago and a missing id get 404."""

from __future__ import annotations

import pytest

from models import AuditLog, Interview, Meeting
from models.enums import InterviewStatus
from server.context import AppContext
from tests.factories import make_interview
from tests.server.retention.restoring import assert_each_restores, days_ago, restore_audits, set_deleted
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, Tenants, assert_matrix

PATH = "/api/interviews/{target}/restore"
NOT_FOUND = "Interview {id} was not found."


@pytest.fixture
async def deleted_at(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, object]:
    user = tenants.user
    times = {"gone": days_ago(10), "almost": days_ago(89), "long_gone": days_ago(91), "foreign": days_ago(1)}
    home, recruiter, candidate = tenants.home, user("recruiter"), user("candidate")
    async with ctx.transaction() as db:
        rows = {
            "gone": await make_interview(db, home, recruiter, candidate=candidate, recruiter=recruiter),
            "almost": await make_interview(
                db, home, recruiter, candidate=candidate, status=InterviewStatus.COMPLETED
            ),
            "long_gone": await make_interview(db, home, recruiter, candidate=candidate),
            "live": await make_interview(db, home, recruiter, candidate=candidate),
            "foreign": await make_interview(
                db, tenants.employer_co, user("employer"), status=InterviewStatus.CANCELLED
            ),
        }
    for name, row in rows.items():
        callers.names[name] = row.id
        if name in times:
            await set_deleted(ctx, Interview, row.id, times[name])
    return dict(times)


REFUSED = [
    Expect("anonymous", "gone", 401, "invalid_token"),
    Expect("candidate", "gone", 404, "not_found"),
    Expect("employer_admin", "gone", 404, "not_found"),
    Expect("employer", "gone", 404, "not_found"),
    Expect("other_admin", "gone", 404, "not_found"),
    Expect("other_user", "gone", 404, "not_found"),
    Expect("recruiter", "foreign", 404, "not_found"),
    Expect("recruiter", "long_gone", 404, "not_found"),
    Expect("home_admin", "long_gone", 404, "not_found"),
    Expect("system_admin", "long_gone", 404, "not_found"),
    Expect("recruiter", "live", 404, "not_found"),
    Expect("system_admin", "live", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]
MATRIX: Matrix = [("POST", PATH, NO_BODY, REFUSED)]
ALLOWED = [
    ("recruiter", "gone"),
    ("home_admin", "gone"),
    ("system_admin", "gone"),
    ("recruiter", "almost"),
    ("employer_admin", "foreign"),
    ("employer", "foreign"),
]


async def test_refusals_answer_exactly_and_change_nothing(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    await assert_matrix(callers, ctx, MATRIX, (Interview, Meeting, AuditLog), not_found=NOT_FOUND)


async def test_whoever_may_delete_the_interview_restores_it(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    await assert_each_restores(callers, ctx, Interview, PATH, ALLOWED, deleted_at)  # type: ignore[arg-type]


async def test_a_restored_interview_is_seen_again_in_its_state_and_the_restore_is_audited(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    assert (await callers.call("candidate", "GET", "/api/interviews/{almost}")).status_code == 404

    restored = await callers.call("home_admin", "POST", PATH.format(target="{almost}"))

    assert restored.status_code == 200, restored.text
    assert restored.json()["status"] == "completed"
    seen = await callers.call("candidate", "GET", "/api/interviews/{almost}")
    assert seen.status_code == 200, seen.text
    assert (await callers.call("home_admin", "POST", PATH.format(target="{almost}"))).status_code == 404
    almost = int(callers.path("{almost}"))
    assert await restore_audits(ctx, "interviews", almost) == [callers.tenants.user("home_admin").id]
