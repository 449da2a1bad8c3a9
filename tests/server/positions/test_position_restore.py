"""POST /api/positions/{id}/restore: whoever may delete a position (a company_admin of its company,
a system_admin) brings it back within 90 days of the deletion, with the answers DELETE gives: a
candidate 403, the company's other staff 403, another company's position and a missing id 404;
a live position and one deleted 90 days ago or more 404."""

from __future__ import annotations

import pytest

from models import AuditLog, Position
from server.context import AppContext
from tests.factories import make_position
from tests.server.retention.restoring import assert_each_restores, days_ago, restore_audits, set_deleted
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, Tenants, assert_matrix

PATH = "/api/positions/{target}/restore"
NOT_FOUND = "Position {id} was not found."


@pytest.fixture
async def deleted_at(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, object]:
    user = tenants.user
    times = {"gone": days_ago(10), "almost": days_ago(89), "long_gone": days_ago(91), "foreign": days_ago(1)}
    async with ctx.transaction() as db:
        rows = {
            "gone": await make_position(db, tenants.employer_co, user("employer")),
            "almost": await make_position(db, tenants.employer_co, user("employer_admin")),
            "long_gone": await make_position(db, tenants.employer_co, user("employer")),
            "live": await make_position(db, tenants.employer_co, user("employer")),
            "foreign": await make_position(db, tenants.home, user("recruiter")),
        }
    for name, row in rows.items():
        callers.names[name] = row.id
        if name in times:
            await set_deleted(ctx, Position, row.id, times[name])
    return dict(times)


REFUSED = [
    Expect("anonymous", "gone", 401, "invalid_token"),
    # The answers of DELETE on the position before it was deleted: candidates have no access to
    # positions, the company's other staff see it but may not delete it.
    Expect("candidate", "gone", 403, "forbidden"),
    Expect("candidate", "missing", 403, "forbidden"),
    Expect("employer", "gone", 403, "forbidden"),
    Expect("recruiter", "foreign", 403, "forbidden"),
    Expect("employer", "missing", 404, "not_found"),
    Expect("recruiter", "gone", 404, "not_found"),
    Expect("home_admin", "gone", 404, "not_found"),
    Expect("other_admin", "gone", 404, "not_found"),
    Expect("employer_admin", "foreign", 404, "not_found"),
    Expect("employer_admin", "long_gone", 404, "not_found"),
    Expect("system_admin", "long_gone", 404, "not_found"),
    Expect("employer_admin", "live", 404, "not_found"),
    Expect("system_admin", "live", 404, "not_found"),
    Expect("employer_admin", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]
MATRIX: Matrix = [("POST", PATH, NO_BODY, REFUSED)]
ALLOWED = [
    ("employer_admin", "gone"),
    ("system_admin", "gone"),
    ("employer_admin", "almost"),
    ("home_admin", "foreign"),
]


async def test_refusals_answer_exactly_and_change_nothing(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    await assert_matrix(callers, ctx, MATRIX, (Position, AuditLog), not_found=NOT_FOUND)


async def test_whoever_may_delete_the_position_restores_it(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    await assert_each_restores(callers, ctx, Position, PATH, ALLOWED, deleted_at)  # type: ignore[arg-type]


async def test_a_restored_position_is_read_again_and_the_restore_is_audited(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    assert (await callers.call("employer", "GET", "/api/positions/{gone}")).status_code == 404

    restored = await callers.call("employer_admin", "POST", PATH.format(target="{gone}"))

    assert restored.status_code == 200, restored.text
    assert (await callers.call("employer", "GET", "/api/positions/{gone}")).status_code == 200
    assert (await callers.call("employer_admin", "POST", PATH.format(target="{gone}"))).status_code == 404
    gone = int(callers.path("{gone}"))
    assert await restore_audits(ctx, "positions", gone) == [callers.tenants.user("employer_admin").id]
