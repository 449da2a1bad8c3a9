"""Video calls joined by room code and their participants (seed section 13)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Timestamps, flag
from models.enums import CallRole, ConnectionQuality, ParticipantStatus, VideoCallStatus
from models.types import JSONText, StrEnumType, UTCDateTime


class VideoCall(IntPK, Timestamps, Base):
    __tablename__ = "video_calls"

    room_code: Mapped[str] = mapped_column(String(50), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    host_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    status: Mapped[VideoCallStatus] = mapped_column(
        StrEnumType(VideoCallStatus, 20),
        nullable=False,
        default=VideoCallStatus.SCHEDULED,
        server_default="scheduled",
        index=True,
    )
    scheduled_start: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    scheduled_end: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_participants: Mapped[int] = mapped_column(Integer, nullable=False, default=10, server_default="10")
    recording_enabled: Mapped[bool] = flag(False)
    password_required: Mapped[bool] = flag(False)
    room_password: Mapped[str | None] = mapped_column(String(100))
    waiting_room: Mapped[bool] = flag(False)
    settings: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )


class VideoCallParticipant(IntPK, Timestamps, Base):
    __tablename__ = "video_call_participants"

    video_call_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("video_calls.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(100), nullable=False)
    role: Mapped[CallRole] = mapped_column(
        StrEnumType(CallRole, 20), nullable=False, default=CallRole.PARTICIPANT, server_default="participant"
    )
    status: Mapped[ParticipantStatus] = mapped_column(
        StrEnumType(ParticipantStatus, 20),
        nullable=False,
        default=ParticipantStatus.INVITED,
        server_default="invited",
        index=True,
    )
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    is_muted: Mapped[bool] = flag(False)
    is_video_enabled: Mapped[bool] = flag(True)
    connection_quality: Mapped[ConnectionQuality | None] = mapped_column(StrEnumType(ConnectionQuality, 20))
