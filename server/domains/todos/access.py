"""Who may see and change a todo: the one rule every todo read and write goes through.

Tenancy first: a todo belongs to its creator's company (`todos.company_id`), and
`TenantScope` limits every lookup to the principal's company, so another tenant's todo is
404 exactly like a missing one. Viewer grants and extension requests carry no company of
their own: they are reached only through their todo, that is, through this module.

Within the company, a todo's rights are one of:

- **manage** (everything: due date, assignee, visibility, viewers, deletion and restoring within
  90 days, reviewing extension requests): its creator, a company_admin of its company, a
  system_admin;
- **edit** (title, description, status, priority, category, tags, hours, completing and
  reopening, attaching files): its assignee, and a viewer granted `edit`;
- **read**: a viewer granted `read`, and, when its visibility is `company`, every member of
  the company except candidate-only accounts (company visibility means the company's staff);
- **none** otherwise.

Viewer grants count only while the visibility is `company` or `viewers`; a `private` todo is
seen by its creator, its assignee and the company's admins alone, whatever grants it keeps.

A todo you may not see answers **404**, exactly like a missing id, so its existence never
leaks to a colleague; a todo you may see but not change in the way asked answers **403**.
Downloads of a todo's files follow the same rule (the manifest names `check_todo_attachment` below): 404 for a
todo you may not see, 403 for an upload to one you may only read.
"""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import Todo, TodoViewer
from models.enums import TodoVisibility, ViewerPermission
from server.auth.principal import Principal
from server.auth.tenancy import TenantScope
from server.errors import Forbidden, NotFound
from server.retention.policy import restorable


class Access(IntEnum):
    NONE = 0
    READ = 1
    EDIT = 2
    MANAGE = 3


def _oversees(principal: Principal, todo_company_id: int) -> bool:
    return principal.is_system_admin or (
        principal.is_company_admin and principal.company_id == todo_company_id
    )


def level(principal: Principal, todo: Todo, grant: ViewerPermission | None) -> Access:
    """The principal's rights on a todo of their scope, given their viewer grant on it (if any)."""
    me = principal.user_id
    if todo.created_by == me or _oversees(principal, todo.company_id):
        return Access.MANAGE
    if todo.assigned_user_id == me:
        return Access.EDIT
    shared = todo.visibility is not TodoVisibility.PRIVATE
    if shared and grant is ViewerPermission.EDIT:
        return Access.EDIT
    if shared and grant is ViewerPermission.READ:
        return Access.READ
    if todo.visibility is TodoVisibility.COMPANY and _staff_of(principal, todo.company_id):
        return Access.READ
    return Access.NONE


def _staff_of(principal: Principal, company_id: int) -> bool:
    return principal.company_id == company_id and not principal.is_candidate_only


def visible(principal: Principal) -> ColumnElement[bool]:
    """The SQL twin of `level(...) >= READ`, for lists: keep the two in step."""
    scope = TenantScope(principal).condition(Todo)
    live = Todo.is_deleted.is_(False)
    if principal.is_system_admin or principal.is_company_admin:
        # A company_admin oversees every todo of the company the scope already limits to.
        return and_(scope, live)
    me = principal.user_id
    granted = select(TodoViewer.id).where(TodoViewer.todo_id == Todo.id, TodoViewer.user_id == me).exists()
    company_wide = false() if principal.is_candidate_only else true()
    return and_(
        scope,
        live,
        or_(
            Todo.created_by == me,
            Todo.assigned_user_id == me,
            and_(Todo.visibility == TodoVisibility.COMPANY, company_wide),
            and_(Todo.visibility != TodoVisibility.PRIVATE, granted),
        ),
    )


def reviewable(principal: Principal) -> ColumnElement[bool]:
    """Todos whose extension requests the principal reviews: those they manage."""
    if principal.is_system_admin or principal.is_company_admin:
        return true()
    return Todo.created_by == principal.user_id


async def grant_of(db: AsyncSession, principal: Principal, todo_id: int) -> ViewerPermission | None:
    permission: ViewerPermission | None = await db.scalar(
        select(TodoViewer.permission).where(
            TodoViewer.todo_id == todo_id, TodoViewer.user_id == principal.user_id
        )
    )
    return permission


async def grants_of(
    db: AsyncSession, principal: Principal, todo_ids: list[int]
) -> dict[int, ViewerPermission]:
    """The principal's viewer grants on many todos at once (for a list page)."""
    if not todo_ids:
        return {}
    rows = await db.execute(
        select(TodoViewer.todo_id, TodoViewer.permission).where(
            TodoViewer.todo_id.in_(todo_ids), TodoViewer.user_id == principal.user_id
        )
    )
    return dict(rows.tuples().all())


def not_found(todo_id: int) -> NotFound:
    return NotFound(f"Todo {todo_id} was not found.")


async def load(
    db: AsyncSession, principal: Principal, todo_id: int, need: Access, *, lock: bool = False
) -> tuple[Todo, Access]:
    """The live todo and the principal's rights on it; 404 when unseen, 403 when `need` is not met.

    `lock` takes the todo's row lock (SELECT ... FOR UPDATE on MySQL) so that checks and
    changes of one todo (one pending extension request) do not interleave.
    """
    statement: Select[tuple[Todo]] = TenantScope(principal).select(Todo).where(Todo.id == todo_id)
    todo = await db.scalar(statement.with_for_update() if lock else statement)
    if todo is None:
        raise not_found(todo_id)
    rights = level(principal, todo, None)
    if rights < Access.EDIT:
        rights = level(principal, todo, await grant_of(db, principal, todo.id))
    if rights is Access.NONE:
        raise not_found(todo_id)
    if rights < need:
        if rights is Access.READ:
            raise Forbidden("You may read this todo but not change it.")
        raise Forbidden("Only the todo's creator or an admin of its company may do this.")
    return todo, rights


async def load_deleted(db: AsyncSession, principal: Principal, todo_id: int) -> Todo:
    """A todo deleted less than 90 days ago that the principal may restore: whoever may delete it
    (its managers). Anyone else, a live todo and one deleted longer ago get 404, as for a missing id."""
    statement = (
        TenantScope(principal)
        .select(Todo, include_deleted=True)
        .where(Todo.id == todo_id, restorable(Todo))
        .with_for_update()
    )
    todo = await db.scalar(statement)
    if todo is None or level(principal, todo, None) is not Access.MANAGE:
        raise not_found(todo_id)
    return todo


async def check_todo_attachment(db: AsyncSession, principal: Principal, todo_id: int, write: bool) -> None:
    """Files of a todo: seeing them needs read rights on the todo, changing them edit rights."""
    await load(db, principal, todo_id, Access.EDIT if write else Access.READ)
