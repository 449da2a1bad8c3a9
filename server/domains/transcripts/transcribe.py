"""The job `transcripts.transcribe(recording_id)`: a recording's speech into one transcript row.

The recorder schedules it once a recording is finalized and its meeting has
`transcription_enabled`; a manager may ask again (`request`). One transcript per recording: a
second run finds the row and, once it is `ready`, leaves it alone, so a job run twice (retried
after a crash that followed its commit) keeps one transcript. Its status goes pending ->
processing -> ready, or failed. Three short transactions, none held open while audio is decoded
or an engine listens: claim the row, hear the tracks, write the result.

Failures that a retry cannot mend (undecodable media, a language the engine cannot hear, a
request the remote server refuses) mark the transcript failed and end the job; others (storage
or network trouble) mark it failed too and raise, so the queue retries, and a retry that
succeeds makes it ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingRecording, MeetingTranscript
from models.enums import ProcessingStatus
from server import audit, effects
from server.domains.transcripts import audio, remote, summarize
from server.domains.transcripts.audio import UnreadableMedia
from server.domains.transcripts.config import EngineMisconfigured, Engines
from server.domains.transcripts.schemas import Segment
from server.domains.transcripts.speech import Heard, Track, UnsupportedLanguage
from server.jobs import Job
from server.storage import MissingObject

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

TRANSCRIBE = "transcripts.transcribe"
HOPELESS = (UnreadableMedia, UnsupportedLanguage, remote.RemoteRefused, EngineMisconfigured, MissingObject)
UNFINISHED = (ProcessingStatus.PENDING, ProcessingStatus.PROCESSING)
SHORTEST_SEGMENT = 0.01


class RecordingNotReady(RuntimeError):
    """The recording is still being written: the queue retries the job later."""


@dataclass(frozen=True, slots=True)
class _Claim:
    transcript_id: int
    file_path: str


def request(db: AsyncSession, transcript: MeetingTranscript) -> None:
    """Make the transcript again (a manager's request): pending now, the job after the commit."""
    transcript.status = ProcessingStatus.PENDING
    if transcript.recording_id is not None:
        effects.schedule(db, TRANSCRIBE, recording_id=transcript.recording_id)


async def transcribe(ctx: AppContext, *, recording_id: int) -> None:
    claim = await _claim(ctx, recording_id)
    if claim is None:
        return
    try:
        segments, language = await _hear(ctx, claim.file_path)
    except HOPELESS as exc:
        log.warning("recording %s cannot be transcribed: %s", recording_id, exc)
        await _fail(ctx, claim.transcript_id)
        return
    except BaseException:
        with contextlib.suppress(Exception):
            await _fail(ctx, claim.transcript_id)
        raise
    await _complete(ctx, claim.transcript_id, segments, language)


def _actor(db: AsyncSession) -> None:
    audit.set_actor(db, audit.AuditActor(user_agent=f"miraiworks job {TRANSCRIBE}"))


async def transcript_of(db: AsyncSession, recording_id: int) -> MeetingTranscript | None:
    transcript: MeetingTranscript | None = await db.scalar(
        select(MeetingTranscript)
        .where(MeetingTranscript.recording_id == recording_id, MeetingTranscript.is_deleted.is_(False))
        .order_by(MeetingTranscript.id)
        .limit(1)
    )
    return transcript


async def _claim(ctx: AppContext, recording_id: int) -> _Claim | None:
    """The transcript row to fill, now `processing`; None when there is nothing to do."""
    async with ctx.transaction() as db:
        _actor(db)
        # The recording's row lock makes two concurrent runs find (or create) the same transcript.
        recording = await db.scalar(
            select(MeetingRecording).where(MeetingRecording.id == recording_id).with_for_update()
        )
        if recording is None or recording.is_deleted or recording.status is ProcessingStatus.FAILED:
            return None
        if recording.status in UNFINISHED or not recording.file_path:
            raise RecordingNotReady(f"recording {recording_id} is {recording.status}")
        meeting = await db.get(Meeting, recording.meeting_id)
        transcript = await transcript_of(db, recording_id)
        if meeting is None or (transcript is None and not meeting.transcription_enabled):
            return None
        if transcript is not None and transcript.status is ProcessingStatus.READY:
            if meeting.auto_summary:
                await summarize.request_if_missing(db, transcript)
            return None
        if transcript is None:
            transcript = MeetingTranscript(
                meeting_id=meeting.id, recording_id=recording.id, company_id=meeting.company_id
            )
            db.add(transcript)
        transcript.status = ProcessingStatus.PROCESSING
        await db.flush()
        return _Claim(transcript.id, recording.file_path)


async def _hear(ctx: AppContext, file_path: str) -> tuple[list[Segment], str | None]:
    """Every voice track's segments, in recording order, and the language mostly heard."""
    engines = Engines.from_env()
    engine = engines.speech_engine()
    with tempfile.TemporaryDirectory(prefix="miraiworks-transcribe-") as folder:
        local = Path(folder) / "recording"
        stored = await ctx.storage.open(file_path)
        async with await anyio.open_file(local, "wb") as out:
            async for chunk in stored.chunks:
                await out.write(chunk)
        segments: list[tuple[float, float, int, Segment]] = []
        languages: dict[str, float] = {}
        for voice in await asyncio.to_thread(audio.voices, local):
            track = await asyncio.to_thread(audio.decode, local, voice)
            if not track.pcm:
                continue
            track = dataclasses.replace(track, language=track.language or engines.default_language)
            heard = await engine.transcribe(track)
            if heard.language:
                spoken = sum(s.end - s.start for s in heard.spoken) or SHORTEST_SEGMENT
                languages[heard.language] = languages.get(heard.language, 0.0) + spoken
            segments += [(seg.start, seg.end, track.index, seg) for seg in _segments(track, heard)]
    segments.sort(key=lambda entry: entry[:3])
    language = max(languages, key=languages.__getitem__) if languages else engines.default_language
    return [entry[3] for entry in segments], language


def _segments(track: Track, heard: Heard) -> list[Segment]:
    found = []
    for spoken in heard.spoken:
        start = round(track.offset + spoken.start, 3)
        end = round(max(track.offset + spoken.end, start + SHORTEST_SEGMENT), 3)
        found.append(
            Segment(start=start, end=end, speaker=track.speaker, user_id=track.user_id, text=spoken.text)
        )
    return found


def content_of(segments: list[Segment]) -> str:
    """The plain text: one line per segment, led by its speaker when known."""
    return "\n".join(f"{s.speaker}: {s.text}" if s.speaker else s.text for s in segments)


async def _complete(
    ctx: AppContext, transcript_id: int, segments: list[Segment], language: str | None
) -> None:
    async with ctx.transaction() as db:
        _actor(db)
        transcript = await db.get(MeetingTranscript, transcript_id, with_for_update=True)
        if transcript is None or transcript.is_deleted:
            return
        transcript.segments = msgspec.to_builtins(segments)
        transcript.content = content_of(segments)
        if language:
            transcript.language = language[:10]
        transcript.status = ProcessingStatus.READY
        meeting = await db.get(Meeting, transcript.meeting_id)
        if meeting is not None and meeting.auto_summary:
            await db.flush()
            await summarize.request_if_missing(db, transcript, again=True)


async def _fail(ctx: AppContext, transcript_id: int) -> None:
    async with ctx.transaction() as db:
        _actor(db)
        transcript = await db.get(MeetingTranscript, transcript_id)
        if transcript is not None and transcript.status is not ProcessingStatus.READY:
            transcript.status = ProcessingStatus.FAILED


TRANSCRIBE_JOB = Job(
    TRANSCRIBE,
    transcribe,
    retries=4,
    timeout_seconds=4 * 3600,
    retry_delay_seconds=30,
    max_retry_delay_seconds=900,
)
