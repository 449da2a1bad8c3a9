"""Busy times from synced calendars, for scheduling (409 `schedule_conflict`) and availability.

A person is busy during every timed event of their active connections' mirrors that is not
cancelled; a recurring series is busy at each of its occurrences (its RRULE expanded in the
event's own zone, so "every Monday 10:00 Tokyo" stays Monday across UTC midnight), except the
occurrences the provider moved or cancelled (their own rows, ids `<series>_<original start>`).
All-day events do not make anyone busy: the schema keeps no transparency (Google's
`transparency`, Graph's `showAs`), and all-day entries are mostly holidays, birthdays, reminders.
The events MiraiWorks pushed for an interview are not a conflict of that same interview.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CalendarConnection, CalendarIntegration, Interview, MeetingParticipant
from models.enums import CalendarEventStatus
from server.domains.calendars import mirror, store
from server.domains.interviews.access import GONE, INTERVIEWER_ROLES
from server.domains.meetings.interview_meetings import live_meeting
from server.errors import Conflict, FieldError

log = logging.getLogger(__name__)

MAX_OCCURRENCES = 2000


class Busy(msgspec.Struct, frozen=True):
    user_id: int
    start: datetime
    end: datetime


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def occurrences(
    row: CalendarIntegration, start: datetime, end: datetime, moved: set[datetime]
) -> list[tuple[datetime, datetime]]:
    """The series' occurrences overlapping [start, end), without those in `moved` (original starts)."""
    length = row.end_datetime - row.start_datetime
    first = row.start_datetime.astimezone(_zone(row.timezone))
    try:
        rule = rrulestr(row.recurrence_rule or "", dtstart=first, forceset=True, unfold=True)
        found = rule.between(start - length, end, inc=True)[:MAX_OCCURRENCES]
    except (ValueError, TypeError):
        log.warning("calendar event %s has a rule we cannot read", row.id)
        found = [first]
    spans = []
    for moment in found:
        begins = moment.astimezone(UTC)
        if begins not in moved and begins < end and begins + length > start:
            spans.append((begins, begins + length))
    return spans


async def busy_times(
    db: AsyncSession,
    user_ids: Iterable[int],
    start: datetime,
    end: datetime,
    *,
    skip: set[tuple[int, str]] | None = None,
) -> list[Busy]:
    """Every synced busy span of these people that overlaps [start, end), by start."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    skip = skip or set()
    event, connection = CalendarIntegration, CalendarConnection
    statement = (
        select(event, connection.user_id)
        .join(connection, connection.id == event.connection_id)
        .where(
            connection.user_id.in_(ids),
            connection.is_active.is_(True),
            event.status != CalendarEventStatus.CANCELLED,
            event.is_all_day.is_(False),
            or_(
                and_(event.start_datetime < end, event.end_datetime > start),
                and_(event.recurrence_rule.is_not(None), event.start_datetime < end),
            ),
        )
    )
    rows = (await db.execute(statement)).tuples().all()
    moved = await _moved(db, [row for row, _ in rows if row.recurrence_rule])
    spans = []
    for row, user_id in rows:
        if (row.connection_id, row.external_event_id) in skip:
            continue
        if row.recurrence_rule:
            exceptions = moved.get((row.connection_id, row.external_event_id), set())
            spans += [Busy(user_id, s, e) for s, e in occurrences(row, start, end, exceptions)]
        elif row.end_datetime > row.start_datetime:
            spans.append(Busy(user_id, row.start_datetime, row.end_datetime))
    return sorted(spans, key=lambda span: (span.start, span.user_id))


async def _moved(db: AsyncSession, series: list[CalendarIntegration]) -> dict[tuple[int, str], set[datetime]]:
    """For each series, the original starts of its occurrences that have rows of their own."""
    if not series:
        return {}
    event = CalendarIntegration
    prefixes = [
        and_(
            event.connection_id == row.connection_id,
            event.external_event_id.startswith(f"{row.external_event_id}_", autoescape=True),
        )
        for row in series
    ]
    rows = await db.execute(select(event.connection_id, event.external_event_id).where(or_(*prefixes)))
    moved: dict[tuple[int, str], set[datetime]] = {}
    for connection_id, external_id in rows.tuples():
        original = mirror.occurrence_start(external_id)
        if original is not None:
            master = external_id.rpartition("_")[0]
            moved.setdefault((connection_id, master), set()).add(original)
    return moved


async def _people(db: AsyncSession, interview: Interview) -> dict[int, str]:
    people: dict[int, str] = {}
    if interview.id is not None:
        meeting = await live_meeting(db, interview.id)
        if meeting is not None:
            seated = await db.scalars(
                select(MeetingParticipant.user_id).where(
                    MeetingParticipant.meeting_id == meeting.id,
                    MeetingParticipant.role.in_(INTERVIEWER_ROLES),
                    MeetingParticipant.status.not_in(GONE),
                )
            )
            people.update(dict.fromkeys(seated, "interviewer"))
    if interview.candidate_id is not None:
        people[interview.candidate_id] = "candidate"
    if interview.recruiter_id is not None:
        people[interview.recruiter_id] = "recruiter"
    return people


async def check_busy(db: AsyncSession, interview: Interview, start: datetime, end: datetime) -> None:
    """409 `schedule_conflict` when a participant's synced calendar is busy during [start, end)."""
    people = await _people(db, interview)
    pushed = await store.links(db, interview.id) if interview.id is not None else {}
    skip = {(connection_id, external_id) for connection_id, (_, external_id) in pushed.items()}
    clash = await busy_times(db, people, start, end, skip=skip)
    if not clash:
        return
    detail = f"The {people[clash[0].user_id]} is busy at that time in a connected calendar."
    raise Conflict(
        detail, code="schedule_conflict", errors=[FieldError(field="scheduled_start", message=detail)]
    )
