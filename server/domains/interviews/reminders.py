"""Interview reminders: a notification 24 hours and 15 minutes before the start, to its people.

Scheduling or moving an interview schedules both reminders as jobs (`schedule_reminders`),
keyed by interview, lead and start: scheduling the same start twice schedules each reminder
once, and a move schedules new ones and leaves the old ones to find out for themselves. So
the job decides when it runs whether it is still wanted (`remind`): the interview exists, is
not deleted, is scheduled or confirmed, still starts when the reminder was scheduled for, and
has not started yet. A moved, cancelled, deleted or started interview's reminder does nothing.
A reminder whose time had already passed when the interview was scheduled (no 24-hour
reminder for an interview in three hours) is not scheduled at all.

Who is told is decided when it runs: the interview's people then (`notices.people_of`: its
candidate, its recruiter and everyone seated on its meeting). A person already reminded of
this lead and start is not reminded again, so a job that runs twice (retried after a crash
that followed its commit) tells each person once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, Notification
from models.enums import InterviewStatus, Priority
from server import audit, effects
from server.domains.interviews.notices import TITLE_CHARS, people_of, when
from server.domains.notifications.services import notify
from server.jobs import Job

if TYPE_CHECKING:
    from server.context import AppContext

REMIND = "interviews.reminder"
KIND = "interview_reminder"
LEADS = {"24h": timedelta(hours=24), "15m": timedelta(minutes=15)}
HEADINGS = {"24h": "Interview in 24 hours", "15m": "Interview in 15 minutes"}
STILL_ON = (InterviewStatus.SCHEDULED, InterviewStatus.CONFIRMED)


def schedule_reminders(db: AsyncSession, interview: Interview, now: datetime | None = None) -> None:
    """Schedule the reminders of the interview's current start (on commit) that are still ahead."""
    start = interview.scheduled_start
    if start is None:
        return
    now = now or datetime.now(UTC)
    start_text = start.astimezone(UTC).isoformat()
    for lead, ahead in LEADS.items():
        if start - ahead > now:
            effects.schedule(
                db,
                REMIND,
                at=start - ahead,
                key=f"{interview.id}:{lead}:{start_text}",
                interview_id=interview.id,
                lead=lead,
                start=start_text,
            )


async def remind(ctx: AppContext, *, interview_id: int, lead: str, start: str) -> None:
    """The job: tell the interview's people it starts in `lead`, if that is still true."""
    starts = datetime.fromisoformat(start)
    async with ctx.transaction() as db:
        audit.set_actor(db, audit.AuditActor(user_agent=f"miraiworks job {REMIND}"))
        interview = await db.scalar(select(Interview).where(Interview.id == interview_id).with_for_update())
        if interview is None or interview.is_deleted or interview.status not in STILL_ON:
            return
        if interview.scheduled_start != starts or datetime.now(UTC) >= starts:
            return
        people = await people_of(db, interview)
        for user_id in sorted(people - await _reminded(db, interview, lead, start)):
            await notify(
                db,
                user_id=user_id,
                type=KIND,
                title=f"{HEADINGS[lead]}: {interview.title}"[:TITLE_CHARS],
                message=f"{interview.title}, {when(interview)}",
                category="interview",
                priority=Priority.HIGH if lead == "15m" else Priority.NORMAL,
                data={
                    "interview_id": interview.id,
                    "lead": lead,
                    "scheduled_start": start,
                    "timezone": interview.timezone,
                },
                action_url=_link(interview),
            )


async def _reminded(db: AsyncSession, interview: Interview, lead: str, start: str) -> set[int]:
    """Who already got this reminder (this lead, this start)."""
    rows = await db.execute(
        select(Notification.user_id, Notification.data).where(
            Notification.type == KIND, Notification.action_url == _link(interview)
        )
    )
    return {
        user_id
        for user_id, data in rows.tuples()
        if data and data.get("lead") == lead and data.get("scheduled_start") == start
    }


def _link(interview: Interview) -> str:
    return f"/interviews/{interview.id}"


REMINDER = Job(
    REMIND, remind, retries=5, timeout_seconds=60, retry_delay_seconds=10, max_retry_delay_seconds=120
)
