"""POST /api/todos/{id}/restore: whoever may delete a todo (its managers: its creator, an admin
of its company, a system_admin) brings it back within 90 days of the deletion; anyone else, a
live todo and one deleted longer ago get 404, exactly like a missing id."""

from __future__ import annotations

import pytest

from models import AuditLog, Notification, Todo, TodoViewer
from models.enums import TodoVisibility
from server.context import AppContext
from tests.factories import make_todo
from tests.server.retention.restoring import assert_each_restores, days_ago, restore_audits, set_deleted
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, Tenants, assert_matrix

PATH = "/api/todos/{target}/restore"
NOT_FOUND = "Todo {id} was not found."


@pytest.fixture
async def deleted_at(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, object]:
    user = tenants.user
    times = {"gone": days_ago(10), "almost": days_ago(89), "long_gone": days_ago(91), "foreign": days_ago(1)}
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
    for name, row in rows.items():
        callers.names[name] = row.id
        if name in times:
            await set_deleted(ctx, Todo, row.id, times[name])
    return dict(times)


REFUSED = [
    Expect("anonymous", "gone", 401, "invalid_token"),
    # The assignee may edit the todo but not delete it, so not restore it either.
    Expect("candidate", "gone", 404, "not_found"),
    Expect("employer_admin", "gone", 404, "not_found"),
    Expect("employer", "gone", 404, "not_found"),
    Expect("other_admin", "gone", 404, "not_found"),
    Expect("other_user", "gone", 404, "not_found"),
    Expect("home_admin", "foreign", 404, "not_found"),
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
    ("other_admin", "foreign"),
    ("other_user", "foreign"),
]


async def test_refusals_answer_exactly_and_change_nothing(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    await assert_matrix(callers, ctx, MATRIX, (Todo, TodoViewer, Notification, AuditLog), not_found=NOT_FOUND)


async def test_whoever_may_delete_the_todo_restores_it(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    await assert_each_restores(callers, ctx, Todo, PATH, ALLOWED, deleted_at)  # type: ignore[arg-type]


async def test_a_restored_todo_is_read_again_and_the_restore_is_audited(
    callers: Callers, ctx: AppContext, deleted_at: dict[str, object]
) -> None:
    assert (await callers.call("recruiter", "GET", "/api/todos/{gone}")).status_code == 404

    restored = await callers.call("home_admin", "POST", "/api/todos/{gone}/restore")

    assert restored.status_code == 200, restored.text
    assert restored.json()["title"]
    again = await callers.call("candidate", "GET", "/api/todos/{gone}")
    assert again.status_code == 200, again.text
    twice = await callers.call("home_admin", "POST", "/api/todos/{gone}/restore")
    assert twice.status_code == 404
    gone = int(callers.path("{gone}"))
    assert await restore_audits(ctx, "todos", gone) == [callers.tenants.user("home_admin").id]
