"""Writing interviews into their people's connected calendars, and taking them out again.

An interview scheduled, moved or cancelled (or handed to another recruiter) publishes
`InterviewChanged`; `interview_changed` queues `calendars.push` for it, which makes every connected
calendar agree with the interview as it is when the job runs: one event in each active, unpaused
connection of its people (`notices.people_of`: candidate, recruiter, everyone seated on its
meeting) while it is scheduled, confirmed, under way or held, and none once it is cancelled,
deleted or someone left it. Each event carries the join link (the interview's `meeting_url`, or
its MiraiWorks room) and no attendees: every participant's own calendar gets its own copy.

Never a duplicate: the provider's id of the event pushed through a connection is kept in
`user_settings` (`calendar.<connection_id>.event.<interview_id>`, see `store`), so a later change
updates that event; creating it uses a deterministic marker (Google: our event id; Graph:
`transactionId`), so a retried or concurrent create gives the same event. Each connection is
written under its row lock, in a transaction of its own, so one failing calendar never blocks the
others; a 429 re-queues after Retry-After, a 5xx fails the job for the queue to retry (the row's
`sync_status` is `pending` meanwhile, `failed` for a refusal). A paused connection is left alone.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CalendarConnection, Interview
from models.enums import InterviewStatus, SyncStatus
from server import audit, effects
from server.domains.calendars import mirror, oauth, values
from server.domains.calendars.providers import (
    GrantRevoked,
    OutgoingEvent,
    RateLimited,
    Rejected,
    Unavailable,
    provider_for,
)
from server.domains.calendars.store import Store, link_key
from server.domains.interviews.events import InterviewChanged
from server.domains.interviews.notices import people_of
from server.domains.interviews.scheduling import DEFAULT_TIMEZONE
from server.domains.meetings.interview_meetings import live_meeting
from server.jobs import Job

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

IN_CALENDAR = (
    InterviewStatus.SCHEDULED,
    InterviewStatus.CONFIRMED,
    InterviewStatus.IN_PROGRESS,
    InterviewStatus.COMPLETED,
)


async def interview_changed(ctx: AppContext, event: InterviewChanged) -> None:
    """After the commit of an interview's change: queue its push (each change its own job)."""
    await ctx.jobs.enqueue(values.PUSH, interview_id=event.interview_id)


def marker(interview_id: int, connection_id: int) -> str:
    """Google event ids are 5-1024 characters of base32hex (a-v, 0-9): these are."""
    return f"mirai{interview_id}c{connection_id}"


def in_calendar(interview: Interview | None) -> bool:
    return (
        interview is not None
        and not interview.is_deleted
        and interview.status in IN_CALENDAR
        and interview.scheduled_start is not None
        and interview.scheduled_end is not None
    )


async def outgoing(
    db: AsyncSession, ctx: AppContext, interview: Interview, connection_id: int
) -> OutgoingEvent:
    assert interview.scheduled_start is not None and interview.scheduled_end is not None
    base = ctx.settings.public_base_url
    meeting = await live_meeting(db, interview.id)
    join_url = interview.meeting_url or (f"{base}/rooms/{meeting.room_id}" if meeting else None)
    description = "\n\n".join(
        part for part in (interview.description, f"MiraiWorks: {base}/interviews/{interview.id}") if part
    )
    return OutgoingEvent(
        marker=marker(interview.id, connection_id),
        title=interview.title,
        description=description,
        start=interview.scheduled_start,
        end=interview.scheduled_end,
        timezone=interview.timezone or DEFAULT_TIMEZONE,
        location=interview.location,
        join_url=join_url,
    )


async def push_interview(ctx: AppContext, *, interview_id: int) -> None:
    """The job: make every connected calendar of the interview's people agree with it."""
    async with ctx.transaction() as db:
        interview = await db.get(Interview, interview_id)
        people = await people_of(db, interview) if interview is not None and in_calendar(interview) else set()
        wanted = set()
        if people:
            wanted = set(
                await db.scalars(
                    select(CalendarConnection.id).where(
                        CalendarConnection.user_id.in_(people),
                        CalendarConnection.is_active.is_(True),
                        CalendarConnection.sync_enabled.is_(True),
                    )
                )
            )
        linked = await Store(db, ctx.settings.secret_key).links(interview_id)
    failure: Unavailable | None = None
    for connection_id in sorted(wanted | set(linked)):
        try:
            await _push_one(ctx, interview_id, connection_id, connection_id in wanted)
        except Unavailable as exc:
            failure = exc
    if failure is not None:
        raise failure


async def _push_one(ctx: AppContext, interview_id: int, connection_id: int, wanted: bool) -> None:
    failure: Unavailable | None = None
    async with ctx.transaction() as db:
        audit.set_actor(db, audit.AuditActor(user_agent=f"miraiworks job {values.PUSH}"))
        connection = await db.scalar(
            select(CalendarConnection).where(CalendarConnection.id == connection_id).with_for_update()
        )
        adapter = provider_for(ctx.settings.calendars, connection.provider) if connection else None
        if connection is None or adapter is None or not connection.is_active or not connection.sync_enabled:
            return
        store = Store(db, ctx.settings.secret_key)
        key = link_key(connection.id, interview_id)
        link = await store.get(connection.user_id, key)
        interview = await db.get(Interview, interview_id)
        now = values.now(ctx)
        try:
            token = await oauth.fresh_token(db, ctx, connection, adapter, now)
            if wanted and interview is not None and in_calendar(interview):
                event = await outgoing(db, ctx, interview, connection.id)
                external_id = await adapter.put_event(token, event, link)
                await store.put(connection.user_id, key, external_id, description=f"interview {interview_id}")
                await mirror.record_push(db, connection.id, external_id, event, SyncStatus.SYNCED)
            elif link:
                await adapter.cancel_event(token, link)
                await store.delete(connection.user_id, key)
                await mirror.record_push(db, connection.id, link, None, SyncStatus.SYNCED)
        except GrantRevoked:
            return
        except RateLimited as exc:
            retry = now + timedelta(seconds=exc.retry_after)
            again = f"{interview_id}:after:{int(retry.timestamp())}"
            effects.schedule(db, values.PUSH, at=retry, key=again, interview_id=interview_id)
            if link:
                await mirror.mark(db, connection.id, link, SyncStatus.PENDING)
        except Unavailable as exc:
            if link:
                await mirror.mark(db, connection.id, link, SyncStatus.PENDING)
            failure = exc
        except Rejected:
            log.warning("calendar %s refused interview %s", connection.id, interview_id, exc_info=True)
            if link:
                await mirror.mark(db, connection.id, link, SyncStatus.FAILED)
    if failure is not None:
        raise failure


PUSH_JOB = Job(
    values.PUSH,
    push_interview,
    retries=6,
    timeout_seconds=300,
    retry_delay_seconds=30,
    max_retry_delay_seconds=1800,
)
