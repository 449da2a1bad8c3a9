"""A stored recording of an employer's meeting, and one of its video call, each with a real
(small) WebM file behind it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models import Attachment, Meeting, MeetingParticipant, MeetingRecording, VideoCall, VideoCallParticipant
from models.enums import CallRole, MeetingRole, MeetingType, ProcessingStatus
from server.context import AppContext
from server.domains.files.naming import object_key
from server.domains.meetings.codes import new_room_code, new_room_id
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings import takes
from server.domains.recordings.lifecycle import _hash
from server.domains.recordings.rows import note_recorded
from server.domains.recordings.takes import Ref, Take
from signaling.recorder.mixer import Mixer
from tests.server.tenants import Callers, Tenants


@dataclass
class Stored:
    meeting: Meeting
    recording: MeetingRecording
    content: bytes


def small_webm(path: Path, seconds: float = 1.5) -> bytes:
    mixer = Mixer(path, width=160, height=96)
    start = time.monotonic()
    mixer.tick(start)
    mixer.close(start + seconds)
    return path.read_bytes()


async def store_recording(
    ctx: AppContext, meeting: Meeting, folder: Path, **fields: object
) -> MeetingRecording:
    path = folder / f"spool-{time.monotonic_ns()}.webm"
    small_webm(path)
    digest, size = _hash(path)
    key = object_key(meeting.company_id, digest)
    if not await ctx.storage.exists(key):
        await ctx.storage.put(key, path, size)
    now = datetime.now(UTC)
    async with ctx.sessionmaker() as db:
        row = MeetingRecording(
            meeting_id=meeting.id,
            company_id=meeting.company_id,
            started_by=meeting.created_by,
            status=ProcessingStatus.READY,
            file_path=key,
            file_size=size,
            mime_type="video/webm",
            duration_seconds=2,
            started_at=now - timedelta(seconds=2),
            ended_at=now,
            **fields,
        )
        db.add(row)
        await db.commit()
        return row


@pytest.fixture
async def stored(ctx: AppContext, tenants: Tenants, callers: Callers, tmp_path: Path) -> Stored:
    """A meeting of `employer_co` created by `employer_admin`: `employer` is a host,
    `candidate` (of the agency) was recorded, `recruiter` took part but was not recorded."""
    now = datetime.now(UTC)
    async with ctx.sessionmaker() as db:
        meeting = Meeting(
            title="一次面接",
            meeting_type=MeetingType.INTERVIEW,
            scheduled_start=now - timedelta(hours=1),
            scheduled_end=now + timedelta(hours=1),
            room_id=new_room_id(),
            company_id=tenants.employer_co.id,
            created_by=tenants.user("employer_admin").id,
            recording_enabled=True,
        )
        db.add(meeting)
        await db.flush()
        roles = {
            "employer": MeetingRole.HOST,
            "candidate": MeetingRole.CANDIDATE,
            "recruiter": MeetingRole.INTERVIEWER,
        }
        rows = {
            who: MeetingParticipant(meeting_id=meeting.id, user_id=tenants.user(who).id, role=role)
            for who, role in roles.items()
        }
        db.add_all(rows.values())
        await db.commit()
    recording = await store_recording(ctx, meeting, tmp_path)
    async with ctx.sessionmaker() as db:
        take = Take(Ref(RoomKind.MEETING, recording.id), recording)
        note_recorded(db, take, rows["candidate"].id, tenants.user("candidate").id)
        await db.commit()
    path = tmp_path / "content.webm"
    content = (await ctx.storage.open(recording.file_path or "")).chunks
    data = b"".join([chunk async for chunk in content])
    path.write_bytes(data)
    callers.names.update(meeting=meeting.id, recording=recording.id)
    return Stored(meeting=meeting, recording=recording, content=data)


@dataclass
class StoredCall:
    call: VideoCall
    recording: Attachment
    content: bytes


@pytest.fixture
async def stored_call(ctx: AppContext, tenants: Tenants, callers: Callers, tmp_path: Path) -> StoredCall:
    """A video call of `employer_co` hosted by `employer`: `candidate` (of the agency) was
    recorded, `recruiter` took part but was not; `employer_admin` is its company's admin."""
    now = datetime.now(UTC)
    async with ctx.sessionmaker() as db:
        call = VideoCall(
            room_code=new_room_code(),
            title="カジュアル面談",
            host_id=tenants.user("employer").id,
            scheduled_start=now - timedelta(hours=1),
            scheduled_end=now + timedelta(hours=1),
            company_id=tenants.employer_co.id,
            recording_enabled=True,
        )
        db.add(call)
        await db.flush()
        rows = {
            who: VideoCallParticipant(
                video_call_id=call.id,
                user_id=tenants.user(who).id,
                display_name=who,
                role=CallRole.PARTICIPANT,
            )
            for who in ("candidate", "recruiter")
        }
        db.add_all(rows.values())
        ref = await takes.create(db, RoomKind.CALL, call.id, call.company_id, call.host_id)
        await db.commit()
    path = tmp_path / "call-spool.webm"
    content = small_webm(path)
    digest, size = _hash(path)
    key = object_key(call.company_id, digest)
    if not await ctx.storage.exists(key):
        await ctx.storage.put(key, path, size)
    async with ctx.sessionmaker() as db:
        take = await takes.load(db, ref)
        assert take is not None
        take.store(db, (key, size, digest), call.host_id)
        take.update(
            ProcessingStatus.READY, started_at=now - timedelta(seconds=2), ended_at=now, duration_seconds=2
        )
        note_recorded(db, take, rows["candidate"].id, tenants.user("candidate").id)
        await db.commit()
        recording = await db.get_one(Attachment, ref.id)
    callers.names.update(call=call.id, recording=recording.id)
    return StoredCall(call=call, recording=recording, content=content)
