"""Deadline extension requests: the assignee asks, the creator or a company admin decides.

Arrangement (conftest): `company` is the recruiter's company-visible todo assigned to `assignee`,
due in a week, with no request yet; `todo` already has a pending request `ext`.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from models import TodoExtensionRequest
from models.enums import CompanyType, ExtensionStatus, TodoStatus
from server.auth.principal import Principal, RoleName
from server.context import AppContext
from server.domains.todos.extensions import ExtensionsService
from server.domains.todos.schemas import ExtensionRequestCreate
from server.errors import Conflict
from tests.backends import DATABASE_URL
from tests.factories import make_todo
from tests.server.tenants import Callers
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

ON_MYSQL = (DATABASE_URL or "").startswith(("mysql", "mariadb"))
REQUEST_FIELDS = {
    "id",
    "todo_id",
    "requested_by",
    "original_due_date",
    "requested_due_date",
    "reason",
    "status",
    "reviewed_by",
    "reviewed_at",
    "review_notes",
    "approved_due_date",
    "created_at",
    "updated_at",
}


async def ask(callers: Callers, team: Team, after_days: float, who: str = "assignee") -> dict[str, Any]:
    due = team.todos["company"].due_date
    assert due is not None
    body: dict[str, Any] = await ok(
        callers,
        who,
        "POST",
        "/api/todos/{company}/extension-requests",
        201,
        json={"requested_due_date": iso(due + days(after_days)), "reason": "The client moved the interview"},
    )
    return body


async def test_asking_records_the_request_and_notifies_the_creator(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    users = team.tenants.users
    due = team.todos["company"].due_date
    assert due is not None
    body = await ask(callers, team, 3)
    assert set(body) == REQUEST_FIELDS
    assert (body["todo_id"], body["requested_by"], body["status"]) == (
        team.id("company"),
        users["assignee"].id,
        "pending",
    )
    assert parsed(body["original_due_date"]) == due
    assert parsed(body["requested_due_date"]) == due + days(3)
    assert (body["reviewed_by"], body["reviewed_at"], body["approved_due_date"]) == (None, None, None)
    assert await notifications_of(ctx, users["recruiter"].id) == [
        (
            "todo_extension_requested",
            {
                "todo_id": team.id("company"),
                "extension_request_id": body["id"],
                "requested_by": users["assignee"].id,
            },
        )
    ]
    # Asking does not move the due date; a second request waits for the first.
    assert parsed((await ok(callers, "assignee", "GET", "/api/todos/{company}"))["due_date"]) == due
    r = await callers.call(
        "assignee",
        "POST",
        "/api/todos/{company}/extension-requests",
        json={"requested_due_date": iso(due + days(9)), "reason": "again"},
    )
    assert (r.status_code, r.json()["code"]) == (409, "extension_pending")


async def test_approval_moves_the_due_date_and_notifies_the_requester(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    users = team.tenants.users
    request = await ask(callers, team, 3)
    before = now()
    reviewed = await ok(
        callers,
        "recruiter",
        "POST",
        f"/api/todos/{{company}}/extension-requests/{request['id']}/review",
        json={"decision": "approved", "review_notes": "OK"},
    )
    assert (reviewed["status"], reviewed["reviewed_by"], reviewed["review_notes"]) == (
        "approved",
        users["recruiter"].id,
        "OK",
    )
    assert before <= parsed(reviewed["reviewed_at"]) <= now()
    assert reviewed["approved_due_date"] == reviewed["requested_due_date"]
    todo = await ok(callers, "assignee", "GET", "/api/todos/{company}")
    assert parsed(todo["due_date"]) == parsed(request["requested_due_date"])
    assert (await stored_todo(ctx, team.id("company"))).due_date == parsed(request["requested_due_date"])
    assert await notifications_of(ctx, users["assignee"].id) == [
        (
            "todo_extension_approved",
            {"todo_id": team.id("company"), "extension_request_id": request["id"], "decision": "approved"},
        )
    ]
    assert "todos.extend" in await audit_actions(ctx, "todos", team.id("company"))
    assert await audit_actions(ctx, "todo_extension_requests", request["id"]) == [
        "todo_extension_requests.create",
        "todo_extension_requests.approve",
    ]
    # Reviewed once; the next request may be asked for a date after the new due date.
    r = await callers.call(
        "home_admin",
        "POST",
        f"/api/todos/{{company}}/extension-requests/{request['id']}/review",
        json={"decision": "rejected"},
    )
    assert (r.status_code, r.json()["code"]) == (409, "already_reviewed")
    r = await callers.call(
        "assignee",
        "POST",
        "/api/todos/{company}/extension-requests",
        json={"requested_due_date": request["requested_due_date"], "reason": "once more"},
    )
    assert (r.status_code, r.json()["code"], r.json()["errors"][0]["field"]) == (
        422,
        "validation_error",
        "requested_due_date",
    )
    await ask(callers, team, 4)


async def test_a_company_admin_may_approve_another_date_and_rejection_keeps_the_due_date(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    users = team.tenants.users
    due = team.todos["company"].due_date
    assert due is not None
    first = await ask(callers, team, 10)
    review = f"/api/todos/{{company}}/extension-requests/{first['id']}/review"
    r = await callers.call(
        "home_admin", "POST", review, json={"decision": "approved", "approved_due_date": iso(due)}
    )
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "approved_due_date")
    r = await callers.call(
        "home_admin", "POST", review, json={"decision": "rejected", "approved_due_date": iso(due + days(1))}
    )
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "approved_due_date")
    body = await ok(
        callers,
        "home_admin",
        "POST",
        review,
        json={"decision": "approved", "approved_due_date": iso(due + days(2))},
    )
    assert (body["reviewed_by"], parsed(body["approved_due_date"])) == (users["home_admin"].id, due + days(2))
    assert parsed((await ok(callers, "recruiter", "GET", "/api/todos/{company}"))["due_date"]) == due + days(
        2
    )

    second = await ask(callers, team, 5)
    rejected = await ok(
        callers,
        "recruiter",
        "POST",
        f"/api/todos/{{company}}/extension-requests/{second['id']}/review",
        json={"decision": "rejected", "review_notes": "The client will not wait"},
    )
    assert (rejected["status"], rejected["approved_due_date"]) == ("rejected", None)
    assert parsed((await ok(callers, "recruiter", "GET", "/api/todos/{company}"))["due_date"]) == due + days(
        2
    )
    assert [kind for kind, _ in await notifications_of(ctx, users["assignee"].id)] == [
        "todo_extension_approved",
        "todo_extension_rejected",
    ]


async def test_a_closed_todo_takes_no_request(callers: Callers, ctx: AppContext, team: Team) -> None:
    users = team.tenants.users
    async with ctx.transaction() as db:
        done = await make_todo(
            db,
            users["recruiter"],
            assigned_user_id=users["assignee"].id,
            due_date=now() + days(1),
            status=TodoStatus.COMPLETED,
        )
    r = await callers.call(
        "assignee",
        "POST",
        f"{BASE}/{done.id}/extension-requests",
        json={"requested_due_date": iso(now() + days(5)), "reason": "late"},
    )
    assert (r.status_code, r.json()["code"]) == (409, "todo_closed")


async def test_a_self_assigned_creator_asks_and_decides_without_notifying_themselves(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    me = team.tenants.user("colleague").id
    todo = await ok(
        callers,
        "colleague",
        "POST",
        f"{BASE}/",
        201,
        json={"title": "mine", "assigned_user_id": me, "due_date": iso(now() + days(1))},
    )
    request = await ok(
        callers,
        "colleague",
        "POST",
        f"{BASE}/{todo['id']}/extension-requests",
        201,
        json={"requested_due_date": iso(now() + days(2)), "reason": "busy"},
    )
    await ok(
        callers,
        "colleague",
        "POST",
        f"{BASE}/{todo['id']}/extension-requests/{request['id']}/review",
        json={"decision": "approved"},
    )
    assert await notifications_of(ctx, me) == []


async def test_request_lists_show_what_you_may_see_and_what_you_review(
    callers: Callers, ctx: AppContext, team: Team
) -> None:
    users = team.tenants.users
    asked = await ask(callers, team, 3)
    ids = {"ext": team.ext.id, "reviewed": team.reviewed.id, "asked": asked["id"]}
    by_id = {v: k for k, v in ids.items()}

    async def listed(who: str, path: str = f"{BASE}/extension-requests", **params: Any) -> list[str]:
        body = await ok(callers, who, "GET", path, params={"sort": "id", **params})
        assert body["total"] == len(body["items"])
        return [by_id[item["id"]] for item in body["items"]]

    assert await listed("recruiter") == ["reviewed", "ext", "asked"]
    assert await listed("recruiter", status="pending") == ["ext", "asked"]
    assert await listed("recruiter", to_review="true") == ["reviewed", "ext", "asked"]
    assert await listed("assignee", to_review="true") == []
    assert await listed("assignee", requested_by=users["assignee"].id) == ["reviewed", "ext", "asked"]
    assert await listed("home_admin", to_review="true", status="pending") == ["ext", "asked"]
    # `reader` sees `todo` (a viewer) and `company` (company-wide); `candidate` neither.
    assert await listed("reader") == ["reviewed", "ext", "asked"]
    assert await listed("candidate") == []
    assert await listed("other_admin") == []
    assert await listed("reader", "/api/todos/{todo}/extension-requests") == ["reviewed", "ext"]
    assert await listed("reader", "/api/todos/{company}/extension-requests", sort="-id") == ["asked"]
    r = await callers.call("recruiter", "GET", "/api/todos/{company}/extension-requests/{ext}")
    assert (r.status_code, r.json()["detail"]) == (404, f"Extension request {team.ext.id} was not found.")


@pytest.mark.skipif(not ON_MYSQL, reason="row locks and REPEATABLE READ snapshots are MySQL's")
async def test_two_concurrent_requests_leave_one_pending(ctx: AppContext, team: Team) -> None:
    """The second request waits for the first's row lock, then sees its pending request: 409.

    Both transactions read something first, as every request does (loading the principal), so a
    plain read in the second would still see the snapshot from before the first committed.
    """
    assignee = team.tenants.user("assignee")
    me = Principal(
        user_id=assignee.id,
        email=assignee.email,
        company_id=assignee.company_id,
        company_type=CompanyType.RECRUITING_AGENCY,
        roles=frozenset({RoleName.RECRUITER}),
        session_id="test",
    )
    due = team.todos["company"].due_date
    assert due is not None
    data = ExtensionRequestCreate(requested_due_date=due + days(2), reason="concurrent")
    snapshots_taken, first_asked = asyncio.Event(), asyncio.Event()

    async def first() -> str:
        async with ctx.transaction() as db:
            await db.scalar(select(func.count()).select_from(TodoExtensionRequest))
            await snapshots_taken.wait()
            await ExtensionsService(db, me).ask(team.id("company"), data)
            first_asked.set()
            await asyncio.sleep(0.3)  # the second is now waiting for the row lock
        return "created"

    async def second() -> str:
        try:
            async with ctx.transaction() as db:
                await db.scalar(select(func.count()).select_from(TodoExtensionRequest))
                snapshots_taken.set()
                await first_asked.wait()
                await ExtensionsService(db, me).ask(team.id("company"), data)
        except Conflict as exc:
            return exc.code
        return "created"

    assert await asyncio.gather(first(), second()) == ["created", "extension_pending"]
    async with ctx.sessionmaker() as db:
        pending = await db.scalar(
            select(func.count())
            .select_from(TodoExtensionRequest)
            .where(
                TodoExtensionRequest.todo_id == team.id("company"),
                TodoExtensionRequest.status == ExtensionStatus.PENDING,
            )
        )
    assert pending == 1
