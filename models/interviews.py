"""Interviews (seed section 3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, SoftDelete, Timestamps
from models.enums import InterviewDecision, InterviewStatus, InterviewType, NoteVisibility
from models.types import StrEnumType, UTCDateTime


class Interview(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "interviews"

    position_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("positions.id", ondelete="SET NULL"), index=True
    )
    candidate_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recruiter_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    scheduled_start: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    scheduled_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[InterviewStatus] = mapped_column(
        StrEnumType(InterviewStatus, 20),
        nullable=False,
        default=InterviewStatus.PENDING_SCHEDULE,
        server_default="pending_schedule",
        index=True,
    )
    interview_type: Mapped[InterviewType] = mapped_column(
        StrEnumType(InterviewType, 20), nullable=False, default=InterviewType.ONLINE, server_default="online"
    )
    location: Mapped[str | None] = mapped_column(String(255))
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    timezone: Mapped[str | None] = mapped_column(
        String(50), default="Asia/Tokyo", server_default="Asia/Tokyo"
    )
    duration_minutes: Mapped[int | None] = mapped_column(Integer, default=60, server_default="60")
    notes: Mapped[str | None] = mapped_column(Text)
    feedback: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[InterviewDecision | None] = mapped_column(StrEnumType(InterviewDecision, 20))
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_by: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False)


class InterviewNote(IntPK, SoftDelete, Timestamps, Base):
    """A note an interviewer keeps about an interview (not defined by the seed; designed in its style).

    Columns:
        interview_id: the interview the note is about; the note goes when the interview is deleted.
        author_id: who wrote it; only the author may edit it, and a private note is read by no one else.
        company_id: the author's company, the tenant every read and write is scoped by.
        content: the note itself.
        visibility: `private` (the author only) or `company` (everyone of the company who may see
            the interview).
        is_deleted, deleted_at, deleted_by: the seed's soft deletion.
        created_at, updated_at: the seed's audit timestamps.
    """

    __tablename__ = "interview_notes"

    interview_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    content: Mapped[str] = mapped_column(Text, nullable=False)
    visibility: Mapped[NoteVisibility] = mapped_column(
        StrEnumType(NoteVisibility, 20),
        nullable=False,
        default=NoteVisibility.PRIVATE,
        server_default="private",
    )
