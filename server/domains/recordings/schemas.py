"""What the recordings API answers."""

from __future__ import annotations

from datetime import datetime

import msgspec

from models import MeetingRecording
from models.enums import ProcessingStatus


class Recording(msgspec.Struct, kw_only=True):
    id: int
    meeting_id: int
    status: ProcessingStatus
    """pending, processing, ready, partial (its recorder died: playable up to where it stopped), failed."""
    started_by: int | None
    mime_type: str | None
    file_size: int | None
    duration_seconds: int | None
    started_at: datetime | None
    ended_at: datetime | None
    created_at: datetime
    download_url: str | None
    """Where the file is served (with range requests), once stored."""


def recording_out(row: MeetingRecording) -> Recording:
    return Recording(
        id=row.id,
        meeting_id=row.meeting_id,
        status=row.status,
        started_by=row.started_by,
        mime_type=row.mime_type,
        file_size=row.file_size,
        duration_seconds=row.duration_seconds,
        started_at=row.started_at,
        ended_at=row.ended_at,
        created_at=row.created_at,
        download_url=f"/api/recordings/{row.id}/download" if row.file_path else None,
    )
