"""An interview's schedule: a valid time window in a known zone, and no double booking.

- `scheduled_end` is after `scheduled_start`, at most 24 hours later, a whole number of minutes
  after it, and `duration_minutes` is kept equal to that length; a schedule given as a start and
  a duration gets its end computed.
- `timezone` is an IANA zone name the server knows (Asia/Tokyo by default).
- Two interviews that are not cancelled (nor deleted) overlap when one starts before the other
  ends; the same recruiter (as recruiter) or the same candidate (as candidate) in two overlapping
  interviews is a 409 `schedule_conflict`, whichever companies they belong to. The error names the
  conflicting interview only to someone who may see it.
- A participant busy in a connected calendar (`server.domains.calendars.busy`) is the same 409.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import available_timezones

import msgspec
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, User
from models.enums import InterviewStatus
from server.auth.principal import Principal
from server.domains.calendars.busy import check_busy
from server.domains.interviews.access import may_see
from server.domains.interviews.schemas import MAX_MINUTES
from server.errors import Conflict, FieldError, InvalidInput

DEFAULT_TIMEZONE = "Asia/Tokyo"
DEFAULT_MINUTES = 60
MINUTE = timedelta(minutes=1)


class Window(msgspec.Struct, frozen=True, kw_only=True):
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return (self.end - self.start) // MINUTE


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(errors=[FieldError(field=field, message=message)])


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_timezone(name: str, field: str = "timezone") -> str:
    if name not in _zones():
        raise invalid(field, "an IANA time zone such as Asia/Tokyo")
    return name


def window(start: datetime, end: datetime | None, minutes: int | None, default_minutes: int | None) -> Window:
    """The schedule a request asks for, in UTC; 422 naming the field at fault."""
    start = start.astimezone(UTC)
    if end is None:
        end = start + timedelta(minutes=minutes or default_minutes or DEFAULT_MINUTES)
    end = end.astimezone(UTC)
    if end <= start:
        raise invalid("scheduled_end", "must be after scheduled_start")
    if (end - start) % MINUTE:
        raise invalid("scheduled_end", "must be a whole number of minutes after scheduled_start")
    if end - start > timedelta(minutes=MAX_MINUTES):
        raise invalid("scheduled_end", f"at most {MAX_MINUTES} minutes after scheduled_start")
    span = Window(start=start, end=end)
    if minutes is not None and minutes != span.minutes:
        raise invalid("duration_minutes", "does not match scheduled_start and scheduled_end")
    return span


async def lock_people(db: AsyncSession, *user_ids: int | None) -> None:
    """Take the people's user rows (in id order) so two schedulings of one person do not interleave."""
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if ids:
        await db.execute(select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update())


async def check_free(db: AsyncSession, principal: Principal, interview: Interview, span: Window) -> None:
    """409 `schedule_conflict` when the interview's recruiter or candidate is busy during `span`."""
    people = []
    if interview.recruiter_id is not None:
        people.append(Interview.recruiter_id == interview.recruiter_id)
    if interview.candidate_id is not None:
        people.append(Interview.candidate_id == interview.candidate_id)
    if not people:
        return
    await lock_people(db, interview.recruiter_id, interview.candidate_id)
    statement = select(Interview.id, Interview.recruiter_id).where(
        Interview.is_deleted.is_(False),
        Interview.status != InterviewStatus.CANCELLED,
        Interview.scheduled_start < span.end,
        Interview.scheduled_end > span.start,
        or_(*people),
    )
    if interview.id is not None:
        statement = statement.where(Interview.id != interview.id)
    # A locking read sees what was committed while this transaction waited for the people's rows,
    # where a plain read on MySQL would still see its REPEATABLE READ snapshot.
    ordered = statement.order_by(Interview.scheduled_start, Interview.id).limit(1)
    clash = (await db.execute(ordered.with_for_update(read=True))).first()
    if clash is None:
        await check_busy(db, interview, span.start, span.end)
        return
    other_id, recruiter_id = clash
    who = "recruiter" if recruiter_id == interview.recruiter_id and recruiter_id is not None else "candidate"
    if await may_see(db, principal, other_id):
        detail = f"The {who} has interview {other_id} at that time."
    else:
        detail = f"The {who} has another interview at that time."
    raise Conflict(
        detail, code="schedule_conflict", errors=[FieldError(field="scheduled_start", message=detail)]
    )
