"""Todos: create, read, list, change, complete, reopen and delete, under `access` rules.

Every read and write goes through `server.domains.todos.access`: 404 for a todo you may not
see, 403 for one you may see but not change that way. Completing sets `completed_at` and
`completed_by`, and leaving the completed state (reopening, cancelling) clears them, whichever
route changes the status. Assigning a todo to someone else notifies them, in the same
transaction. Deletion is soft: a deleted todo is gone from every read, and its managers may
restore it within 90 days (after that the purge deletes it for good). Every write takes the
todo's row lock first, so two concurrent completions cannot both pass the "still open" check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, Select, Text, and_, case, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import Todo, User
from models.enums import TodoPriority, TodoStatus
from server import audit
from server.auth.principal import Principal
from server.domains.notifications.services import notify
from server.domains.todos import access
from server.domains.todos.access import Access
from server.domains.todos.schemas import TodoCreate, TodoFilters, TodoOut, TodoUpdate
from server.domains.todos.values import CLOSED, hours, now, tags, todo_out
from server.errors import Conflict, FieldError, Forbidden, InvalidInput
from server.listing import order_by, paginate
from server.schemas import Page

PRIORITY_RANK = case(
    {TodoPriority.LOW: 1, TodoPriority.MEDIUM: 2, TodoPriority.HIGH: 3, TodoPriority.URGENT: 4},
    value=Todo.priority,
    else_=0,
)
SORTABLE = {
    "id": Todo.id,
    "title": Todo.title,
    "status": Todo.status,
    "priority": PRIORITY_RANK,
    "due_date": Todo.due_date,
    "created_at": Todo.created_at,
    "updated_at": Todo.updated_at,
}
MANAGED_FIELDS = ("due_date", "assigned_user_id", "visibility")
"""What only a todo's managers change; its assignee asks for a later due date instead."""


def overdue(at: datetime) -> ColumnElement[bool]:
    return and_(Todo.due_date.is_not(None), Todo.due_date < at, Todo.status.not_in(CLOSED))


def set_status(db: AsyncSession, todo: Todo, status: TodoStatus, by_user_id: int) -> None:
    """Change the status, keeping `completed_at`/`completed_by` set exactly while completed.

    On an existing todo the audit entry is named `todos.complete` or `todos.reopen`; a new
    todo's stays `todos.create`.
    """
    new = todo.id is None
    if status is todo.status:
        return
    if status is TodoStatus.COMPLETED:
        todo.completed_at = now()
        todo.completed_by = by_user_id
        if not new:
            audit.label(db, todo, "todos.complete")
    elif todo.status is TodoStatus.COMPLETED:
        todo.completed_at = None
        todo.completed_by = None
        if not new:
            audit.label(db, todo, "todos.reopen")
    todo.status = status


class TodosService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def _out(self, todo: Todo, rights: Access) -> TodoOut:
        await self.db.flush()
        await self.db.refresh(todo)
        return todo_out(todo, rights)

    # Reading

    async def get(self, todo_id: int) -> TodoOut:
        todo, rights = await access.load(self.db, self.principal, todo_id, Access.READ)
        return todo_out(todo, rights)

    async def search(self, filters: TodoFilters, *, limit: int, offset: int, sort: str) -> Page[TodoOut]:
        at = now()
        statement = self._filtered(select(Todo).where(access.visible(self.principal)), filters, at)
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        grants = await access.grants_of(self.db, self.principal, [t.id for t in rows if not self._direct(t)])
        items = [todo_out(t, access.level(self.principal, t, grants.get(t.id)), at) for t in rows]
        return Page(items=items, total=total)

    def _direct(self, todo: Todo) -> bool:
        """Rights that no viewer grant can change (creator, assignee, admin)."""
        return access.level(self.principal, todo, None) >= Access.EDIT

    @staticmethod
    def _filtered(statement: Select[tuple[Todo]], filters: TodoFilters, at: datetime) -> Select[tuple[Todo]]:
        exact: list[tuple[InstrumentedAttribute[Any], object]] = [
            (Todo.status, filters.status),
            (Todo.priority, filters.priority),
            (Todo.category, filters.category),
            (Todo.visibility, filters.visibility),
            (Todo.assigned_user_id, filters.assigned_user_id),
            (Todo.created_by, filters.created_by),
            (Todo.company_id, filters.company_id),
        ]
        for column, value in exact:
            if value is not None:
                statement = statement.where(column == value)
        if filters.due_after is not None:
            statement = statement.where(Todo.due_date >= filters.due_after)
        if filters.due_before is not None:
            statement = statement.where(Todo.due_date < filters.due_before)
        if filters.overdue is not None:
            statement = statement.where(overdue(at) if filters.overdue else ~overdue(at))
        if filters.tag is not None:
            # Tags are a JSON list in TEXT: look for the tag as one JSON string, quotes included.
            quoted = msgspec.json.encode(filters.tag).decode()
            statement = statement.where(type_coerce(Todo.tags, Text).contains(quoted, autoescape=True))
        if filters.q:
            words = filters.q.lower()
            statement = statement.where(
                or_(
                    func.lower(Todo.title).contains(words, autoescape=True),
                    func.lower(Todo.description).contains(words, autoescape=True),
                )
            )
        return statement

    # Writing

    async def create(self, data: TodoCreate) -> TodoOut:
        company_id = self.principal.company_id
        if company_id is None:
            raise Forbidden("A todo belongs to a company; you are in none.", code="no_company")
        todo = Todo(
            status=TodoStatus.PENDING,
            title=data.title,
            description=data.description,
            priority=data.priority,
            category=data.category,
            tags=tags(data.tags),
            due_date=data.due_date,
            estimated_hours=hours("estimated_hours", data.estimated_hours),
            actual_hours=hours("actual_hours", data.actual_hours),
            visibility=data.visibility,
            created_by=self.principal.user_id,
            company_id=company_id,
        )
        if data.assigned_user_id is not None:
            await self._check_assignee(company_id, data.assigned_user_id)
            todo.assigned_user_id = data.assigned_user_id
        set_status(self.db, todo, data.status, self.principal.user_id)
        self.db.add(todo)
        await self.db.flush()
        await self._notify_assignee(todo)
        return await self._out(todo, Access.MANAGE)

    async def update(self, todo_id: int, data: TodoUpdate) -> TodoOut:
        todo, rights = await access.load(self.db, self.principal, todo_id, Access.EDIT, lock=True)
        managed = [
            name
            for name in MANAGED_FIELDS
            if getattr(data, name) is not msgspec.UNSET and getattr(data, name) != getattr(todo, name)
        ]
        if managed and rights < Access.MANAGE:
            raise Forbidden(
                f"Only the todo's creator or an admin of its company changes {', '.join(managed)}.",
                code="manage_only",
            )
        assignee_before = todo.assigned_user_id
        if isinstance(data.assigned_user_id, int) and data.assigned_user_id != assignee_before:
            await self._check_assignee(todo.company_id, data.assigned_user_id)
        for name in ("title", "description", "priority", "category", "due_date", "visibility"):
            value = getattr(data, name)
            if value is not msgspec.UNSET:
                setattr(todo, name, value)
        if data.assigned_user_id is not msgspec.UNSET and data.assigned_user_id != assignee_before:
            todo.assigned_user_id = data.assigned_user_id
            audit.label(self.db, todo, "todos.assign")
        if data.tags is not msgspec.UNSET:
            todo.tags = tags(data.tags)
        for name in ("estimated_hours", "actual_hours"):
            value = getattr(data, name)
            if value is not msgspec.UNSET:
                setattr(todo, name, hours(name, value))
        if data.status is not msgspec.UNSET:
            set_status(self.db, todo, data.status, self.principal.user_id)
        await self.db.flush()
        if todo.assigned_user_id != assignee_before:
            await self._notify_assignee(todo)
        return await self._out(todo, rights)

    async def complete(self, todo_id: int) -> TodoOut:
        todo, rights = await access.load(self.db, self.principal, todo_id, Access.EDIT, lock=True)
        if todo.status in CLOSED:
            raise self._illegal(todo, "completed")
        set_status(self.db, todo, TodoStatus.COMPLETED, self.principal.user_id)
        return await self._out(todo, rights)

    async def reopen(self, todo_id: int) -> TodoOut:
        todo, rights = await access.load(self.db, self.principal, todo_id, Access.EDIT, lock=True)
        if todo.status not in CLOSED:
            raise self._illegal(todo, "reopened")
        set_status(self.db, todo, TodoStatus.PENDING, self.principal.user_id)
        return await self._out(todo, rights)

    @staticmethod
    def _illegal(todo: Todo, verb: str) -> Conflict:
        return Conflict(f"A todo that is {todo.status} cannot be {verb}.", code="illegal_transition")

    async def delete(self, todo_id: int) -> None:
        todo, _ = await access.load(self.db, self.principal, todo_id, Access.MANAGE, lock=True)
        todo.mark_deleted(self.principal.user_id)
        await self.db.flush()

    async def restore(self, todo_id: int) -> TodoOut:
        """Bring back a todo deleted less than 90 days ago (its managers only; 404 otherwise)."""
        todo = await access.load_deleted(self.db, self.principal, todo_id)
        todo.restore()
        return await self._out(todo, Access.MANAGE)

    # Assignment

    async def _check_assignee(self, company_id: int, user_id: int) -> None:
        """The assignee is a live user of the todo's company; anything else is the same 422."""
        found = await self.db.scalar(
            select(User.id).where(
                User.id == user_id, User.company_id == company_id, User.is_deleted.is_(False)
            )
        )
        if found is None:
            raise InvalidInput(
                errors=[FieldError(field="assigned_user_id", message="no such user in the todo's company")]
            )

    async def _notify_assignee(self, todo: Todo) -> None:
        assignee = todo.assigned_user_id
        if assignee is None or assignee == self.principal.user_id:
            return
        await notify(
            self.db,
            user_id=assignee,
            type="todo_assigned",
            title="A todo was assigned to you",
            message=todo.title,
            category="todo",
            data={"todo_id": todo.id, "assigned_by": self.principal.user_id},
            action_url=f"/todos/{todo.id}",
        )
