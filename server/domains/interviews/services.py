"""Interviews over REST: create, read, list, change and delete (who may: `access`).

Scheduling, the status machine and feedback are in `lifecycle`. Creating an interview with a
schedule makes it `scheduled` at once (with the same checks and notices as scheduling it later).
Changing a completed or cancelled interview is 409 `interview_closed`; handing a scheduled one to
another recruiter checks that recruiter's calendar (409 `schedule_conflict`) and hands over the
host seat of its room. Deleting (soft) an interview that is scheduled, confirmed or under way is
409 `interview_active`: cancel it first, which tells its people.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Interview
from models.enums import InterviewStatus
from server.auth.principal import Principal
from server.domains.interviews import calendar
from server.domains.interviews.access import STAFF_ROLES, load, load_deleted, load_managed, selectable
from server.domains.interviews.answers import answer, answer_granted, answer_many
from server.domains.interviews.events import InterviewChanged
from server.domains.interviews.moves import MOVABLE
from server.domains.interviews.notices import Notice, people_of, tell
from server.domains.interviews.reminders import schedule_reminders
from server.domains.interviews.scheduling import (
    DEFAULT_MINUTES,
    Window,
    check_free,
    check_timezone,
    invalid,
    window,
)
from server.domains.interviews.schemas import (
    InterviewCreate,
    InterviewFilters,
    InterviewOut,
    InterviewUpdate,
)
from server.domains.interviews.values import (
    check_candidate,
    check_position,
    check_recruiter,
    payload,
)
from server.domains.meetings.interview_meetings import sync_meeting
from server.errors import Conflict, Forbidden
from server.events import record
from server.listing import order_by, paginate, where_given
from server.schemas import Page, apply

S = InterviewStatus
CLOSED = (S.COMPLETED, S.CANCELLED)
ACTIVE = (S.SCHEDULED, S.CONFIRMED, S.IN_PROGRESS)
SORTABLE = {
    "id": Interview.id,
    "scheduled_start": Interview.scheduled_start,
    "created_at": Interview.created_at,
    "updated_at": Interview.updated_at,
    "status": Interview.status,
}


class InterviewsService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    # Reading

    async def search(
        self, filters: InterviewFilters, *, limit: int, offset: int, sort: str
    ) -> Page[InterviewOut]:
        statement = selectable(self.principal)
        statement = where_given(
            statement,
            (Interview.status, filters.status),
            (Interview.interview_type, filters.interview_type),
            (Interview.candidate_id, filters.candidate_id),
            (Interview.recruiter_id, filters.recruiter_id),
            (Interview.position_id, filters.position_id),
            (Interview.company_id, filters.company_id),
        )
        if filters.starts_from is not None:
            statement = statement.where(Interview.scheduled_start >= filters.starts_from)
        if filters.starts_before is not None:
            statement = statement.where(Interview.scheduled_start < filters.starts_before)
        for word in (filters.q or "").split()[:5]:
            statement = statement.where(func.lower(Interview.title).contains(word.lower(), autoescape=True))
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=await answer_many(self.db, self.principal, rows), total=total)

    async def get(self, interview_id: int) -> InterviewOut:
        interview, granted = await load(self.db, self.principal, interview_id)
        return await answer_granted(self.db, self.principal, interview, granted)

    async def invite(self, interview_id: int) -> bytes:
        """The interview's .ics invite, for whoever sees the interview."""
        interview, _ = await load(self.db, self.principal, interview_id)
        return await calendar.invite(self.db, interview)

    # Writing

    async def create(self, data: InterviewCreate) -> InterviewOut:
        self.principal.require(*STAFF_ROLES)
        company_id = await self._company_for(data.company_id)
        check_timezone(data.timezone)
        if data.scheduled_start is None and (data.scheduled_end is not None):
            raise invalid("scheduled_start", "is required with scheduled_end")
        recruiter_id = data.recruiter_id
        if recruiter_id is None and not self.principal.is_system_admin:
            recruiter_id = self.principal.user_id
        await self._check_people(company_id, data.candidate_id, recruiter_id)
        if data.position_id is not None:
            await check_position(self.db, data.position_id, company_id)
        interview = Interview(
            title=data.title,
            description=data.description,
            candidate_id=data.candidate_id,
            recruiter_id=recruiter_id,
            position_id=data.position_id,
            interview_type=data.interview_type,
            status=S.PENDING_SCHEDULE,
            timezone=data.timezone,
            duration_minutes=data.duration_minutes or DEFAULT_MINUTES,
            location=data.location,
            meeting_url=data.meeting_url,
            notes=data.notes,
            company_id=company_id,
            created_by=self.principal.user_id,
        )
        if data.scheduled_start is not None:
            span = window(data.scheduled_start, data.scheduled_end, data.duration_minutes, DEFAULT_MINUTES)
            await check_free(self.db, self.principal, interview, span)
            interview.scheduled_start, interview.scheduled_end = span.start, span.end
            interview.duration_minutes = span.minutes
            interview.status = S.SCHEDULED
        self.db.add(interview)
        await self.db.flush()
        await sync_meeting(self.db, interview, self.principal.user_id)
        if interview.status is S.SCHEDULED:
            people = await people_of(self.db, interview)
            await tell(self.db, interview, Notice.SCHEDULED, actor_id=self.principal.user_id, people=people)
            schedule_reminders(self.db, interview)
        await self.db.refresh(interview)
        return await answer(self.db, self.principal, interview)

    async def _company_for(self, requested: int | None) -> int:
        if not self.principal.is_system_admin:
            if self.principal.company_id is None:
                raise Forbidden("Interviews belong to a company; you are in none.")
            if requested is not None and requested != self.principal.company_id:
                raise Forbidden("You may only create interviews of your own company.")
            return self.principal.company_id
        company = await self.db.get(Company, requested) if requested is not None else None
        if company is None or company.is_deleted:
            raise invalid("company_id", "a system_admin names a company")
        return company.id

    async def _check_people(
        self, company_id: int, candidate_id: int | None, recruiter_id: int | None
    ) -> None:
        if candidate_id is not None:
            await check_candidate(self.db, candidate_id, company_id)
        if recruiter_id is not None:
            await check_recruiter(self.db, recruiter_id, company_id)
        if candidate_id is not None and candidate_id == recruiter_id:
            raise invalid("recruiter_id", "the candidate cannot be their own recruiter")

    async def update(self, interview_id: int, data: InterviewUpdate) -> InterviewOut:
        interview = await load_managed(self.db, self.principal, interview_id)
        if interview.status in CLOSED:
            raise Conflict(f"This interview is {interview.status}.", code="interview_closed")
        changes = payload(data)
        if isinstance(data.timezone, str):
            check_timezone(data.timezone)
        if isinstance(data.recruiter_id, int):
            await self._check_people(interview.company_id, interview.candidate_id, data.recruiter_id)
        if isinstance(data.position_id, int):
            await check_position(self.db, data.position_id, interview.company_id)
        previous_recruiter = interview.recruiter_id
        apply(interview, data)
        handed_over = "recruiter_id" in changes and interview.recruiter_id != previous_recruiter
        start, end = interview.scheduled_start, interview.scheduled_end
        if handed_over and start is not None and end is not None and interview.status in MOVABLE:
            await check_free(self.db, self.principal, interview, Window(start=start, end=end))
            record(self.db, InterviewChanged(interview_id=interview.id))
        await self.db.flush()
        await sync_meeting(
            self.db, interview, self.principal.user_id, previous_recruiter_id=previous_recruiter
        )
        await self.db.refresh(interview)
        return await answer(self.db, self.principal, interview)

    async def delete(self, interview_id: int) -> None:
        interview = await load_managed(self.db, self.principal, interview_id)
        if interview.status in ACTIVE:
            raise Conflict(
                f"A {interview.status} interview is cancelled before it is deleted.", code="interview_active"
            )
        interview.mark_deleted(self.principal.user_id)
        await self.db.flush()
        await sync_meeting(self.db, interview, self.principal.user_id)
        await self.db.flush()

    async def restore(self, interview_id: int) -> InterviewOut:
        """Bring back an interview deleted less than 90 days ago, in the state it was deleted in
        (never an active one: those are cancelled before they are deleted)."""
        interview = await load_deleted(self.db, self.principal, interview_id)
        interview.restore()
        await self.db.flush()
        await sync_meeting(self.db, interview, self.principal.user_id)
        await self.db.refresh(interview)
        return await answer(self.db, self.principal, interview)
