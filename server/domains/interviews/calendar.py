"""The iCalendar (.ics) invite of an interview, as calendar apps import it (RFC 5545 / 5546).

One event per interview, always with the UID `interview-{id}@miraiworks`, so importing a newer
invite updates the event instead of adding a second one. SEQUENCE counts the changes the
interview went through (its audit trail's updates), so every change makes a newer invite.
A live interview's invite is METHOD:REQUEST; a cancelled one's is METHOD:CANCEL with
STATUS:CANCELLED, which removes the event. Times carry the TZID of the interview's time zone,
defined by a VTIMEZONE component in the file. The same event (`interview_event`) and calendar
(`ics`) make each user's private feed (`server.domains.calendars.feed`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog, Interview, Meeting, MeetingParticipant, User
from models.enums import InterviewStatus, MeetingRole
from server.domains.interviews.scheduling import DEFAULT_TIMEZONE
from server.domains.meetings.interview_meetings import live_meeting
from server.errors import Conflict

PRODID = "-//MiraiWorks//Interviews//EN"
STATUSES = {
    InterviewStatus.SCHEDULED: "TENTATIVE",
    InterviewStatus.CONFIRMED: "CONFIRMED",
    InterviewStatus.IN_PROGRESS: "CONFIRMED",
    InterviewStatus.COMPLETED: "CONFIRMED",
    InterviewStatus.CANCELLED: "CANCELLED",
}


def uid(interview_id: int) -> str:
    return f"interview-{interview_id}@miraiworks"


async def sequence(db: AsyncSession, interview_id: int) -> int:
    """How many times the interview changed after its creation."""
    changes = await db.scalar(
        select(func.count()).where(
            AuditLog.entity_type == Interview.__tablename__,
            AuditLog.entity_id == interview_id,
            AuditLog.action != "interviews.create",
        )
    )
    return int(changes or 0)


def _address(user: User, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(f"{user.last_name} {user.first_name}")
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


async def invite(db: AsyncSession, interview: Interview) -> bytes:
    """The .ics file; 409 `not_scheduled` while the interview has no schedule."""
    if interview.scheduled_start is None or interview.scheduled_end is None:
        raise Conflict("The interview has no schedule yet.", code="not_scheduled")
    cancelled = interview.status is InterviewStatus.CANCELLED
    return ics([await interview_event(db, interview)], method="CANCEL" if cancelled else "REQUEST")


def ics(events: list[Event], *, method: str | None, name: str | None = None) -> bytes:
    """A calendar of these events with the VTIMEZONEs their times use (a feed has no METHOD)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method)
    if name is not None:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    if events:
        starts = [event.decoded("dtstart") for event in events]
        ends = [event.decoded("dtend") for event in events]
        calendar.add_missing_timezones(
            first_date=(min(starts) - timedelta(days=366)).date(),
            last_date=(max(ends) + timedelta(days=366)).date(),
        )
    return bytes(calendar.to_ical())


async def interview_event(db: AsyncSession, interview: Interview) -> Event:
    """The VEVENT of a scheduled interview, for its invite and for its people's feeds."""
    start, end = interview.scheduled_start, interview.scheduled_end
    assert start is not None and end is not None, "only a scheduled interview has an event"
    zone = ZoneInfo(interview.timezone or DEFAULT_TIMEZONE)
    event = Event()
    event.add("uid", uid(interview.id))
    event.add("sequence", await sequence(db, interview.id))
    event.add("dtstamp", datetime.now(UTC))
    event.add("created", interview.created_at)
    event.add("last-modified", interview.updated_at)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("summary", interview.title)
    event.add("status", STATUSES.get(interview.status, "TENTATIVE"))
    meeting = await live_meeting(db, interview.id)
    description = [interview.description or ""]
    if meeting is not None:
        description.append(f"MiraiWorks room code: {meeting.room_id}")
    if interview.meeting_url:
        description.append(interview.meeting_url)
        event.add("url", interview.meeting_url)
    if text := "\n\n".join(part for part in description if part):
        event.add("description", text)
    if interview.location:
        event.add("location", interview.location)
    elif meeting is not None:
        event.add("location", f"MiraiWorks room {meeting.room_id}")
    seated = meeting.id if meeting is not None else await _last_meeting(db, interview.id)
    await _add_people(db, event, interview, seated)
    return event


async def _last_meeting(db: AsyncSession, interview_id: int) -> int | None:
    """The newest meeting of the interview, cancelled or not: whom a cancellation concerns."""
    meeting_id: int | None = await db.scalar(
        select(Meeting.id).where(Meeting.interview_id == interview_id).order_by(Meeting.id.desc()).limit(1)
    )
    return meeting_id


async def _add_people(db: AsyncSession, event: Event, interview: Interview, meeting_id: int | None) -> None:
    people: dict[int, str] = {}
    if interview.candidate_id is not None:
        people[interview.candidate_id] = "REQ-PARTICIPANT"
    if meeting_id is not None:
        seats = await db.execute(
            select(MeetingParticipant.user_id, MeetingParticipant.role).where(
                MeetingParticipant.meeting_id == meeting_id
            )
        )
        for user_id, seat in seats.tuples():
            people.setdefault(
                user_id, "OPT-PARTICIPANT" if seat is MeetingRole.OBSERVER else "REQ-PARTICIPANT"
            )
    ids = {*people, *([interview.recruiter_id] if interview.recruiter_id else [])}
    users = {user.id: user for user in await db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    organizer = users.get(interview.recruiter_id) if interview.recruiter_id else None
    if organizer is not None:
        event.add("organizer", _address(organizer))
    confirmed = interview.status in (
        InterviewStatus.CONFIRMED,
        InterviewStatus.IN_PROGRESS,
        InterviewStatus.COMPLETED,
    )
    for user_id, role in people.items():
        user = users.get(user_id)
        if user is None or user_id == interview.recruiter_id:
            continue
        state = "ACCEPTED" if confirmed and user_id == interview.candidate_id else "NEEDS-ACTION"
        event.add("attendee", _address(user, ROLE=role, PARTSTAT=state, RSVP="TRUE"))
