"""What the API says about todos, their viewers and extension requests, and what it accepts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

import msgspec

from models.enums import ExtensionStatus, TodoPriority, TodoStatus, TodoVisibility, ViewerPermission
from server.schemas import AwareDateTime, Id, Title

"""Ids are signed 32-bit columns: a larger number can name no row."""

Text = Annotated[str, msgspec.Meta(max_length=10_000)]
"""TEXT holds 65,535 bytes on MySQL: 10,000 characters fit even as 4-byte UTF-8."""
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=5_000, pattern=r"\S")]
Category = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^\S(.*\S)?$")]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^\S(.*\S)?$")]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=20)]
"""At most 20 tags of 1 to 50 characters without surrounding blanks; repeats are dropped."""
Hours = Annotated[float, msgspec.Meta(ge=0, le=999.99)]
"""NUMERIC(5, 2): 0 to 999.99 with at most two decimals."""


class TodoOut(msgspec.Struct, kw_only=True):
    id: int
    title: str
    description: str | None
    status: TodoStatus
    priority: TodoPriority
    category: str | None
    tags: list[str]
    due_date: datetime | None
    is_overdue: bool
    estimated_hours: float | None
    actual_hours: float | None
    visibility: TodoVisibility
    assigned_user_id: int | None
    created_by: int
    company_id: int
    completed_at: datetime | None
    completed_by: int | None
    access: Literal["read", "edit", "manage"]
    """Your own rights on this todo: read, edit (content and status) or manage (everything)."""
    created_at: datetime
    updated_at: datetime


class TodoCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title: Title
    description: Text | None = None
    status: TodoStatus = TodoStatus.PENDING
    priority: TodoPriority = TodoPriority.MEDIUM
    category: Category | None = None
    tags: Tags = []
    due_date: AwareDateTime | None = None
    estimated_hours: Hours | None = None
    actual_hours: Hours | None = None
    visibility: TodoVisibility = TodoVisibility.PRIVATE
    assigned_user_id: Id | None = None
    """A user of your company; they are notified."""


class TodoUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Changing `due_date`, `assigned_user_id` or `visibility` needs manage rights; the rest, edit rights."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType | None = msgspec.UNSET
    status: TodoStatus | msgspec.UnsetType = msgspec.UNSET
    priority: TodoPriority | msgspec.UnsetType = msgspec.UNSET
    category: Category | msgspec.UnsetType | None = msgspec.UNSET
    tags: Tags | msgspec.UnsetType = msgspec.UNSET
    due_date: AwareDateTime | msgspec.UnsetType | None = msgspec.UNSET
    estimated_hours: Hours | msgspec.UnsetType | None = msgspec.UNSET
    actual_hours: Hours | msgspec.UnsetType | None = msgspec.UNSET
    visibility: TodoVisibility | msgspec.UnsetType = msgspec.UNSET
    assigned_user_id: Id | msgspec.UnsetType | None = msgspec.UNSET


class TodoFilters(msgspec.Struct, kw_only=True, frozen=True):
    status: TodoStatus | None = None
    priority: TodoPriority | None = None
    category: str | None = None
    tag: str | None = None
    visibility: TodoVisibility | None = None
    assigned_user_id: Id | None = None
    created_by: Id | None = None
    company_id: Id | None = None
    due_after: AwareDateTime | None = None
    """Due at or after this instant."""
    due_before: AwareDateTime | None = None
    """Due strictly before this instant."""
    overdue: bool | None = None
    q: str | None = None
    """Words in the title or the description (case-insensitive)."""


class ViewerOut(msgspec.Struct, kw_only=True):
    todo_id: int
    user_id: int
    first_name: str
    last_name: str
    permission: ViewerPermission
    added_by: int
    added_at: datetime


class ViewerGrant(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    permission: ViewerPermission = ViewerPermission.READ


class ExtensionRequestOut(msgspec.Struct, kw_only=True):
    id: int
    todo_id: int
    requested_by: int
    original_due_date: datetime | None
    requested_due_date: datetime
    reason: str
    status: ExtensionStatus
    reviewed_by: int | None
    reviewed_at: datetime | None
    review_notes: str | None
    approved_due_date: datetime | None
    created_at: datetime
    updated_at: datetime


class ExtensionRequestCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    requested_due_date: AwareDateTime
    """Must be after the todo's current due date."""
    reason: Reason


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class ExtensionReview(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    decision: Decision
    review_notes: Text | None = None
    approved_due_date: AwareDateTime | None = None
    """Only with `approved`: a date other than the requested one, after the current due date."""


class ExtensionFilters(msgspec.Struct, kw_only=True, frozen=True):
    status: ExtensionStatus | None = None
    requested_by: Id | None = None
    to_review: bool | None = None
    """Only requests on todos you may review (you created them, or you are their company's admin)."""
