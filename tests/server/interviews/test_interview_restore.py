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
from tests.server.retention.restoring import (
    ANONYMOUS,
    DeletedAt,
    RestoreRoute,
    name_and_delete,
    not_found,
    window_refusals,
)
from tests.server.tenants import Callers, Tenants


@pytest.fixture
async def deleted_at(ctx: AppContext, tenants: Tenants, callers: Callers) -> DeletedAt:
    user = tenants.user
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
    return await name_and_delete(ctx, callers, Interview, rows)


RESTORE = RestoreRoute(
    model=Interview,
    path="/api/interviews/{target}/restore",
    not_found="Interview {id} was not found.",
    refused=[
        ANONYMOUS,
        *not_found("gone", "candidate", "employer_admin", "employer", "other_admin", "other_user"),
        *not_found("foreign", "recruiter"),
        *window_refusals("recruiter", "system_admin", long_gone=("recruiter", "home_admin", "system_admin")),
    ],
    allowed=[
        ("recruiter", "gone"),
        ("home_admin", "gone"),
        ("system_admin", "gone"),
        ("recruiter", "almost"),
        ("employer_admin", "foreign"),
        ("employer", "foreign"),
    ],
    unchanged=(Interview, Meeting, AuditLog),
)

test_refusals_answer_exactly_and_change_nothing = RESTORE.refusals_test()
test_whoever_may_delete_the_interview_restores_it = RESTORE.restores_test()


async def test_a_restored_interview_is_seen_again_in_its_state_and_the_restore_is_audited(
    callers: Callers, ctx: AppContext, deleted_at: DeletedAt
) -> None:
    assert (await callers.call("candidate", "GET", "/api/interviews/{almost}")).status_code == 404

    restored = await RESTORE.restore(callers, "home_admin", "almost")

    assert restored["status"] == "completed"
    seen = await callers.call("candidate", "GET", "/api/interviews/{almost}")
    assert seen.status_code == 200, seen.text
    await RESTORE.assert_restored_once(callers, ctx, "home_admin", "almost")
