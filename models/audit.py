"""The audit trail (seed section 15)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, CreatedAt, IntPK, table_args
from models.types import JSONText


class AuditLog(IntPK, CreatedAt, Base):
    __tablename__ = "audit_logs"
    __table_args__ = table_args(Index("ix_audit_logs_created_at", "created_at"))

    user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    entity_type: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    old_values: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    new_values: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(Text)
    session_id: Mapped[str | None] = mapped_column(String(255))
    company_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    metadata_: Mapped[Any] = mapped_column("metadata", JSONText(), nullable=True)
