"""External calendar connections and the events synchronised through them (seed section 5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Timestamps, flag, table_args
from models.enums import CalendarEventStatus, CalendarProvider, SyncStatus
from models.types import JSONText, StrEnumType, UTCDateTime


class CalendarConnection(IntPK, Timestamps, Base):
    __tablename__ = "calendar_connections"
    __table_args__ = table_args(UniqueConstraint("user_id", "provider", "external_account_id"))

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    provider: Mapped[CalendarProvider] = mapped_column(
        StrEnumType(CalendarProvider, 20), nullable=False, index=True
    )
    external_account_id: Mapped[str] = mapped_column(String(255), nullable=False)
    external_account_email: Mapped[str] = mapped_column(String(255), nullable=False)
    display_name: Mapped[str | None] = mapped_column(String(255))
    access_token: Mapped[str] = mapped_column(Text, nullable=False)
    refresh_token: Mapped[str | None] = mapped_column(Text)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_active: Mapped[bool] = flag(True, index=True)
    last_sync: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sync_enabled: Mapped[bool] = flag(True)


class CalendarIntegration(IntPK, Timestamps, Base):
    __tablename__ = "calendar_integrations"
    __table_args__ = table_args(UniqueConstraint("connection_id", "external_event_id"))

    connection_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("calendar_connections.id", ondelete="CASCADE"), nullable=False, index=True
    )
    external_event_id: Mapped[str] = mapped_column(String(255), nullable=False)
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    start_datetime: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    end_datetime: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    timezone: Mapped[str | None] = mapped_column(String(50))
    location: Mapped[str | None] = mapped_column(String(255))
    is_all_day: Mapped[bool] = flag(False)
    status: Mapped[CalendarEventStatus] = mapped_column(
        StrEnumType(CalendarEventStatus, 20),
        nullable=False,
        default=CalendarEventStatus.CONFIRMED,
        server_default="confirmed",
    )
    organizer_email: Mapped[str | None] = mapped_column(String(255))
    attendees: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    is_recurring: Mapped[bool] = flag(False)
    recurrence_rule: Mapped[str | None] = mapped_column(Text)
    sync_status: Mapped[SyncStatus] = mapped_column(
        StrEnumType(SyncStatus, 20),
        nullable=False,
        default=SyncStatus.SYNCED,
        server_default="synced",
        index=True,
    )
    last_modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
