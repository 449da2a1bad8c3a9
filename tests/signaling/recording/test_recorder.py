"""The recorder peer on the embedded default: real aiortc peers send video and a spoken
sentence, the server records them into one WebM file that plays back."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog
from server.context import AppContext
from server.domains.meetings.live.recorder import RECORDER_ID
from server.domains.recordings.rows import RECORDED
from tests.realtime.fixtures import Office
from tests.realtime.harness import LiveServer
from tests.signaling.recording.conftest import (
    MediaPeerFactory,
    fetch,
    recorded_meeting,
    recording_row,
    start_recording,
    wait_final,
)
from tests.signaling.recording.media import loudness, probe_file

RECORD_SECONDS = 3.0


async def test_a_consented_meeting_is_recorded_into_one_playable_file(
    media_peer: MediaPeerFactory,
    live: LiveServer,
    office: Office,
    session: AsyncSession,
    ctx: AppContext,
    tmp_path: Path,
) -> None:
    meeting = await recorded_meeting(session, office)
    host, alice = await media_peer(office.admin.token), await media_peer(office.alice.token, shade=160)
    recording_id, started = await start_recording(host, [alice], meeting.room_id)
    await asyncio.sleep(RECORD_SECONDS)
    assert (await host.client.call("recording:stop", {}))["ok"] is True
    recorded = time.monotonic() - started
    final = await wait_final(alice.client, recording_id)
    assert final["file_status"] == "ready"
    row = await recording_row(ctx, recording_id)
    assert (row.mime_type, row.started_by) == ("video/webm", office.admin.id)
    path = await fetch(live.url, recording_id, office.admin.token, tmp_path)
    duration, kinds, frames = probe_file(path)
    assert kinds == {"audio", "video"}
    assert abs(duration - recorded) < 0.5, (duration, recorded)
    assert row.duration_seconds == round(duration) and row.file_size == path.stat().st_size
    assert frames >= 3  # frames are skipped, never delayed, on a loaded machine
    assert loudness(path) > 0.01, "the spoken sentence is in the mix"
    async with ctx.sessionmaker() as db:
        notes = list(await db.scalars(select(AuditLog).where(AuditLog.action == RECORDED)))
    assert {note.metadata_["user_id"] for note in notes} == {office.admin.id, office.alice.id}
    left = await host.client.wait_until("participant:left", lambda p: p["participant_id"] == RECORDER_ID)
    assert left["reason"] == "left"
