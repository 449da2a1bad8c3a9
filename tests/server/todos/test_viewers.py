"""A todo's viewers: granting read or edit rights to people of its company, and withdrawing them."""

from __future__ import annotations

from sqlalchemy import select

from models import AuditLog
from server.context import AppContext
from tests.server.tenants import Callers, assert_error
from tests.server.todos.conftest import Team
from tests.server.todos.helpers import audit_actions, ok


async def test_grants_give_exactly_their_rights_and_withdrawal_takes_them_back(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    users = team.tenants.users
    colleague = users["colleague"].id
    assert (await callers.call("colleague", "GET", "/api/todos/{todo}")).status_code == 404

    granted = await ok(callers, "recruiter", "PUT", "/api/todos/{todo}/viewers/{colleague}", json={})
    assert granted == {
        "todo_id": team.id("todo"),
        "user_id": colleague,
        "first_name": "colleague",
        "last_name": users["colleague"].last_name,
        "permission": "read",
        "added_by": users["recruiter"].id,
        "added_at": granted["added_at"],
    }
    assert (await ok(callers, "colleague", "GET", "/api/todos/{todo}"))["access"] == "read"
    r = await callers.call("colleague", "PATCH", "/api/todos/{todo}", json={"title": "mine now"})
    assert_error(r, 403, "forbidden")

    changed = await ok(
        callers, "home_admin", "PUT", "/api/todos/{todo}/viewers/{colleague}", json={"permission": "edit"}
    )
    assert (changed["permission"], changed["added_by"]) == ("edit", users["recruiter"].id)
    body = await ok(callers, "colleague", "PATCH", "/api/todos/{todo}", json={"title": "edited by a viewer"})
    assert (body["title"], body["access"]) == ("edited by a viewer", "edit")

    viewers = await ok(callers, "reader", "GET", "/api/todos/{todo}/viewers")
    assert viewers["total"] == 3
    assert [(v["user_id"], v["permission"]) for v in viewers["items"]] == [
        (users["reader"].id, "read"),
        (users["editor"].id, "edit"),
        (colleague, "edit"),
    ]
    page = await ok(callers, "reader", "GET", "/api/todos/{todo}/viewers", params={"limit": 1, "offset": 2})
    assert ([v["user_id"] for v in page["items"]], page["total"]) == ([colleague], 3)

    await ok(callers, "recruiter", "DELETE", "/api/todos/{todo}/viewers/{colleague}", 204)
    assert (await callers.call("colleague", "GET", "/api/todos/{todo}")).status_code == 404
    r = await callers.call("recruiter", "DELETE", "/api/todos/{todo}/viewers/{colleague}")
    body = assert_error(r, 404, "not_found")
    assert body["detail"] == f"User {colleague} is not a viewer of todo {team.id('todo')}."
    assert await audit_actions(ctx, "todo_viewers", await grant_id(ctx, colleague)) == [
        "todo_viewers.create",
        "todo_viewers.update",
        "todo_viewers.delete",
    ]


async def grant_id(ctx: AppContext, user_id: int) -> int:
    """The id of the (now deleted) grant row of `user_id`, from the audit entry of its creation."""
    async with ctx.sessionmaker() as db:
        created = await db.scalars(
            select(AuditLog).where(AuditLog.action == "todo_viewers.create").order_by(AuditLog.id)
        )
        ids = [row.entity_id for row in created if row.new_values["user_id"] == user_id]
    assert len(ids) == 1 and ids[0] is not None
    return ids[0]


async def test_only_people_of_the_todos_company_become_viewers(callers: Callers, team: Team) -> None:
    for who in ("other_user", "employer", "system_admin", "missing"):
        r = await callers.call("recruiter", "PUT", f"/api/todos/{{todo}}/viewers/{{{who}}}", json={})
        body = assert_error(r, 404, "not_found")
        assert body["detail"] == f"User {callers.path('{' + who + '}')} was not found."
    r = await callers.call(
        "recruiter", "PUT", "/api/todos/{todo}/viewers/{colleague}", json={"permission": "own"}
    )
    assert_error(r, 422, "validation_error")
