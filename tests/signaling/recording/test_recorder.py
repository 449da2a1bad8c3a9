"""The recorder peer on the embedded default: real aiortc peers send video and a spoken
sentence each, the server records them into one WebM file that plays back, with the mixed
audio and a track per participant named after them, and its transcript names who spoke."""

from __future__ import annotations

import asyncio
import hashlib
import time
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, AuditLog, MeetingTranscript
from models.enums import ProcessingStatus
from server.context import AppContext
from server.domains.meetings.live.recorder import RECORDER_ID
from server.domains.recordings.rows import RECORDED
from tests.realtime.fixtures import Office
from tests.realtime.harness import LiveServer
from tests.server.transcripts.media import CALL, REPORT
from tests.signaling.recording.conftest import (
    MediaPeerFactory,
    fetch,
    recorded_meeting,
    recording_row,
    start_recording,
    wait_final,
)
from tests.signaling.recording.media import audio_tags, loudness, padded, probe_file

RECORD_SECONDS = 5.0


async def test_a_consented_meeting_is_recorded_into_one_playable_file(
    media_peer: MediaPeerFactory,
    live: LiveServer,
    office: Office,
    session: AsyncSession,
    ctx: AppContext,
    tmp_path: Path,
) -> None:
    meeting = await recorded_meeting(session, office, transcription_enabled=True)
    # Each says their own sentence (the committed fixtures), with a pause between repeats.
    host = await media_peer(office.admin.token, wav=padded(CALL, tmp_path))  # please call me tomorrow morning
    alice = await media_peer(office.alice.token, shade=160, wav=padded(REPORT, tmp_path))
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
    assert loudness(path) > 0.01, "the spoken sentences are in the mix"
    mixed, *voices = audio_tags(path)
    assert (mixed.get("title"), mixed.get("mixed")) == ("mixed", "1")
    names = {host.you["display_name"]: office.admin.id, alice.you["display_name"]: office.alice.id}
    assert len(names) == 2, names
    assert {v["title"]: int(v["user_id"]) for v in voices} == names
    assert all(loudness(path, index) > 0.01 for index in (1, 2)), "each voice in its own track"
    async with ctx.sessionmaker() as db:
        notes = list(await db.scalars(select(AuditLog).where(AuditLog.action == RECORDED)))
        [file_row] = await db.scalars(select(Attachment).where(Attachment.entity_type == "meeting_recording"))
    assert {note.metadata_["user_id"] for note in notes} == {office.admin.id, office.alice.id}
    # The stored file is also the recording's attachment, read through the files API by the recorded.
    assert (file_row.entity_id, file_row.file_path, file_row.file_size, file_row.uploaded_by) == (
        recording_id,
        row.file_path,
        row.file_size,
        office.admin.id,
    )
    # Generous: the transcript job may be running in this same process (the embedded default).
    async with httpx.AsyncClient(base_url=live.url, timeout=60) as http:
        through_files = await http.get(
            f"/api/attachments/{file_row.id}/download",
            headers={"Authorization": f"Bearer {office.alice.token}"},
        )
    assert (through_files.status_code, through_files.content) == (200, path.read_bytes())
    assert file_row.file_hash == hashlib.sha256(through_files.content).hexdigest()
    left = await host.client.wait_until("participant:left", lambda p: p["participant_id"] == RECORDER_ID)
    assert left["reason"] == "left"
    transcript = await _transcript(ctx, recording_id)
    said: dict[str, set[str]] = {}
    for segment in transcript.segments:
        said.setdefault(segment["speaker"], set()).update(segment["text"].split())
    assert set(said) <= set(names) and said, said  # every segment has its speaker, never "mixed"
    # pocketsphinx over WebRTC is approximate: a robust word of each one's sentence, under their name
    assert said.get(alice.you["display_name"], set()) & {"report", "reports", "monday", "send"}, said
    assert said.get(host.you["display_name"], set()) & {"call", "tomorrow", "morning", "please"}, said


async def _transcript(ctx: AppContext, recording_id: int, timeout: float = 60) -> MeetingTranscript:
    """The recording's transcript once ready (the job runs in the server, on the offline engine)."""
    async with asyncio.timeout(timeout):
        while True:
            async with ctx.sessionmaker() as db:
                found = await db.scalar(
                    select(MeetingTranscript).where(MeetingTranscript.recording_id == recording_id)
                )
            if found is not None and found.status in (ProcessingStatus.READY, ProcessingStatus.FAILED):
                assert found.status is ProcessingStatus.READY
                return found
            await asyncio.sleep(0.3)
