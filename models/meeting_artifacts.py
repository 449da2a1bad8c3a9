"""What a meeting leaves behind: recordings, transcripts and summaries.

The seed names these tables in its relationships without defining them; they follow its
style: integer ids, `company_id` for tenancy with CASCADE, soft deletion, audit timestamps,
a status in VARCHAR(20) and indexes on what they are looked up by (meeting, company, status).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, SoftDelete, Timestamps
from models.enums import ProcessingStatus
from models.types import JSONText, LongText, StrEnumType, UTCDateTime


def _meeting_fk() -> Mapped[int]:
    return mapped_column(Integer, ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True)


def _company_fk() -> Mapped[int]:
    return mapped_column(Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True)


def _status() -> Mapped[ProcessingStatus]:
    return mapped_column(
        StrEnumType(ProcessingStatus, 20),
        nullable=False,
        default=ProcessingStatus.PENDING,
        server_default="pending",
        index=True,
    )


class MeetingRecording(IntPK, SoftDelete, Timestamps, Base):
    """One recorded stretch of a meeting, started only after every participant consented.

    Columns:
        meeting_id: the meeting recorded; recordings go with it.
        company_id: the meeting's company (tenant scope).
        started_by: the host who asked to record; NULL once that user is deleted.
        status: pending (recorder starting), processing (file being finalised), ready, failed.
        file_path: where the storage backend keeps the file; never a client-chosen name.
        file_size: bytes; BIGINT because an hour of video passes the 2 GiB an INTEGER holds.
        mime_type: the container, e.g. video/webm.
        duration_seconds: length of the recording once finalised.
        started_at, ended_at: when recording began and stopped (UTC).
        is_deleted, deleted_at, deleted_by: the seed's soft deletion.
        created_at, updated_at: the seed's audit timestamps.
    """

    __tablename__ = "meeting_recordings"

    meeting_id: Mapped[int] = _meeting_fk()
    company_id: Mapped[int] = _company_fk()
    started_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[ProcessingStatus] = _status()
    file_path: Mapped[str | None] = mapped_column(String(500))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    mime_type: Mapped[str | None] = mapped_column(String(100))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeetingTranscript(IntPK, SoftDelete, Timestamps, Base):
    """The text of what was said in a meeting, made from a recording.

    Columns:
        meeting_id: the meeting transcribed; transcripts go with it.
        recording_id: the recording it was made from; NULL once that recording row is gone.
        company_id: the meeting's company (tenant scope).
        language: BCP 47 language of the speech, `ja` by default.
        status: pending, processing, ready, failed.
        content: the full plain text, LONGTEXT for long meetings.
        segments: JSON list of {start, end, speaker, text} with offsets in seconds.
        is_deleted, deleted_at, deleted_by: the seed's soft deletion.
        created_at, updated_at: the seed's audit timestamps.
    """

    __tablename__ = "meeting_transcripts"

    meeting_id: Mapped[int] = _meeting_fk()
    recording_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("meeting_recordings.id", ondelete="SET NULL"), index=True
    )
    company_id: Mapped[int] = _company_fk()
    language: Mapped[str] = mapped_column(String(10), nullable=False, default="ja", server_default="ja")
    status: Mapped[ProcessingStatus] = _status()
    content: Mapped[str | None] = mapped_column(LongText)
    segments: Mapped[Any] = mapped_column(JSONText(long=True), nullable=True)


class MeetingSummary(IntPK, SoftDelete, Timestamps, Base):
    """A short account of a meeting: written by a person or generated from its transcript.

    Columns:
        meeting_id: the meeting summarised; summaries go with it.
        transcript_id: the transcript it was generated from; NULL when written by hand or once
            the transcript row is gone.
        company_id: the meeting's company (tenant scope).
        status: pending, processing, ready, failed.
        summary: the summary text.
        key_points: JSON list of strings.
        action_items: JSON list of {text, assignee_id?, due_date?}.
        created_by: the user who wrote or requested it; NULL once that user is deleted.
        is_deleted, deleted_at, deleted_by: the seed's soft deletion.
        created_at, updated_at: the seed's audit timestamps.
    """

    __tablename__ = "meeting_summaries"

    meeting_id: Mapped[int] = _meeting_fk()
    transcript_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("meeting_transcripts.id", ondelete="SET NULL"), index=True
    )
    company_id: Mapped[int] = _company_fk()
    status: Mapped[ProcessingStatus] = _status()
    summary: Mapped[str | None] = mapped_column(Text)
    key_points: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    action_items: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    created_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id", ondelete="SET NULL"))
