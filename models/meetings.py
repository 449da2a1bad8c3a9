"""Video meetings for interviews and their participants (seed section 3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Timestamps, flag, table_args
from models.enums import MeetingRole, MeetingStatus, MeetingType, ParticipantStatus, RecordingStatus
from models.types import StrEnumType, UTCDateTime


class Meeting(IntPK, Timestamps, Base):
    __tablename__ = "meetings"

    interview_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("interviews.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    meeting_type: Mapped[MeetingType] = mapped_column(StrEnumType(MeetingType, 20), nullable=False)
    status: Mapped[MeetingStatus] = mapped_column(
        StrEnumType(MeetingStatus, 20),
        nullable=False,
        default=MeetingStatus.SCHEDULED,
        server_default="scheduled",
        index=True,
    )
    scheduled_start: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    scheduled_end: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    room_id: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    access_code: Mapped[str | None] = mapped_column(String(50))
    recording_enabled: Mapped[bool] = flag(False)
    recording_status: Mapped[RecordingStatus] = mapped_column(
        StrEnumType(RecordingStatus, 20),
        nullable=False,
        default=RecordingStatus.NOT_STARTED,
        server_default="not_started",
    )
    recording_consent_required: Mapped[bool] = flag(True)
    transcription_enabled: Mapped[bool] = flag(False)
    auto_summary: Mapped[bool] = flag(False)
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_by: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False)


class MeetingParticipant(IntPK, Timestamps, Base):
    __tablename__ = "meeting_participants"
    __table_args__ = table_args(UniqueConstraint("meeting_id", "user_id"))

    meeting_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[MeetingRole] = mapped_column(StrEnumType(MeetingRole, 20), nullable=False)
    status: Mapped[ParticipantStatus] = mapped_column(
        StrEnumType(ParticipantStatus, 20),
        nullable=False,
        default=ParticipantStatus.INVITED,
        server_default="invited",
    )
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    can_record: Mapped[bool] = flag(False)
    recording_consent: Mapped[bool | None] = mapped_column(Boolean)
