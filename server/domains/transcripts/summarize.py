"""The job `summaries.summarize(transcript_id)`: a ready transcript into its one summary row.

Scheduled when a transcript becomes ready and its meeting has `auto_summary`, or when a
manager asks (`request`). One summary per transcript: the row is created `pending` with the
request, the job moves it to processing, then ready or failed; a second run of a ready summary
changes nothing. As with transcripts, no transaction stays open while an engine writes.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingSummary, MeetingTranscript
from models.enums import ProcessingStatus
from server import audit, effects
from server.domains.transcripts import remote
from server.domains.transcripts.config import EngineMisconfigured, Engines
from server.domains.transcripts.schemas import segments_of
from server.domains.transcripts.summary import Draft
from server.jobs import Job

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

SUMMARIZE = "summaries.summarize"
HOPELESS = (remote.RemoteRefused, EngineMisconfigured)


async def summary_of(db: AsyncSession, transcript_id: int) -> MeetingSummary | None:
    summary: MeetingSummary | None = await db.scalar(
        select(MeetingSummary)
        .where(MeetingSummary.transcript_id == transcript_id, MeetingSummary.is_deleted.is_(False))
        .order_by(MeetingSummary.id)
        .limit(1)
    )
    return summary


async def request(db: AsyncSession, transcript: MeetingTranscript, created_by: int | None) -> MeetingSummary:
    """The transcript's summary, pending, with the job scheduled after the commit."""
    summary = await summary_of(db, transcript.id)
    if summary is None:
        summary = MeetingSummary(
            meeting_id=transcript.meeting_id, transcript_id=transcript.id, company_id=transcript.company_id
        )
        db.add(summary)
    summary.status = ProcessingStatus.PENDING
    if created_by is not None or summary.created_by is None:
        summary.created_by = created_by
    await db.flush()
    effects.schedule(db, SUMMARIZE, transcript_id=transcript.id)
    return summary


async def request_if_missing(db: AsyncSession, transcript: MeetingTranscript, *, again: bool = False) -> None:
    """For `auto_summary`: ask for a summary when the transcript has none (or, `again`, is new)."""
    summary = await summary_of(db, transcript.id)
    if summary is None or (again and summary.status is not ProcessingStatus.PENDING):
        await request(db, transcript, None)


def _actor(db: AsyncSession) -> None:
    audit.set_actor(db, audit.AuditActor(user_agent=f"miraiworks job {SUMMARIZE}"))


async def summarize(ctx: AppContext, *, transcript_id: int) -> None:
    async with ctx.transaction() as db:
        _actor(db)
        transcript = await db.get(MeetingTranscript, transcript_id, with_for_update=True)
        if transcript is None or transcript.is_deleted or transcript.status is not ProcessingStatus.READY:
            return
        summary = await summary_of(db, transcript_id)
        if summary is not None and summary.status is ProcessingStatus.READY:
            return
        if summary is None:
            summary = MeetingSummary(
                meeting_id=transcript.meeting_id,
                transcript_id=transcript.id,
                company_id=transcript.company_id,
            )
            db.add(summary)
        summary.status = ProcessingStatus.PROCESSING
        await db.flush()
        summary_id = summary.id
        segments, language = segments_of(transcript.segments), transcript.language
    try:
        draft = await Engines.from_env().summary_engine().summarize(segments, language)
    except HOPELESS as exc:
        log.warning("transcript %s cannot be summarized: %s", transcript_id, exc)
        await _finish(ctx, summary_id, None)
        return
    except BaseException:
        with contextlib.suppress(Exception):
            await _finish(ctx, summary_id, None)
        raise
    await _finish(ctx, summary_id, draft)


async def _finish(ctx: AppContext, summary_id: int, draft: Draft | None) -> None:
    async with ctx.transaction() as db:
        _actor(db)
        summary = await db.get(MeetingSummary, summary_id, with_for_update=True)
        if summary is None or summary.is_deleted or summary.status is ProcessingStatus.READY:
            return
        if draft is None:
            summary.status = ProcessingStatus.FAILED
            return
        summary.summary = draft.summary
        summary.key_points = list(draft.key_points)
        summary.action_items = msgspec.to_builtins(draft.action_items)
        summary.status = ProcessingStatus.READY


SUMMARIZE_JOB = Job(
    SUMMARIZE, summarize, retries=4, timeout_seconds=600, retry_delay_seconds=30, max_retry_delay_seconds=900
)
