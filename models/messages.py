"""Direct messages between users (seed section 14)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, SoftDelete, Timestamps, flag
from models.enums import MessageType, Priority
from models.types import JSONText, StrEnumType, UTCDateTime


class Message(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "messages"

    sender_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    recipient_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    subject: Mapped[str | None] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text, nullable=False)
    message_type: Mapped[MessageType] = mapped_column(
        StrEnumType(MessageType, 20), nullable=False, default=MessageType.DIRECT, server_default="direct"
    )
    priority: Mapped[Priority] = mapped_column(
        StrEnumType(Priority, 10), nullable=False, default=Priority.NORMAL, server_default="normal"
    )
    is_read: Mapped[bool] = flag(False, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    parent_message_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("messages.id"))
    thread_id: Mapped[str | None] = mapped_column(String(50), index=True)
    attachments: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    metadata_: Mapped[Any] = mapped_column("metadata", JSONText(), nullable=True)
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
