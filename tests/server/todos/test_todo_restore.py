"""POST /api/todos/{id}/restore: whoever may delete a todo (its managers: its creator, an admin
of its company, a system_admin) brings it back within 90 days of the deletion; anyone else, a
live todo and one deleted longer ago get 404, exactly like a missing id."""

from __future__ import annotations

import pytest

from models import AuditLog, Notification, Todo, TodoViewer
from models.enums import TodoVisibility
from server.context import AppContext
from tests.factories import make_todo
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
    async with ctx.transaction() as db:
        rows = {
            "gone": await make_todo(
                db,
                user("recruiter"),
                visibility=TodoVisibility.COMPANY,
                assigned_user_id=user("candidate").id,
            ),
            "almost": await make_todo(db, user("recruiter")),
            "long_gone": await make_todo(db, user("recruiter"), visibility=TodoVisibility.COMPANY),
            "live": await make_todo(db, user("recruiter"), visibility=TodoVisibility.COMPANY),
            "foreign": await make_todo(db, user("other_user")),
        }
    return await name_and_delete(ctx, callers, Todo, rows)


RESTORE = RestoreRoute(
    model=Todo,
    path="/api/todos/{target}/restore",
    not_found="Todo {id} was not found.",
    refused=[
        ANONYMOUS,
        # The assignee (candidate) may edit the todo but not delete it, so not restore it either.
        *not_found("gone", "candidate", "employer_admin", "employer", "other_admin", "other_user"),
        *not_found("foreign", "home_admin"),
        *window_refusals("recruiter", "system_admin", long_gone=("recruiter", "home_admin", "system_admin")),
    ],
    allowed=[
        ("recruiter", "gone"),
        ("home_admin", "gone"),
        ("system_admin", "gone"),
        ("recruiter", "almost"),
        ("other_admin", "foreign"),
        ("other_user", "foreign"),
    ],
    unchanged=(Todo, TodoViewer, Notification, AuditLog),
)

test_refusals_answer_exactly_and_change_nothing = RESTORE.refusals_test()
test_whoever_may_delete_the_todo_restores_it = RESTORE.restores_test()


async def test_a_restored_todo_is_read_again_and_the_restore_is_audited(
    callers: Callers, ctx: AppContext, deleted_at: DeletedAt
) -> None:
    assert (await callers.call("recruiter", "GET", "/api/todos/{gone}")).status_code == 404

    restored = await RESTORE.restore(callers, "home_admin", "gone")

    assert restored["title"]
    again = await callers.call("candidate", "GET", "/api/todos/{gone}")
    assert again.status_code == 200, again.text
    await RESTORE.assert_restored_once(callers, ctx, "home_admin", "gone")
