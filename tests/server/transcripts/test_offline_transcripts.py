"""The job `transcripts.transcribe` on the offline engine: real speech in a real recording file.

pocketsphinx is approximate, so the tests assert on the robust words of each sentence, the
speakers, the times and the order, never on the exact text.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, update

from models import Meeting, MeetingSummary, MeetingTranscript
from models.enums import ProcessingStatus
from server.context import AppContext
from server.domains import manifests
from server.domains.transcripts.manifest import DOMAIN
from server.domains.transcripts.transcribe import RecordingNotReady, transcribe
from server.jobs.inprocess import InProcessQueue
from tests.server.tenants import Tenants
from tests.server.transcripts.conftest import Record, Rooms
from tests.server.transcripts.media import CALL, REPORT, Voice

ALICE = Voice(REPORT, 0.5, "Alice Tanaka")
BOB = Voice(CALL, 3.0, "Bob Sato")


async def transcripts_of(ctx: AppContext, recording_id: int) -> list[MeetingTranscript]:
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(MeetingTranscript).where(MeetingTranscript.recording_id == recording_id)
        )
        return list(rows)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "TRANSCRIPTION_ENGINE",
        "TRANSCRIPTION_API_URL",
        "TRANSCRIPTION_LANGUAGE",
        "SUMMARY_API_URL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("container", ["webm", "mp4"])
async def test_each_participants_track_becomes_their_timed_segments(
    ctx: AppContext, rooms: Rooms, record: Record, tenants: Tenants, container: str
) -> None:
    alice = Voice(REPORT, 0.5, "Alice Tanaka", user_id=tenants.user("recruiter").id)
    recording_id = await record(rooms.meeting, [alice, BOB], container=container)

    await transcribe(ctx, recording_id=recording_id)

    [transcript] = await transcripts_of(ctx, recording_id)
    assert transcript.status is ProcessingStatus.READY
    assert (transcript.meeting_id, transcript.company_id) == (rooms.meeting.id, rooms.meeting.company_id)
    assert transcript.language == "en"
    segments = transcript.segments
    assert [s["start"] for s in segments] == sorted(s["start"] for s in segments)
    assert all(s["start"] < s["end"] for s in segments)
    said = {
        who: " ".join(s["text"] for s in segments if s["speaker"] == who)
        for who in ("Alice Tanaka", "Bob Sato")
    }
    assert {"we", "will", "monday"} <= set(said["Alice Tanaka"].split()), said
    assert "report" in said["Alice Tanaka"], said  # "report" or "reports", depending on the codec
    assert {"please", "tomorrow", "morning"} <= set(said["Bob Sato"].split()), said
    assert {s["speaker"] for s in segments} == {"Alice Tanaka", "Bob Sato"}
    # MP4 keeps a track's name and language but no other tag: only WebM carries the user id.
    expected_user = alice.user_id if container == "webm" else None
    assert {s["user_id"] for s in segments if s["speaker"] == "Alice Tanaka"} == {expected_user}
    assert {s["user_id"] for s in segments if s["speaker"] == "Bob Sato"} == {None}
    # Each voice is placed where it was recorded, not at the start of its own track.
    first = {who: min(s["start"] for s in segments if s["speaker"] == who) for who in said}
    assert 0.4 <= first["Alice Tanaka"] <= 1.0, first
    assert 2.9 <= first["Bob Sato"] <= 3.5, first
    assert transcript.content is not None
    assert transcript.content.splitlines()[0].startswith("Alice Tanaka: ")


async def test_a_track_that_names_nobody_has_no_speaker(
    ctx: AppContext, rooms: Rooms, record: Record
) -> None:
    recording_id = await record(rooms.meeting, [Voice(CALL, 0.0, title=None, language=None)], container="mp4")

    await transcribe(ctx, recording_id=recording_id)

    [transcript] = await transcripts_of(ctx, recording_id)
    assert transcript.status is ProcessingStatus.READY
    assert transcript.segments and {s["speaker"] for s in transcript.segments} == {None}
    assert "tomorrow" in (transcript.content or "").split()


async def test_a_mixed_track_is_skipped_beside_the_participants_tracks(
    ctx: AppContext, rooms: Rooms, record: Record
) -> None:
    recording_id = await record(rooms.meeting, [Voice(REPORT, 0.0, "mixed"), Voice(CALL, 0.0, "Bob Sato")])

    await transcribe(ctx, recording_id=recording_id)

    [transcript] = await transcripts_of(ctx, recording_id)
    assert {s["speaker"] for s in transcript.segments} == {"Bob Sato"}
    assert "monday" not in (transcript.content or "")


async def test_running_twice_keeps_one_transcript_and_one_summary(
    ctx: AppContext, rooms: Rooms, record: Record
) -> None:
    async with ctx.transaction() as db:
        await db.execute(update(Meeting).where(Meeting.id == rooms.meeting.id).values(auto_summary=True))
    recording_id = await record(rooms.meeting, [ALICE, BOB])
    await ctx.jobs.stop()
    ctx.jobs = queue = InProcessQueue()
    manifests.install(ctx, [DOMAIN])
    await queue.start(ctx)

    for _ in range(2):
        await queue.enqueue("transcripts.transcribe", recording_id=recording_id)
        await asyncio.sleep(0)
        await asyncio.wait_for(queue.settle(), 120)

    [transcript] = await transcripts_of(ctx, recording_id)
    assert transcript.status is ProcessingStatus.READY
    async with ctx.sessionmaker() as db:
        summaries = list(await db.scalars(select(MeetingSummary)))
    assert [(s.transcript_id, s.status, s.created_by) for s in summaries] == [
        (transcript.id, ProcessingStatus.READY, None)
    ]
    [summary] = summaries
    assert (summary.summary or "").splitlines()[-1].startswith("Talk time: Alice Tanaka ")
    assert any("monday" in item["text"] for item in summary.action_items), summary.action_items


async def test_a_meeting_without_transcription_gets_no_transcript(
    ctx: AppContext, rooms: Rooms, record: Record
) -> None:
    async with ctx.transaction() as db:
        await db.execute(
            update(Meeting).where(Meeting.id == rooms.meeting.id).values(transcription_enabled=False)
        )
    recording_id = await record(rooms.meeting, [ALICE])

    await transcribe(ctx, recording_id=recording_id)

    assert await transcripts_of(ctx, recording_id) == []


async def test_a_file_that_does_not_decode_fails_the_transcript_for_good(
    ctx: AppContext, rooms: Rooms, record: Record
) -> None:
    recording_id = await record(rooms.meeting, raw=b"\x1aE\xdf\xa3 not really a webm file")

    await transcribe(ctx, recording_id=recording_id)

    [transcript] = await transcripts_of(ctx, recording_id)
    assert (transcript.status, transcript.segments) == (ProcessingStatus.FAILED, None)


async def test_japanese_needs_the_remote_engine(ctx: AppContext, rooms: Rooms, record: Record) -> None:
    recording_id = await record(rooms.meeting, [Voice(REPORT, 0.0, "田中", language="jpn")])

    await transcribe(ctx, recording_id=recording_id)

    [transcript] = await transcripts_of(ctx, recording_id)
    assert transcript.status is ProcessingStatus.FAILED


async def test_a_recording_still_being_written_is_retried_later(
    ctx: AppContext, rooms: Rooms, record: Record
) -> None:
    recording_id = await record(rooms.meeting, [ALICE], status=ProcessingStatus.PROCESSING)

    with pytest.raises(RecordingNotReady):
        await transcribe(ctx, recording_id=recording_id)

    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(MeetingTranscript)) == 0


async def test_a_missing_recording_is_nothing_to_do(ctx: AppContext, rooms: Rooms) -> None:
    await transcribe(ctx, recording_id=2_000_000_000)


def test_the_manifest_declares_the_jobs_the_recorder_schedules() -> None:
    assert {job.name for job in DOMAIN.jobs} == {"transcripts.transcribe", "summaries.summarize"}
