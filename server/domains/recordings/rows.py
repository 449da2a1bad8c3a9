"""The recording's row as the live room starts it, and the names every part of recording shares.

A row is created in the transaction that turns a meeting's recording state to `recording`, so
`recording:state` can carry its id from the first push; the same transaction schedules the
job that runs its recorder. Status: pending (waiting for its recorder), processing (being
captured, then finalized), ready, partial (its recorder died: playable up to the last second
written), failed (nothing usable was written).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingParticipant, MeetingRecording
from models.enums import ProcessingStatus
from server import audit, effects
from server.domains.meetings.rooms import Room, RoomKind
from server.storage import Storage

RECORD_JOB = "recordings.record"
FINALIZE_JOB = "recordings.finalize"
TRANSCRIBE_JOB = "transcripts.transcribe"
"""The transcripts domain's job, scheduled for a finalized recording of a meeting that asks for it."""
MIME_TYPE = "video/webm"
RECORDED = "meeting_recordings.recorded"
"""Audit action: one participant's media was recorded (who may later see the recording)."""
ACTIVE = (ProcessingStatus.PENDING, ProcessingStatus.PROCESSING)


async def begin(db: AsyncSession, room: Room, requested_by: int | None) -> int | None:
    """Create the row of a meeting's new recording and schedule its recorder; None for a video
    call (`video_calls` has nowhere to keep a recording: its recording is consent state only)."""
    if room.kind is not RoomKind.MEETING:
        return None
    requester = await db.get(MeetingParticipant, requested_by) if requested_by else None
    row = MeetingRecording(
        meeting_id=room.id,
        company_id=room.company_id,
        started_by=requester.user_id if requester else None,
        status=ProcessingStatus.PENDING,
        mime_type=MIME_TYPE,
    )
    db.add(row)
    await db.flush()
    effects.schedule(db, RECORD_JOB, key=str(row.id), recording_id=row.id)
    return row.id


def note_recorded(db: AsyncSession, recording: MeetingRecording, participant_id: int, user_id: int) -> None:
    audit.note(
        db,
        RECORDED,
        "meeting_recordings",
        recording.id,
        {"participant_id": participant_id, "user_id": user_id},
        company_id=recording.company_id,
    )


def spool_path(storage: Storage, recording_id: int) -> Path:
    """Where the recorder writes while it records (a local directory beside the uploads in
    flight). Crash finalization reads it from another process, so processes that may finalize
    each other's recordings must share it (one machine, or a shared STORAGE_DIR volume)."""
    return storage.staging_dir / "recordings" / f"{recording_id}.webm"
