"""Todos, who may see them, their files and deadline extension requests (seed section 4)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, SoftDelete, Timestamps, table_args
from models.enums import ExtensionStatus, TodoPriority, TodoStatus, TodoVisibility, ViewerPermission
from models.types import JSONText, StrEnumType, UTCDateTime, utc_now


class Todo(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "todos"

    title: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[TodoStatus] = mapped_column(
        StrEnumType(TodoStatus, 20),
        nullable=False,
        default=TodoStatus.PENDING,
        server_default="pending",
        index=True,
    )
    priority: Mapped[TodoPriority] = mapped_column(
        StrEnumType(TodoPriority, 10),
        nullable=False,
        default=TodoPriority.MEDIUM,
        server_default="medium",
        index=True,
    )
    due_date: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    assigned_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))
    category: Mapped[str | None] = mapped_column(String(50), index=True)
    tags: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    estimated_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    actual_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    visibility: Mapped[TodoVisibility] = mapped_column(
        StrEnumType(TodoVisibility, 20),
        nullable=False,
        default=TodoVisibility.PRIVATE,
        server_default="private",
    )
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )


class TodoViewer(IntPK, Base):
    __tablename__ = "todo_viewers"
    __table_args__ = table_args(UniqueConstraint("todo_id", "user_id"))

    todo_id: Mapped[int] = mapped_column(Integer, ForeignKey("todos.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    permission: Mapped[ViewerPermission] = mapped_column(
        StrEnumType(ViewerPermission, 20),
        nullable=False,
        default=ViewerPermission.READ,
        server_default="read",
    )
    added_by: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, server_default=utc_now())


class TodoAttachment(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "todo_attachments"

    todo_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("todos.id", ondelete="CASCADE"), nullable=False, index=True
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    stored_filename: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    file_path: Mapped[str] = mapped_column(String(500), nullable=False)
    file_size: Mapped[int] = mapped_column(Integer, nullable=False)
    mime_type: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False, index=True)


class TodoExtensionRequest(IntPK, Timestamps, Base):
    __tablename__ = "todo_extension_requests"

    todo_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("todos.id", ondelete="CASCADE"), nullable=False, index=True
    )
    requested_by: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    original_due_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requested_due_date: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[ExtensionStatus] = mapped_column(
        StrEnumType(ExtensionStatus, 20),
        nullable=False,
        default=ExtensionStatus.PENDING,
        server_default="pending",
        index=True,
    )
    reviewed_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_notes: Mapped[str | None] = mapped_column(Text)
    approved_due_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
