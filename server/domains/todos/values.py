"""Between API values and rows: hours, tags, overdue, and the answers built from rows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from models import Todo, TodoExtensionRequest, TodoViewer, User
from models.enums import TodoStatus
from server.domains.todos.access import Access
from server.domains.todos.schemas import ExtensionRequestOut, TodoOut, ViewerOut
from server.errors import FieldError, InvalidInput

CLOSED = (TodoStatus.COMPLETED, TodoStatus.CANCELLED)
"""A todo in one of these states is done with: never overdue, no extension asked."""
CENT = Decimal("0.01")
ACCESS_NAMES: dict[Access, Literal["read", "edit", "manage"]] = {
    Access.READ: "read",
    Access.EDIT: "edit",
    Access.MANAGE: "manage",
}


def now() -> datetime:
    return datetime.now(UTC)


def hours(field: str, value: float | None) -> Decimal | None:
    """A NUMERIC(5, 2) value; more than two decimals is refused, never rounded away."""
    if value is None:
        return None
    exact = Decimal(repr(value))
    if exact != exact.quantize(CENT):
        raise InvalidInput(errors=[FieldError(field=field, message="at most two decimals")])
    return exact.quantize(CENT)


def tags(values: list[str]) -> list[str] | None:
    """Tags in the order given, repeats dropped; none is stored as NULL."""
    unique = list(dict.fromkeys(values))
    return unique or None


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def is_overdue(todo: Todo, at: datetime) -> bool:
    return todo.due_date is not None and todo.due_date < at and todo.status not in CLOSED


def todo_out(todo: Todo, access: Access, at: datetime | None = None) -> TodoOut:
    stored_tags: Any = todo.tags
    return TodoOut(
        id=todo.id,
        title=todo.title,
        description=todo.description,
        status=todo.status,
        priority=todo.priority,
        category=todo.category,
        tags=[str(tag) for tag in stored_tags] if isinstance(stored_tags, list) else [],
        due_date=todo.due_date,
        is_overdue=is_overdue(todo, at or now()),
        estimated_hours=_float(todo.estimated_hours),
        actual_hours=_float(todo.actual_hours),
        visibility=todo.visibility,
        assigned_user_id=todo.assigned_user_id,
        created_by=todo.created_by,
        company_id=todo.company_id,
        completed_at=todo.completed_at,
        completed_by=todo.completed_by,
        access=ACCESS_NAMES[access],
        created_at=todo.created_at,
        updated_at=todo.updated_at,
    )


def viewer_out(viewer: TodoViewer, user: User) -> ViewerOut:
    return ViewerOut(
        todo_id=viewer.todo_id,
        user_id=viewer.user_id,
        first_name=user.first_name,
        last_name=user.last_name,
        permission=viewer.permission,
        added_by=viewer.added_by,
        added_at=viewer.added_at,
    )


def extension_out(request: TodoExtensionRequest) -> ExtensionRequestOut:
    return ExtensionRequestOut(
        id=request.id,
        todo_id=request.todo_id,
        requested_by=request.requested_by,
        original_due_date=request.original_due_date,
        requested_due_date=request.requested_due_date,
        reason=request.reason,
        status=request.status,
        reviewed_by=request.reviewed_by,
        reviewed_at=request.reviewed_at,
        review_notes=request.review_notes,
        approved_due_date=request.approved_due_date,
        created_at=request.created_at,
        updated_at=request.updated_at,
    )
