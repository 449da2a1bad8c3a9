"""Fixtures of the todo tests: more people in the home agency and a todo for every rule.

The home agency of `tests.server.tenants` gets four more recruiters: `assignee`, `colleague`,
`reader` and `editor`. `recruiter` creates the home todos:

- `todo`: visibility `viewers`, assigned to `assignee`, `reader` granted read and `editor`
  granted edit, due in a week, with a pending extension request `ext` by `assignee` and an
  approved one `reviewed`;
- `private`: visibility `private`, assigned to `candidate`; `reader` and `editor` hold grants
  that a private todo ignores;
- `company`: visibility `company`, assigned to `assignee`, `editor` granted edit, due in a week;
- `undated`: visibility `company`, assigned to `assignee`, no due date;
- `own`: the candidate's own private todo;
- `deleted`: a soft-deleted company todo;
- `foreign`: the other agency's private todo, created by `other_user`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from models import Todo, TodoExtensionRequest, TodoViewer
from models.enums import ExtensionStatus, TodoVisibility, ViewerPermission
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import make_todo, make_user
from tests.server.tenants import Callers, Tenants
from tests.server.todos.helpers import days, now

STAFF = ("assignee", "colleague", "reader", "editor")


@dataclass(frozen=True)
class Team:
    tenants: Tenants
    todos: dict[str, Todo]
    ext: TodoExtensionRequest
    reviewed: TodoExtensionRequest

    def id(self, name: str) -> int:
        if name == "ext":
            return self.ext.id
        if name == "reviewed":
            return self.reviewed.id
        return self.todos[name].id


@pytest.fixture
async def team(ctx: AppContext, tenants: Tenants, callers: Callers) -> Team:
    users = tenants.users
    async with ctx.transaction() as db:
        for who in STAFF:
            users[who] = await make_user(
                db,
                ctx.passwords,
                tenants.home,
                RoleName.RECRUITER,
                email=f"{who}@tenants.example.jp",
                first_name=who,
            )
        recruiter = users["recruiter"]
        week = now() + days(7)
        todos = {
            "todo": await make_todo(
                db,
                recruiter,
                visibility=TodoVisibility.VIEWERS,
                assigned_user_id=users["assignee"].id,
                due_date=week,
            ),
            "private": await make_todo(db, recruiter, assigned_user_id=users["candidate"].id),
            "company": await make_todo(
                db,
                recruiter,
                visibility=TodoVisibility.COMPANY,
                assigned_user_id=users["assignee"].id,
                due_date=week,
            ),
            "undated": await make_todo(
                db, recruiter, visibility=TodoVisibility.COMPANY, assigned_user_id=users["assignee"].id
            ),
            "own": await make_todo(db, users["candidate"]),
            "deleted": await make_todo(db, recruiter, visibility=TodoVisibility.COMPANY, is_deleted=True),
            "foreign": await make_todo(db, users["other_user"]),
        }
        grants = [
            ("todo", "reader", ViewerPermission.READ),
            ("todo", "editor", ViewerPermission.EDIT),
            ("private", "reader", ViewerPermission.READ),
            ("private", "editor", ViewerPermission.EDIT),
            ("company", "editor", ViewerPermission.EDIT),
        ]
        db.add_all(
            TodoViewer(todo_id=todos[t].id, user_id=users[who].id, permission=p, added_by=recruiter.id)
            for t, who, p in grants
        )
        reviewed = TodoExtensionRequest(
            todo_id=todos["todo"].id,
            requested_by=users["assignee"].id,
            original_due_date=week - days(3),
            requested_due_date=week,
            reason="Waiting for the client",
            status=ExtensionStatus.APPROVED,
            reviewed_by=recruiter.id,
            reviewed_at=now(),
            approved_due_date=week,
        )
        ext = TodoExtensionRequest(
            todo_id=todos["todo"].id,
            requested_by=users["assignee"].id,
            original_due_date=week,
            requested_due_date=week + days(7),
            reason="候補者の日程調整が必要です",
        )
        db.add_all([reviewed, ext])
        await db.flush()
    team = Team(tenants=tenants, todos=todos, ext=ext, reviewed=reviewed)
    callers.names.update({name: team.id(name) for name in [*todos, "ext", "reviewed"]})
    return team
