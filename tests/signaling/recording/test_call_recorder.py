"""Video calls are recorded like meetings: the same recorder peer, one WebM, stored as the
call's `video_call_recording` attachment; and one whose recorder died is stored as partial."""

from __future__ import annotations

import asyncio
import hashlib
import time
from pathlib import Path

import httpx
import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, AuditLog
from models.enums import ProcessingStatus, UploadStatus
from server.context import AppContext
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings import jobs, takes
from server.domains.recordings.rows import RECORDED, spool_path
from server.domains.recordings.takes import TakeInfo
from tests.realtime.fixtures import Office
from tests.realtime.harness import LiveServer
from tests.server.recordings.conftest import small_webm
from tests.signaling.conftest import make_call
from tests.signaling.recording.conftest import MediaPeerFactory, start_recording, wait_final
from tests.signaling.recording.media import probe_file


async def test_a_consented_video_call_is_recorded_into_the_calls_attachment(
    media_peer: MediaPeerFactory,
    live: LiveServer,
    office: Office,
    session: AsyncSession,
    ctx: AppContext,
    tmp_path: Path,
) -> None:
    call = await make_call(session, ctx, office, recording_enabled=True)
    host, alice = await media_peer(office.admin.token), await media_peer(office.alice.token, shade=160)
    recording_id, started = await start_recording(host, [alice], call.room_code)
    await asyncio.sleep(3.0)
    assert (await host.client.call("recording:stop", {}))["ok"] is True
    recorded = time.monotonic() - started
    assert (await wait_final(alice.client, recording_id))["file_status"] == "ready"

    async with ctx.sessionmaker() as db:
        row = await db.get_one(Attachment, recording_id)
        notes = list(await db.scalars(select(AuditLog).where(AuditLog.action == RECORDED)))
    info = msgspec.json.decode(row.description or "", type=TakeInfo)
    assert (row.entity_type, row.entity_id, row.mime_type, row.upload_status, row.uploaded_by) == (
        "video_call_recording",
        call.id,
        "video/webm",
        UploadStatus.COMPLETED,
        office.admin.id,
    )
    assert info.status is ProcessingStatus.READY and info.started_at and info.ended_at
    assert {(n.entity_type, n.entity_id, n.metadata_["user_id"]) for n in notes} == {
        ("attachments", recording_id, office.admin.id),
        ("attachments", recording_id, office.alice.id),
    }

    base = f"/api/video-calls/{call.id}/recordings/{recording_id}"
    async with httpx.AsyncClient(base_url=live.url) as http:
        headers = {"Authorization": f"Bearer {office.alice.token}"}  # recorded, not a host
        whole = await http.get(f"{base}/download", headers=headers)
        part = await http.get(f"{base}/download", headers={**headers, "Range": "bytes=0-99"})
        stranger = await http.get(base, headers={"Authorization": f"Bearer {office.bob.token}"})
    assert whole.status_code == 200, whole.text
    assert (part.status_code, part.content) == (206, whole.content[:100])
    assert part.headers["content-range"] == f"bytes 0-99/{len(whole.content)}"
    assert (stranger.status_code, stranger.json()["code"]) == (404, "recording_not_found")
    assert (row.file_size, row.file_hash) == (len(whole.content), hashlib.sha256(whole.content).hexdigest())
    path = tmp_path / "call.webm"
    path.write_bytes(whole.content)
    duration, kinds, _ = probe_file(path)
    assert kinds == {"audio", "video"}
    assert abs(duration - recorded) < 0.6, (duration, recorded)
    assert info.duration_seconds == round(duration)


async def test_a_calls_recording_left_by_a_dead_recorder_is_stored_as_partial(
    office: Office, session: AsyncSession, ctx: AppContext
) -> None:
    call = await make_call(session, ctx, office, recording_enabled=True)
    async with ctx.transaction() as db:
        ref = await takes.create(db, RoomKind.CALL, call.id, call.company_id, office.admin.id)
        take = await takes.load(db, ref)
        assert take is not None
        take.update(ProcessingStatus.PROCESSING, started_at=take.row.created_at)
    spooled = spool_path(ctx.storage, ref)
    spooled.parent.mkdir(parents=True, exist_ok=True)
    await asyncio.to_thread(small_webm, spooled, 2.0)  # what the recorder had written when it died
    async with ctx.sessionmaker() as db:
        assert ref in await takes.unfinished(db)  # what the sweeper finalizes after a crash
    await jobs.finalize(ctx, ref.name)
    async with ctx.sessionmaker() as db:
        row = await db.get_one(Attachment, ref.id)
        assert ref not in await takes.unfinished(db)
    info = msgspec.json.decode(row.description or "", type=TakeInfo)
    assert (row.upload_status, info.status, info.duration_seconds) == (
        UploadStatus.COMPLETED,
        ProcessingStatus.PARTIAL,
        2,
    )
    assert row.file_path and await ctx.storage.exists(row.file_path)
    assert not spooled.exists()
