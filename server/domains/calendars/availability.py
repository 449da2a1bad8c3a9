"""Free slots common to a set of people, within each one's working hours, for scheduling.

A slot of `duration_minutes` starts on a grid of `step_minutes` (from midnight UTC) and is free when,
for every person, it lies within their working hours (Monday to Friday, 09:00-18:00 in their time
zone: their `timezone` user setting, else Asia/Tokyo; public holidays are not known) and overlaps
none of their busy times: synced calendars (`busy`), interviews they are in (recruiter, candidate,
seated) and meetings they are seated on, none of them cancelled.

Only people the caller may see are asked about: themselves, their company's people, and people
tied to them by an interview the caller sees (`interviews.access.visible`). Anyone else is 404,
exactly like a missing user.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Exists, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, Meeting, MeetingParticipant, User, UserSetting
from models.enums import InterviewStatus, MeetingStatus
from server.auth.principal import Principal
from server.domains.calendars.busy import busy_times
from server.domains.calendars.schemas import Slot
from server.domains.interviews.access import GONE, visible
from server.domains.interviews.scheduling import DEFAULT_TIMEZONE, check_timezone, invalid
from server.errors import InvalidInput, NotFound
from server.schemas import Page

WORK_START, WORK_END = time(9), time(18)
MAX_RANGE = timedelta(days=31)
MAX_PEOPLE = 20
MAX_SLOTS = 500
Span = tuple[datetime, datetime]


def _seated(user_id: int) -> Exists:
    return exists().where(
        Meeting.interview_id == Interview.id,
        MeetingParticipant.meeting_id == Meeting.id,
        MeetingParticipant.user_id == user_id,
        MeetingParticipant.status.not_in(GONE),
    )


def people(raw: str) -> list[int]:
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise invalid("user_ids", "comma-separated user ids") from None
    if not ids or len(set(ids)) > MAX_PEOPLE or any(i < 1 or i >= 2**31 for i in ids):
        raise invalid("user_ids", f"1 to {MAX_PEOPLE} user ids")
    return list(dict.fromkeys(ids))


async def _check_visible(db: AsyncSession, principal: Principal, user_id: int) -> None:
    user = await db.get(User, user_id)
    if user is not None and not user.is_deleted:
        if principal.is_system_admin or user_id == principal.user_id:
            return
        if principal.company_id is not None and user.company_id == principal.company_id:
            return
        tied = select(Interview.id).where(
            visible(principal),
            or_(Interview.candidate_id == user_id, Interview.recruiter_id == user_id, _seated(user_id)),
        )
        if await db.scalar(tied.limit(1)) is not None:
            return
    raise NotFound(f"User {user_id} was not found.")


async def _zone(db: AsyncSession, user_id: int) -> ZoneInfo:
    name = await db.scalar(
        select(UserSetting.setting_value).where(
            UserSetting.user_id == user_id,
            func.lower(UserSetting.setting_key) == "timezone",
            UserSetting.is_encrypted.is_(False),
        )
    )
    try:
        return ZoneInfo(check_timezone(name) if name else DEFAULT_TIMEZONE)
    except InvalidInput:
        return ZoneInfo(DEFAULT_TIMEZONE)


async def _booked(db: AsyncSession, user_id: int, start: datetime, end: datetime) -> list[Span]:
    interviews = await db.execute(
        select(Interview.scheduled_start, Interview.scheduled_end).where(
            Interview.is_deleted.is_(False),
            Interview.status != InterviewStatus.CANCELLED,
            Interview.scheduled_start < end,
            Interview.scheduled_end > start,
            or_(Interview.candidate_id == user_id, Interview.recruiter_id == user_id, _seated(user_id)),
        )
    )
    meetings = await db.execute(
        select(Meeting.scheduled_start, Meeting.scheduled_end)
        .join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id)
        .where(
            MeetingParticipant.user_id == user_id,
            MeetingParticipant.status.not_in(GONE),
            Meeting.interview_id.is_(None),
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.scheduled_start < end,
            Meeting.scheduled_end > start,
        )
    )
    return [(s, e) for s, e in [*interviews.tuples(), *meetings.tuples()] if s is not None and e is not None]


def _working(start: datetime, end: datetime, zone: ZoneInfo) -> bool:
    local, local_end = start.astimezone(zone), end.astimezone(zone)
    if local.weekday() >= 5 or local.time() < WORK_START:
        return False
    closing = datetime.combine(local.date(), WORK_END, zone)
    return local_end <= closing


async def free_slots(
    db: AsyncSession,
    principal: Principal,
    user_ids: list[int],
    start: datetime,
    end: datetime,
    minutes: int,
    step: int,
) -> Page[Slot]:
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        raise invalid("to", "must be after from")
    if end - start > MAX_RANGE:
        raise invalid("to", f"at most {MAX_RANGE.days} days after from")
    for user_id in user_ids:
        await _check_visible(db, principal, user_id)
    zones = [await _zone(db, user_id) for user_id in user_ids]
    busy: list[Span] = [(span.start, span.end) for span in await busy_times(db, user_ids, start, end)]
    for user_id in user_ids:
        busy += await _booked(db, user_id, start, end)
    busy.sort()
    grid = timedelta(minutes=step)
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    cursor = midnight + -((midnight - start) // grid) * grid
    length = timedelta(minutes=minutes)
    slots: list[Slot] = []
    while cursor + length <= end and len(slots) < MAX_SLOTS:
        finish = cursor + length
        if all(_working(cursor, finish, zone) for zone in zones) and not any(
            s < finish and e > cursor for s, e in busy
        ):
            slots.append(Slot(start=cursor, end=finish))
        cursor += grid
    return Page(items=slots, total=len(slots))
