"""Telling an interview's people that it was scheduled, moved or cancelled.

The people are its candidate, its recruiter and everyone seated on its live meeting; whoever made
the change is not told about their own change. Notifications go through the one `notify`
function, in the transaction of the change, and are pushed after it commits. Every notice also
records `InterviewChanged`, which connected calendars follow.
"""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, MeetingParticipant
from models.enums import Priority
from server.domains.interviews.events import InterviewChanged
from server.domains.meetings.interview_meetings import live_meeting
from server.domains.notifications.services import notify
from server.events import record

TITLE_CHARS = 255


class Notice(StrEnum):
    SCHEDULED = "interview_scheduled"
    RESCHEDULED = "interview_rescheduled"
    CANCELLED = "interview_cancelled"


HEADINGS = {
    Notice.SCHEDULED: "Interview scheduled",
    Notice.RESCHEDULED: "Interview moved",
    Notice.CANCELLED: "Interview cancelled",
}


async def people_of(db: AsyncSession, interview: Interview) -> set[int]:
    """The interview's candidate, recruiter and the people seated on its live meeting."""
    people = {user_id for user_id in (interview.candidate_id, interview.recruiter_id) if user_id is not None}
    meeting = await live_meeting(db, interview.id)
    if meeting is not None:
        seated = await db.scalars(
            select(MeetingParticipant.user_id).where(MeetingParticipant.meeting_id == meeting.id)
        )
        people.update(seated)
    return people


def when(interview: Interview) -> str:
    """`2030-04-01 10:00–11:00 (Asia/Tokyo)` in the interview's own zone."""
    if interview.scheduled_start is None or interview.scheduled_end is None:
        return "not scheduled yet"
    zone_name = interview.timezone or "Asia/Tokyo"
    zone = ZoneInfo(zone_name)
    start = interview.scheduled_start.astimezone(zone)
    end = interview.scheduled_end.astimezone(zone)
    end_text = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
    return f"{start:%Y-%m-%d %H:%M}–{end_text} ({zone_name})"


async def tell(
    db: AsyncSession,
    interview: Interview,
    notice: Notice,
    *,
    actor_id: int,
    people: set[int],
    reason: str | None = None,
) -> None:
    record(db, InterviewChanged(interview_id=interview.id))
    title = f"{HEADINGS[notice]}: {interview.title}"[:TITLE_CHARS]
    message = f"{interview.title}, {when(interview)}"
    if reason:
        message += f". Reason: {reason}"
    for user_id in sorted(people - {actor_id}):
        await notify(
            db,
            user_id=user_id,
            type=notice.value,
            title=title,
            message=message,
            category="interview",
            priority=Priority.HIGH if notice is Notice.CANCELLED else Priority.NORMAL,
            data={
                "interview_id": interview.id,
                "status": interview.status.value,
                "scheduled_start": interview.scheduled_start.isoformat()
                if interview.scheduled_start
                else None,
                "scheduled_end": interview.scheduled_end.isoformat() if interview.scheduled_end else None,
                "timezone": interview.timezone,
            },
            action_url=f"/interviews/{interview.id}",
        )
