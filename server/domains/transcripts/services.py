"""Transcripts and summaries over REST: read them, export a transcript, ask for one again.

Reads go through `access` (whoever sees the meeting); the rows themselves are written by the
jobs (`transcribe`, `summarize`), which a request only schedules after its commit.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingRecording, MeetingSummary, MeetingTranscript
from models.enums import ProcessingStatus
from server.auth.principal import Principal
from server.domains.meetings.policy import invalid
from server.domains.transcripts import access, summarize, transcribe, vtt
from server.domains.transcripts.schemas import (
    ActionItem,
    SummaryOut,
    SummaryRequest,
    TalkTime,
    TranscriptOut,
    TranscriptRequest,
    TranscriptSummary,
    segments_of,
)
from server.domains.transcripts.summary import talk_time
from server.errors import Conflict
from server.listing import paginate
from server.schemas import Page

UNFINISHED = (ProcessingStatus.PENDING, ProcessingStatus.PROCESSING, ProcessingStatus.FAILED)


def transcript_summary(row: MeetingTranscript) -> TranscriptSummary:
    return TranscriptSummary(
        id=row.id,
        meeting_id=row.meeting_id,
        recording_id=row.recording_id,
        company_id=row.company_id,
        language=row.language,
        status=row.status,
        segment_count=len(row.segments or []),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def transcript_out(row: MeetingTranscript) -> TranscriptOut:
    head = msgspec.structs.asdict(transcript_summary(row))
    return TranscriptOut(**head, content=row.content, segments=segments_of(row.segments))


def summary_out(row: MeetingSummary, shares: list[TalkTime]) -> SummaryOut:
    items = msgspec.convert(row.action_items or [], list[ActionItem], strict=False)
    return SummaryOut(
        id=row.id,
        meeting_id=row.meeting_id,
        transcript_id=row.transcript_id,
        company_id=row.company_id,
        status=row.status,
        summary=row.summary,
        key_points=[str(point) for point in row.key_points or []],
        action_items=items,
        talk_time=shares,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class TranscriptsService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def of_meeting(self, meeting_id: int, *, limit: int, offset: int) -> Page[TranscriptSummary]:
        await access.load_meeting(self.db, self.principal, meeting_id)
        statement = (
            select(MeetingTranscript)
            .where(MeetingTranscript.meeting_id == meeting_id, MeetingTranscript.is_deleted.is_(False))
            .order_by(MeetingTranscript.id)
        )
        rows, total = await paginate(self.db, statement, limit, offset)
        return Page(items=[transcript_summary(row) for row in rows], total=total)

    async def get(self, transcript_id: int) -> TranscriptOut:
        return transcript_out(await access.load(self.db, self.principal, MeetingTranscript, transcript_id))

    async def webvtt(self, transcript_id: int) -> str:
        row = await access.load(self.db, self.principal, MeetingTranscript, transcript_id)
        return vtt.render(segments_of(row.segments))

    async def request(self, meeting_id: int, data: TranscriptRequest) -> TranscriptOut:
        """Transcribe one of the meeting's recordings (again): the transcript is pending until the job ran."""
        meeting = await access.managed_meeting(self.db, self.principal, meeting_id)
        recording = await self.db.scalar(
            select(MeetingRecording).where(
                MeetingRecording.id == data.recording_id,
                MeetingRecording.meeting_id == meeting.id,
                MeetingRecording.is_deleted.is_(False),
            )
        )
        if recording is None:
            raise invalid("recording_id", "no recording of this meeting")
        if recording.status in UNFINISHED or not recording.file_path:
            raise Conflict(f"Recording {recording.id} is {recording.status}.", code="recording_not_ready")
        transcript = await transcribe.transcript_of(self.db, recording.id)
        if transcript is None:
            transcript = MeetingTranscript(
                meeting_id=meeting.id, recording_id=recording.id, company_id=meeting.company_id
            )
            self.db.add(transcript)
        transcribe.request(self.db, transcript)
        await self.db.flush()
        await self.db.refresh(transcript)
        return transcript_out(transcript)


class SummariesService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def _shares(self, transcript_ids: list[int | None]) -> dict[int, list[TalkTime]]:
        wanted = [i for i in transcript_ids if i is not None]
        if not wanted:
            return {}
        rows = await self.db.execute(
            select(MeetingTranscript.id, MeetingTranscript.segments).where(MeetingTranscript.id.in_(wanted))
        )
        return {tid: talk_time(segments_of(raw)) for tid, raw in rows.tuples()}

    async def _out(self, rows: list[MeetingSummary]) -> list[SummaryOut]:
        shares = await self._shares([row.transcript_id for row in rows])
        return [summary_out(row, shares.get(row.transcript_id or 0, [])) for row in rows]

    async def of_meeting(self, meeting_id: int, *, limit: int, offset: int) -> Page[SummaryOut]:
        await access.load_meeting(self.db, self.principal, meeting_id)
        statement = (
            select(MeetingSummary)
            .where(MeetingSummary.meeting_id == meeting_id, MeetingSummary.is_deleted.is_(False))
            .order_by(MeetingSummary.id)
        )
        rows, total = await paginate(self.db, statement, limit, offset)
        return Page(items=await self._out(rows), total=total)

    async def get(self, summary_id: int) -> SummaryOut:
        row = await access.load(self.db, self.principal, MeetingSummary, summary_id)
        return (await self._out([row]))[0]

    async def request(self, meeting_id: int, data: SummaryRequest) -> SummaryOut:
        """Summarize one of the meeting's ready transcripts (again), whatever `auto_summary` says."""
        meeting = await access.managed_meeting(self.db, self.principal, meeting_id)
        transcript = await self.db.scalar(
            select(MeetingTranscript).where(
                MeetingTranscript.id == data.transcript_id,
                MeetingTranscript.meeting_id == meeting.id,
                MeetingTranscript.is_deleted.is_(False),
            )
        )
        if transcript is None:
            raise invalid("transcript_id", "no transcript of this meeting")
        if transcript.status is not ProcessingStatus.READY:
            raise Conflict(f"Transcript {transcript.id} is {transcript.status}.", code="transcript_not_ready")
        summary = await summarize.request(self.db, transcript, self.principal.user_id)
        await self.db.refresh(summary)
        return (await self._out([summary]))[0]
