"""What the recordings API answers."""

from __future__ import annotations

from datetime import datetime

import msgspec

from models.enums import ProcessingStatus
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings.takes import Take


class Recording(msgspec.Struct, kw_only=True):
    id: int
    meeting_id: int | None
    """The meeting recorded; None for a video call's recording."""
    video_call_id: int | None
    """The video call recorded; None for a meeting's recording."""
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


def recording_out(take: Take) -> Recording:
    row, info, calls = take.row, take.info, take.ref.kind is RoomKind.CALL
    base = f"/api/video-calls/{take.room_id}/recordings/{row.id}" if calls else f"/api/recordings/{row.id}"
    return Recording(
        id=row.id,
        meeting_id=take.meeting_id,
        video_call_id=take.room_id if calls else None,
        status=info.status,
        started_by=take.started_by,
        mime_type=row.mime_type,
        file_size=row.file_size if take.file_path else None,
        duration_seconds=info.duration_seconds,
        started_at=info.started_at,
        ended_at=info.ended_at,
        created_at=row.created_at,
        download_url=f"{base}/download" if take.file_path else None,
    )
