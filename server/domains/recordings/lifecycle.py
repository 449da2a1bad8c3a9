"""A recording from its recorder's start to its stored file.

- `start`: the recorder takes its seat in the room and the row becomes `processing`, in one
  transaction, only while the room still records this recording (else `failed`: it was
  stopped before its recorder came).
- `recorded`: a participant's media reached the recorder (an audit row: who may see it).
- `finalize`: the spooled files (the room's, each participant's voice) are copied into one
  WebM with a track per participant (`tracks.assemble`), probed (PyAV), stored with the files
  mechanism (content addressed under the company, as uploads are) and the row says duration,
  size, format and status: `ready`, `partial` when its recorder died, `failed` when nothing
  playable was written. The room hears `recording:state` with the file's status; a meeting
  with `transcription_enabled` gets its transcript job scheduled (a video call has no such
  flag, and `meeting_transcripts` needs a meeting).

Rows of both room kinds go through `takes.Take`.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import anyio

from models import Meeting
from models.enums import ProcessingStatus, RecordingStatus
from server import effects
from server.domains.files.naming import object_key
from server.domains.meetings.live.pushes import RecordingState
from server.domains.meetings.live.seats import LiveRooms
from server.domains.meetings.live.service import channel
from server.domains.recordings import access, takes, tracks
from server.domains.recordings.probe import Probe, probe
from server.domains.recordings.rows import TRANSCRIBE_JOB, note_recorded, participant_user, spool_path
from server.domains.recordings.schemas import recording_out
from server.domains.recordings.takes import ACTIVE, Ref, Take

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)


async def start(ctx: AppContext, ref: Ref) -> str | None:
    """Seat the recorder; the room's key, or None when this recording is not to be captured."""
    async with ctx.transaction() as db:
        take = await takes.load(db, ref)
        if take is None or take.row.is_deleted or take.status is not ProcessingStatus.PENDING:
            return None
        key = take.room_key
        rooms = LiveRooms(db, ctx)
        seated = await rooms.seat_recorder(key, ref.id)
        now = datetime.now(UTC)
        if seated:
            take.update(ProcessingStatus.PROCESSING, started_at=now)
        else:  # stopped before its recorder came: nothing was recorded
            take.update(ProcessingStatus.FAILED, started_at=now, ended_at=now)
        await _tell(rooms, key, take)
        return key if seated else None


async def recorded(ctx: AppContext, ref: Ref, participant_id: int) -> None:
    async with ctx.transaction() as db:
        take = await takes.load(db, ref)
        user_id = await participant_user(db, ref.kind, participant_id)
        if take is not None and user_id is not None:
            note_recorded(db, take, participant_id, user_id)


async def finalize(ctx: AppContext, ref: Ref, *, partial: bool) -> ProcessingStatus | None:
    """Store what was written and close the row (once: a finished row is left alone)."""
    async with ctx.sessionmaker() as db:
        take = await takes.load(db, ref)
        if take is None or take.status not in ACTIVE:
            return None
        company_id = take.company_id
    spooled = spool_path(ctx.storage, ref)
    final, found = await anyio.to_thread.run_sync(_assemble, spooled)
    stored = await _store(ctx, company_id, final) if found is not None else None
    async with ctx.transaction() as db:
        take = await takes.load(db, ref)
        if take is None or take.status not in ACTIVE:
            return None
        now = datetime.now(UTC)
        room = await access.room(db, ref.kind, take.room_id)
        if found is None or stored is None or room is None:
            take.update(ProcessingStatus.FAILED, ended_at=now)
        else:
            take.store(db, stored, room.created_by if isinstance(room, Meeting) else room.host_id)
            _fill(take, found, partial, now)
        key = take.room_key
        rooms = LiveRooms(db, ctx)
        if partial:
            await rooms.recorder_lost(key, ref.id)
        await _tell(rooms, key, take)
        usable = take.status in (ProcessingStatus.READY, ProcessingStatus.PARTIAL)
        if usable and isinstance(room, Meeting) and room.transcription_enabled:
            effects.schedule(db, TRANSCRIBE_JOB, key=str(ref.id), recording_id=ref.id)
        status = take.status
    await anyio.to_thread.run_sync(tracks.remove, spooled)
    log.info("recording %s finalized: %s", ref.name, status)
    return status


def _assemble(spooled: Path) -> tuple[Path, Probe | None]:
    """The file to store (the room's file with a track per participant; the room's file alone
    when they cannot be put together) and what it holds."""
    assembled = tracks.assemble(spooled)
    found = probe(assembled) if assembled is not None else None
    if assembled is None or found is None:
        return spooled, probe(spooled)
    return assembled, found


def _fill(take: Take, found: Probe, partial: bool, now: datetime) -> None:
    started = take.info.started_at or now
    take.update(
        ProcessingStatus.PARTIAL if partial else ProcessingStatus.READY,
        ended_at=started + timedelta(seconds=found.duration) if partial else now,
        duration_seconds=round(found.duration),
    )


Stored = tuple[str, int, str]
"""An object's key, size and sha256."""


async def _store(ctx: AppContext, company_id: int, path: Path) -> Stored | None:
    """Move the spooled file into storage under its content's key."""
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
    return key, size, digest


def _hash(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


async def _tell(rooms: LiveRooms, key: str, take: Take) -> None:
    """`recording:state` to the room, with the file's status (after the commit)."""
    current = await rooms.store.recording(key)
    running = current.recording_id == take.ref.id
    status = RecordingStatus(current.status) if running else RecordingStatus.STOPPED
    state = RecordingState(
        status=status,
        requested_by=current.requested_by,
        recording_id=take.ref.id,
        file_status=take.status,
        download_url=recording_out(take).download_url,
    )
    effects.push(rooms.db, "recording:state", state, to=channel(key))
