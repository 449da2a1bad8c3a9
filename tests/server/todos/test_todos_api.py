"""/api/todos: creating, changing, completing and deleting todos, and whom it notifies."""

from __future__ import annotations

from typing import Any

from server.context import AppContext
from tests.server.tenants import Callers, Rejections, assert_rejections, invalid
from tests.server.todos.conftest import Team
from tests.server.todos.helpers import (
    BASE,
    audit_actions,
    days,
    iso,
    notifications_of,
    now,
    ok,
    parsed,
    stored_todo,
)

FIELDS = {
    "id",
    "title",
    "description",
    "status",
    "priority",
    "category",
    "tags",
    "due_date",
    "is_overdue",
    "estimated_hours",
    "actual_hours",
    "visibility",
    "assigned_user_id",
    "created_by",
    "company_id",
    "completed_at",
    "completed_by",
    "access",
    "created_at",
    "updated_at",
}


async def test_a_created_todo_is_the_creators_in_their_company_and_notifies_its_assignee(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    users = team.tenants.users
    due = now() + days(3)
    body = await ok(
        callers,
        "recruiter",
        "POST",
        f"{BASE}/",
        201,
        json={
            "title": "面接日程を調整する",
            "description": "候補者と企業の都合を確認",
            "priority": "urgent",
            "category": "scheduling",
            "tags": ["面接", "urgent", "面接"],
            "due_date": due.isoformat(),
            "estimated_hours": 1.25,
            "visibility": "company",
            "assigned_user_id": users["assignee"].id,
        },
    )
    assert set(body) == FIELDS
    assert body["created_by"] == users["recruiter"].id
    assert body["company_id"] == team.tenants.home.id
    assert (body["status"], body["priority"], body["access"]) == ("pending", "urgent", "manage")
    assert body["tags"] == ["面接", "urgent"]
    assert (body["estimated_hours"], body["actual_hours"]) == (1.25, None)
    assert parsed(body["due_date"]) == due
    assert (body["completed_at"], body["completed_by"], body["is_overdue"]) == (None, None, False)
    assert await notifications_of(ctx, users["assignee"].id) == [
        ("todo_assigned", {"todo_id": body["id"], "assigned_by": users["recruiter"].id})
    ]
    assert (await ok(callers, "assignee", "GET", f"{BASE}/{body['id']}"))["access"] == "edit"
    assert await audit_actions(ctx, "todos", body["id"]) == ["todos.create"]


async def test_defaults_and_self_assignment_notify_nobody(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    me = team.tenants.user("colleague").id
    body = await ok(
        callers, "colleague", "POST", f"{BASE}/", 201, json={"title": "x", "assigned_user_id": me}
    )
    assert (body["status"], body["priority"], body["visibility"], body["tags"]) == (
        "pending",
        "medium",
        "private",
        [],
    )
    assert await notifications_of(ctx, me) == []


async def test_reassigning_notifies_the_new_assignee_only(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    users = team.tenants.users
    await ok(
        callers,
        "recruiter",
        "PATCH",
        "/api/todos/{company}",
        json={"assigned_user_id": users["colleague"].id},
    )
    await ok(
        callers, "recruiter", "PATCH", "/api/todos/{company}", json={"title": "Same assignee, new title"}
    )
    assert await notifications_of(ctx, users["colleague"].id) == [
        ("todo_assigned", {"todo_id": team.id("company"), "assigned_by": users["recruiter"].id})
    ]
    assert await notifications_of(ctx, users["assignee"].id) == []
    assert "todos.assign" in await audit_actions(ctx, "todos", team.id("company"))
    # Unassigning notifies nobody.
    body = await ok(callers, "home_admin", "PATCH", "/api/todos/{company}", json={"assigned_user_id": None})
    assert body["assigned_user_id"] is None
    assert len(await notifications_of(ctx, users["colleague"].id)) == 1


async def test_completing_records_when_and_by_whom_and_reopening_clears_it(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    editor = team.tenants.user("editor").id
    before = now()
    done = await ok(callers, "editor", "POST", "/api/todos/{todo}/complete")
    assert (done["status"], done["completed_by"]) == ("completed", editor)
    assert before <= parsed(done["completed_at"]) <= now()
    again = await callers.call("assignee", "POST", "/api/todos/{todo}/complete")
    assert (again.status_code, again.json()["code"]) == (409, "illegal_transition")
    reopened = await ok(callers, "assignee", "POST", "/api/todos/{todo}/reopen")
    assert (reopened["status"], reopened["completed_at"], reopened["completed_by"]) == ("pending", None, None)
    stored = await stored_todo(ctx, team.id("todo"))
    assert (stored.completed_at, stored.completed_by) == (None, None)
    assert (await audit_actions(ctx, "todos", team.id("todo")))[-2:] == ["todos.complete", "todos.reopen"]


async def test_the_status_field_keeps_the_completion_fields_in_step(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    assignee = team.tenants.user("assignee").id
    done = await ok(callers, "assignee", "PATCH", "/api/todos/{company}", json={"status": "completed"})
    assert (done["completed_by"], done["completed_at"] is not None) == (assignee, True)
    # Another completed write keeps the first completion.
    same = await ok(callers, "recruiter", "PATCH", "/api/todos/{company}", json={"status": "completed"})
    assert (same["completed_by"], same["completed_at"]) == (assignee, done["completed_at"])
    cancelled = await ok(callers, "recruiter", "PATCH", "/api/todos/{company}", json={"status": "cancelled"})
    assert (cancelled["completed_at"], cancelled["completed_by"]) == (None, None)
    r = await callers.call("assignee", "POST", "/api/todos/{company}/complete")
    assert (r.status_code, r.json()["code"]) == (409, "illegal_transition")
    reopened = await ok(callers, "assignee", "POST", "/api/todos/{company}/reopen")
    assert reopened["status"] == "pending"
    created = await ok(
        callers, "recruiter", "POST", f"{BASE}/", 201, json={"title": "Done", "status": "completed"}
    )
    assert (created["status"], created["completed_by"]) == ("completed", team.tenants.user("recruiter").id)
    assert created["completed_at"] is not None
    assert await audit_actions(ctx, "todos", created["id"]) == ["todos.create"]


async def test_a_patch_changes_only_the_fields_it_sends(callers: Callers, team: Team) -> None:
    before = await ok(callers, "recruiter", "GET", "/api/todos/{todo}")
    changes: dict[str, Any] = {
        "description": "Bring the contract",
        "tags": ["contract", "contract", "legal"],
        "estimated_hours": 999.99,
        "actual_hours": 0,
        "category": None,
    }
    after = await ok(callers, "editor", "PATCH", "/api/todos/{todo}", json=changes)
    expected = {**before, **changes, "tags": ["contract", "legal"], "actual_hours": 0.0}
    assert {k: v for k, v in after.items() if k not in ("updated_at", "access")} == {
        k: v for k, v in expected.items() if k not in ("updated_at", "access")
    }
    cleared = await ok(
        callers, "editor", "PATCH", "/api/todos/{todo}", json={"tags": [], "estimated_hours": None}
    )
    assert (cleared["tags"], cleared["estimated_hours"]) == ([], None)


async def test_a_manager_moves_the_due_date_and_the_overdue_flag_follows(
    callers: Callers, team: Team
) -> None:
    yesterday = now() - days(1)
    body = await ok(callers, "recruiter", "PATCH", "/api/todos/{todo}", json={"due_date": iso(yesterday)})
    assert (parsed(body["due_date"]), body["is_overdue"]) == (yesterday, True)
    body = await ok(callers, "assignee", "POST", "/api/todos/{todo}/complete")
    assert body["is_overdue"] is False


async def test_a_deleted_todo_is_gone_from_every_read(callers: Callers, ctx: AppContext, team: Team) -> None:
    await ok(callers, "recruiter", "DELETE", "/api/todos/{company}", 204)
    for who in ("recruiter", "home_admin", "assignee"):
        r = await callers.call(who, "GET", "/api/todos/{company}")
        assert (who, r.status_code) == (who, 404)
        listed = await ok(callers, who, "GET", f"{BASE}/")
        assert team.id("company") not in [item["id"] for item in listed["items"]]
    r = await callers.call("recruiter", "DELETE", "/api/todos/{company}")
    assert r.status_code == 404
    stored = await stored_todo(ctx, team.id("company"))
    assert (stored.is_deleted, stored.deleted_by) == (True, team.tenants.user("recruiter").id)
    assert (await audit_actions(ctx, "todos", team.id("company")))[-1] == "todos.delete"


NAIVE = "2030-03-31T09:00:00"
REJECTED_INPUT: Rejections = [
    (
        "recruiter",
        "POST",
        f"{BASE}/",
        [
            ({"json": {}}, invalid("title")),
            ({"json": {"title": ""}}, invalid("title")),
            ({"json": {"title": "   "}}, invalid("title")),
            ({"json": {"title": "t" * 256}}, invalid("title")),
            ({"json": {"title": "x", "description": "d" * 10_001}}, invalid("description")),
            ({"json": {"title": "x", "status": "done"}}, invalid("status")),
            ({"json": {"title": "x", "priority": "critical"}}, invalid("priority")),
            ({"json": {"title": "x", "visibility": "public"}}, invalid("visibility")),
            ({"json": {"title": "x", "category": "c" * 51}}, invalid("category")),
            ({"json": {"title": "x", "category": " sales"}}, invalid("category")),
            ({"json": {"title": "x", "tags": "a,b"}}, invalid("tags")),
            ({"json": {"title": "x", "tags": [f"t{i}" for i in range(21)]}}, invalid("tags")),
            ({"json": {"title": "x", "tags": [""]}}, invalid("tags[0]")),
            ({"json": {"title": "x", "tags": ["ok", "t" * 51]}}, invalid("tags[1]")),
            ({"json": {"title": "x", "tags": ["ok", "trailing "]}}, invalid("tags[1]")),
            ({"json": {"title": "x", "tags": [1]}}, invalid("tags[0]")),
            ({"json": {"title": "x", "estimated_hours": -1}}, invalid("estimated_hours")),
            ({"json": {"title": "x", "estimated_hours": 1000}}, invalid("estimated_hours")),
            ({"json": {"title": "x", "estimated_hours": 1.234}}, invalid("estimated_hours")),
            ({"json": {"title": "x", "actual_hours": "two"}}, invalid("actual_hours")),
            ({"json": {"title": "x", "due_date": NAIVE}}, invalid("due_date")),
            ({"json": {"title": "x", "due_date": "tomorrow"}}, invalid("due_date")),
            ({"json": {"title": "x", "assigned_user_id": 0}}, invalid("assigned_user_id")),
            ({"json": {"title": "x", "assigned_user_id": 2**31}}, invalid("assigned_user_id")),
            ({"json": {"title": "x", "company_id": 1}}, invalid("company_id")),
            ({"json": {"title": "x", "completed_by": 1}}, invalid("completed_by")),
        ],
    ),
    (
        "recruiter",
        "PATCH",
        "/api/todos/{todo}",
        [
            ({"json": {"title": None}}, invalid("title")),
            ({"json": {"status": None}}, invalid("status")),
            ({"json": {"tags": None}}, invalid("tags")),
            ({"json": {"visibility": None}}, invalid("visibility")),
            ({"json": {"actual_hours": 0.001}}, invalid("actual_hours")),
            ({"json": {"due_date": NAIVE}}, invalid("due_date")),
            ({"json": {"created_by": 1}}, invalid("created_by")),
        ],
    ),
]


async def test_bad_input_is_a_422_naming_the_field(callers: Callers, team: Team) -> None:
    await assert_rejections(callers, REJECTED_INPUT)
    for path in ("/api/todos/0", f"/api/todos/{2**31}", "/api/todos/{todo}/viewers/0"):
        r = await callers.call("recruiter", "GET" if "viewers" not in path else "DELETE", path)
        assert (path, r.status_code) == (path, 422)
