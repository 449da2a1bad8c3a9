"""Notifications shown to a user (seed section 10)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Timestamps, flag, table_args
from models.enums import Priority
from models.types import JSONText, StrEnumType, UTCDateTime


class Notification(IntPK, Timestamps, Base):
    __tablename__ = "notifications"
    __table_args__ = table_args(Index("ix_notifications_created_at", "created_at"))

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    type: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    data: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    is_read: Mapped[bool] = flag(False, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    priority: Mapped[Priority] = mapped_column(
        StrEnumType(Priority, 10), nullable=False, default=Priority.NORMAL, server_default="normal"
    )
    category: Mapped[str | None] = mapped_column(String(50), index=True)
    action_url: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
