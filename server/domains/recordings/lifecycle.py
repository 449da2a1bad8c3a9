"""A recording from its recorder's start to its stored file.

- `start`: the recorder takes its seat in the room and the row becomes `processing`, in one
  transaction, only while the room still records this recording (else `failed`: it was
  stopped before its recorder came).
- `recorded`: a participant's media reached the recorder (an audit row: who may see it).
- `finalize`: the spooled files (the room's, each participant's voice) are copied into one
  WebM with a track per participant (`tracks.assemble`), probed (PyAV), stored with the files
  mechanism (content addressed under the company, as uploads are) and the row says duration,
  size, format and status: `ready`, `partial` when its recorder died, `failed` when nothing playable was
  written. The room hears `recording:state` with the file's status; a meeting with
  `transcription_enabled` gets its transcript job scheduled.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import anyio

from models import Meeting, MeetingParticipant, MeetingRecording
from models.enums import ProcessingStatus, RecordingStatus
from server import effects
from server.domains.files.naming import object_key
from server.domains.meetings.live.pushes import RecordingState
from server.domains.meetings.live.seats import LiveRooms
from server.domains.meetings.live.service import channel
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings import tracks
from server.domains.recordings.probe import Probe, probe
from server.domains.recordings.rows import ACTIVE, TRANSCRIBE_JOB, note_recorded, spool_path

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)


def room_key(meeting_id: int) -> str:
    return f"{RoomKind.MEETING}:{meeting_id}"


async def start(ctx: AppContext, recording_id: int) -> str | None:
    """Seat the recorder; the room's key, or None when this recording is not to be captured."""
    async with ctx.transaction() as db:
        row = await db.get(MeetingRecording, recording_id)
        if row is None or row.is_deleted or row.status is not ProcessingStatus.PENDING:
            return None
        key = room_key(row.meeting_id)
        rooms = LiveRooms(db, ctx)
        seated = await rooms.seat_recorder(key, recording_id)
        row.status = ProcessingStatus.PROCESSING if seated else ProcessingStatus.FAILED
        row.started_at = datetime.now(UTC)
        if not seated:  # stopped before its recorder came: nothing was recorded
            row.ended_at = row.started_at
        await _tell(rooms, key, row)
        return key if seated else None


async def recorded(ctx: AppContext, recording_id: int, participant_id: int) -> None:
    async with ctx.transaction() as db:
        row = await db.get_one(MeetingRecording, recording_id)
        participant = await db.get(MeetingParticipant, participant_id)
        if participant is not None:
            note_recorded(db, row, participant_id, participant.user_id)


async def finalize(ctx: AppContext, recording_id: int, *, partial: bool) -> ProcessingStatus | None:
    """Store what was written and close the row (once: a finished row is left alone)."""
    async with ctx.sessionmaker() as db:
        row = await db.get(MeetingRecording, recording_id)
        if row is None or row.status not in ACTIVE:
            return None
        company_id = row.company_id
    spooled = spool_path(ctx.storage, recording_id)
    final, found = await anyio.to_thread.run_sync(_assemble, spooled)
    stored = await _store(ctx, company_id, final) if found is not None else None
    async with ctx.transaction() as db:
        row = await db.get_one(MeetingRecording, recording_id)
        if row.status not in ACTIVE:
            return None
        now = datetime.now(UTC)
        if found is None or stored is None:
            row.status = ProcessingStatus.FAILED
            row.ended_at = now
        else:
            _fill(row, found, stored, partial, now)
        key = room_key(row.meeting_id)
        rooms = LiveRooms(db, ctx)
        if partial:
            await rooms.recorder_lost(key, recording_id)
        await _tell(rooms, key, row)
        meeting = await db.get_one(Meeting, row.meeting_id)
        if meeting.transcription_enabled and row.status in (ProcessingStatus.READY, ProcessingStatus.PARTIAL):
            effects.schedule(db, TRANSCRIBE_JOB, key=str(recording_id), recording_id=recording_id)
        status = row.status
    await anyio.to_thread.run_sync(tracks.remove, spooled)
    log.info("recording %s finalized: %s", recording_id, status)
    return status


def _assemble(spooled: Path) -> tuple[Path, Probe | None]:
    """The file to store (the room's file with a track per participant; the room's file alone
    when they cannot be put together) and what it holds."""
    assembled = tracks.assemble(spooled)
    found = probe(assembled) if assembled is not None else None
    if assembled is None or found is None:
        return spooled, probe(spooled)
    return assembled, found


def _fill(row: MeetingRecording, found: Probe, stored: tuple[str, int], partial: bool, now: datetime) -> None:
    row.file_path, row.file_size = stored
    row.duration_seconds = round(found.duration)
    row.status = ProcessingStatus.PARTIAL if partial else ProcessingStatus.READY
    started = row.started_at or now
    row.ended_at = started + timedelta(seconds=found.duration) if partial else now


async def _store(ctx: AppContext, company_id: int, path: Path) -> tuple[str, int] | None:
    """Move the spooled file into storage under its content's key; its key and size."""
    try:
        digest, size = await anyio.to_thread.run_sync(_hash, path)
        key = object_key(company_id, digest)
        if await ctx.storage.exists(key):
            await anyio.Path(path).unlink(missing_ok=True)
        else:
            await ctx.storage.put(key, path, size)
    except OSError:
        log.exception("recording file %s could not be stored", path)
        return None
    return key, size


def _hash(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


async def _tell(rooms: LiveRooms, key: str, row: MeetingRecording) -> None:
    """`recording:state` to the room, with the file's status (after the commit)."""
    current = await rooms.store.recording(key)
    status = RecordingStatus(current.status) if current.recording_id == row.id else RecordingStatus.STOPPED
    state = RecordingState(
        status=status, requested_by=current.requested_by, recording_id=row.id, file_status=row.status
    )
    effects.push(rooms.db, "recording:state", state, to=channel(key))
