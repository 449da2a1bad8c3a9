"""The meetings the transcript tests start from, and recordings made and stored for them.

- `meeting`: the home agency's, created by `recruiter` (its host), with `candidate` and
  `employer` (an interviewer of the employer company) invited; transcription on, no summary;
- `other_meeting`: the other agency's, created by `other_user`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models import Meeting, MeetingRecording
from models.enums import MeetingRole, ProcessingStatus
from server.context import AppContext
from server.domains import manifests
from server.domains.transcripts.manifest import DOMAIN
from tests.factories import make_meeting, make_meeting_participant
from tests.server.tenants import Callers, Tenants
from tests.server.transcripts.media import CODECS, Voice, store, write_recording

Record = Callable[..., Awaitable[int]]


@dataclass(frozen=True)
class Rooms:
    meeting: Meeting
    other_meeting: Meeting


@pytest.fixture
async def rooms(ctx: AppContext, tenants: Tenants, callers: Callers) -> Rooms:
    manifests.install(ctx, [DOMAIN])  # the jobs the transcripts domain schedules
    user = tenants.user
    async with ctx.transaction() as db:
        meeting = await make_meeting(db, tenants.home, user("recruiter"), transcription_enabled=True)
        await make_meeting_participant(db, meeting, user("recruiter"), MeetingRole.HOST, can_record=True)
        await make_meeting_participant(db, meeting, user("candidate"), MeetingRole.CANDIDATE)
        await make_meeting_participant(db, meeting, user("employer"), MeetingRole.INTERVIEWER)
        other_meeting = await make_meeting(db, tenants.other, user("other_user"), transcription_enabled=True)
    callers.names.update(meeting=meeting.id, other_meeting=other_meeting.id)
    return Rooms(meeting=meeting, other_meeting=other_meeting)


@pytest.fixture
def record(ctx: AppContext, tmp_path: Path) -> Record:
    """`await record(meeting, [Voice(...)], container="webm")`: the recording's id, its file stored."""

    async def make(
        meeting: Meeting,
        voices: list[Voice] | None = None,
        *,
        container: str = "webm",
        raw: bytes | None = None,
        status: ProcessingStatus = ProcessingStatus.READY,
    ) -> int:
        local = tmp_path / f"recording-{datetime.now(UTC).timestamp()}.{container}"
        if raw is not None:
            local.write_bytes(raw)
        else:
            write_recording(local, voices or [], container)
        key = await store(
            ctx, local, f"companies/{meeting.company_id}/recordings/{local.stem.replace('.', '-')}"
        )
        started = datetime.now(UTC) - timedelta(minutes=5)
        async with ctx.transaction() as db:
            recording = MeetingRecording(
                meeting_id=meeting.id,
                company_id=meeting.company_id,
                status=status,
                file_path=key,
                file_size=local.stat().st_size,
                mime_type=CODECS[container][2],
                duration_seconds=6,
                started_at=started,
                ended_at=started + timedelta(seconds=6),
            )
            db.add(recording)
            await db.flush()
            return recording.id

    return make
