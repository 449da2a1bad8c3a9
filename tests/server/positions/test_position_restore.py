"""POST /api/positions/{id}/restore: whoever may delete a position (a company_admin of its company,
a system_admin) brings it back within 90 days of the deletion, with the answers DELETE gives: a
candidate 403, the company's other staff 403, another company's position and a missing id 404;
a live position and one deleted 90 days ago or more 404."""

from __future__ import annotations

import pytest

from models import AuditLog, Position
from server.context import AppContext
from tests.factories import make_position
from tests.server.retention.restoring import (
    ANONYMOUS,
    DeletedAt,
    RestoreRoute,
    name_and_delete,
    not_found,
    window_refusals,
)
from tests.server.tenants import Callers, Expect, Tenants


@pytest.fixture
async def deleted_at(ctx: AppContext, tenants: Tenants, callers: Callers) -> DeletedAt:
    user = tenants.user
    async with ctx.transaction() as db:
        rows = {
            "gone": await make_position(db, tenants.employer_co, user("employer")),
            "almost": await make_position(db, tenants.employer_co, user("employer_admin")),
            "long_gone": await make_position(db, tenants.employer_co, user("employer")),
            "live": await make_position(db, tenants.employer_co, user("employer")),
            "foreign": await make_position(db, tenants.home, user("recruiter")),
        }
    return await name_and_delete(ctx, callers, Position, rows)


RESTORE = RestoreRoute(
    model=Position,
    path="/api/positions/{target}/restore",
    not_found="Position {id} was not found.",
    refused=[
        ANONYMOUS,
        # The answers of DELETE on the position before it was deleted: candidates have no access to
        # positions, the company's other staff see it but may not delete it.
        Expect("candidate", "gone", 403, "forbidden"),
        Expect("candidate", "missing", 403, "forbidden"),
        Expect("employer", "gone", 403, "forbidden"),
        Expect("recruiter", "foreign", 403, "forbidden"),
        *not_found("missing", "employer"),
        *not_found("gone", "recruiter", "home_admin", "other_admin"),
        *not_found("foreign", "employer_admin"),
        *window_refusals("employer_admin", "system_admin"),
    ],
    allowed=[
        ("employer_admin", "gone"),
        ("system_admin", "gone"),
        ("employer_admin", "almost"),
        ("home_admin", "foreign"),
    ],
    unchanged=(Position, AuditLog),
)

test_refusals_answer_exactly_and_change_nothing = RESTORE.refusals_test()
test_whoever_may_delete_the_position_restores_it = RESTORE.restores_test()


async def test_a_restored_position_is_read_again_and_the_restore_is_audited(
    callers: Callers, ctx: AppContext, deleted_at: DeletedAt
) -> None:
    assert (await callers.call("employer", "GET", "/api/positions/{gone}")).status_code == 404

    await RESTORE.restore(callers, "employer_admin", "gone")

    assert (await callers.call("employer", "GET", "/api/positions/{gone}")).status_code == 200
    await RESTORE.assert_restored_once(callers, ctx, "employer_admin", "gone")
