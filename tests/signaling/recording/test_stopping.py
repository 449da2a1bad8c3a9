"""A recording stops at once for everyone when one participant withdraws consent, and when the
room ends; the recorder leaves and what it wrote is stored."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting
from models.enums import ProcessingStatus, RecordingStatus
from server.context import AppContext
from server.domains.meetings.live.recorder import RECORDER_ID
from tests.realtime.fixtures import Office
from tests.realtime.harness import LiveServer
from tests.signaling.recording.conftest import (
    MediaPeerFactory,
    await_status,
    fetch,
    recorded_meeting,
    recording_row,
    start_recording,
    wait_final,
)
from tests.signaling.recording.media import probe_file


async def test_a_withdrawn_consent_stops_the_recording_for_everyone_at_once(
    media_peer: MediaPeerFactory,
    live: LiveServer,
    office: Office,
    session: AsyncSession,
    ctx: AppContext,
    tmp_path: Path,
) -> None:
    meeting = await recorded_meeting(session, office)
    host, alice = await media_peer(office.admin.token), await media_peer(office.alice.token)
    recording_id, _ = await start_recording(host, [alice], meeting.room_id)
    await asyncio.sleep(1.5)
    assert (await alice.client.call("recording:consent", {"granted": False}))["ok"] is True
    for person in (host, alice):
        stopped = await person.client.wait_until(
            "recording:state", lambda s: s["status"] == "stopped", timeout=2
        )
        assert (stopped["refused_by"], stopped["recording_id"]) == (alice.me, recording_id)
    await host.client.wait_until("participant:left", lambda p: p["participant_id"] == RECORDER_ID, timeout=3)
    assert (await wait_final(host.client, recording_id))["file_status"] == "ready"
    row = await recording_row(ctx, recording_id)
    assert row.status is ProcessingStatus.READY
    duration, kinds, _ = probe_file(await fetch(live.url, recording_id, office.admin.token, tmp_path))
    assert kinds == {"audio", "video"} and 1.0 < duration < 2.5
    # Consent can be asked again: a new recording, with a new row.
    assert (await host.client.call("recording:request", {}))["ok"] is True


async def test_ending_the_room_stops_its_recording(
    media_peer: MediaPeerFactory, office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    meeting = await recorded_meeting(session, office, transcription_enabled=True)
    host, alice = await media_peer(office.admin.token), await media_peer(office.alice.token)
    recording_id, _ = await start_recording(host, [alice], meeting.room_id)
    await asyncio.sleep(1.0)
    assert (await host.client.call("room:end", {}))["ok"] is True
    await alice.client.wait_for("room:ended")
    row = await await_status(ctx, recording_id, ProcessingStatus.READY, 20)
    assert row.file_path and row.duration_seconds is not None
    async with ctx.sessionmaker() as db:
        assert (await db.get_one(Meeting, meeting.id)).recording_status is RecordingStatus.STOPPED
