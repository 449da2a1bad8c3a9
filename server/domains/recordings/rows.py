"""The recording's row as the live room starts it, and the names every part of recording shares.

A row (of either room kind: `takes`) is created in the transaction that turns a room's
recording state to `recording`, so `recording:state` can carry its id from the first push; the
same transaction schedules the job that runs its recorder. Status: pending (waiting for its
recorder), processing (being captured, then finalized), ready, partial (its recorder died:
playable up to the last second written), failed (nothing usable was written).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingParticipant, VideoCallParticipant
from server import audit, effects
from server.domains.meetings.rooms import Room, RoomKind
from server.domains.recordings import takes
from server.domains.recordings.takes import Ref, Take
from server.storage import Storage

RECORD_JOB = "recordings.record"
FINALIZE_JOB = "recordings.finalize"
TRANSCRIBE_JOB = "transcripts.transcribe"
"""The transcripts domain's job, scheduled for a finalized recording of a meeting that asks for it."""
RECORDED = "meeting_recordings.recorded"
"""Audit action: one participant's media was recorded (who may later see the recording)."""


async def begin(db: AsyncSession, room: Room, requested_by: int | None) -> int | None:
    """Create the row of a room's new recording and schedule its recorder; the row's id."""
    requester = await participant_user(db, room.kind, requested_by)
    ref = await takes.create(db, room.kind, room.id, room.company_id, requester)
    effects.schedule(db, RECORD_JOB, key=ref.name, recording=ref.name)
    return ref.id


async def participant_user(db: AsyncSession, kind: RoomKind, participant_id: int | None) -> int | None:
    """The user behind a room's participant (None for a guest)."""
    if participant_id is None:
        return None
    participant: MeetingParticipant | VideoCallParticipant | None
    if kind is RoomKind.MEETING:
        participant = await db.get(MeetingParticipant, participant_id)
    else:
        participant = await db.get(VideoCallParticipant, participant_id)
    return participant.user_id if participant is not None else None


def note_recorded(db: AsyncSession, take: Take, participant_id: int, user_id: int) -> None:
    entity_type, entity_id = take.audit_entity()
    audit.note(
        db,
        RECORDED,
        entity_type,
        entity_id,
        {"participant_id": participant_id, "user_id": user_id},
        company_id=take.company_id,
    )


def spool_path(storage: Storage, ref: Ref) -> Path:
    """Where the recorder writes while it records (a local directory beside the uploads in
    flight). Crash finalization reads it from another process, so processes that may finalize
    each other's recordings must share it (one machine, or a shared STORAGE_DIR volume)."""
    return storage.staging_dir / "recordings" / f"{ref.name}.webm"
