"""The life of an interview: its schedule, the status machine and feedback (who may: `access`).

The status machine (`moves`, which also tells each answer the caller's `actions`):
pending_schedule -> scheduled -> confirmed -> in_progress -> completed, and cancelled from any
open state (pending_schedule, scheduled, confirmed, in_progress). Scheduling a
pending interview (`POST .../schedule`, or creating it with a schedule) is its move to scheduled;
`POST .../status` makes every other move and answers 409 `schedule_required` when asked for
scheduled. Any move outside the machine is 409 `illegal_transition`, and so is moving the schedule
of an interview that is under way, over or cancelled. Moving the schedule of a scheduled or
confirmed interview keeps its status. The candidate may confirm; every other move is for the
interview's managers. Starting sets `actual_start`, completing `actual_end`.

Its people are notified when it is scheduled, moved (to another time) or cancelled (`notices`);
an online interview keeps its meeting room in step (`rooms`). Feedback, rating and decision are
given by its interviewers once it is under way or over (409 `not_held` before).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview
from models.enums import InterviewStatus
from server import audit
from server.auth.principal import Principal
from server.domains.interviews.access import load, load_managed
from server.domains.interviews.answers import answer
from server.domains.interviews.moves import MOVABLE, TRANSITIONS, may_confirm
from server.domains.interviews.notices import Notice, people_of, tell
from server.domains.interviews.reminders import schedule_reminders
from server.domains.interviews.scheduling import check_free, check_timezone, window
from server.domains.interviews.schemas import Feedback, InterviewOut, Schedule, StatusChange
from server.domains.meetings.interview_meetings import sync_meeting
from server.errors import Conflict, Forbidden
from server.schemas import apply

S = InterviewStatus
HELD = (S.IN_PROGRESS, S.COMPLETED)
LABELS = {
    S.CONFIRMED: "interviews.confirm",
    S.IN_PROGRESS: "interviews.start",
    S.COMPLETED: "interviews.complete",
    S.CANCELLED: "interviews.cancel",
}


def now() -> datetime:
    return datetime.now(UTC)


def illegal(interview: Interview, target: str) -> Conflict:
    return Conflict(f"A {interview.status} interview cannot become {target}.", code="illegal_transition")


class InterviewLifecycle:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def schedule(self, interview_id: int, data: Schedule) -> InterviewOut:
        interview = await load_managed(self.db, self.principal, interview_id)
        if interview.status not in MOVABLE:
            raise illegal(interview, "scheduled")
        if data.timezone is not None:
            check_timezone(data.timezone)
        span = window(
            data.scheduled_start, data.scheduled_end, data.duration_minutes, interview.duration_minutes
        )
        if interview.recruiter_id is None and not self.principal.is_system_admin:
            interview.recruiter_id = self.principal.user_id  # a proposal: whoever schedules it runs it
        await check_free(self.db, self.principal, interview, span)
        first = interview.status is S.PENDING_SCHEDULE or interview.scheduled_start is None
        moved = (interview.scheduled_start, interview.scheduled_end) != (span.start, span.end)
        people = await people_of(self.db, interview)
        interview.scheduled_start, interview.scheduled_end = span.start, span.end
        interview.duration_minutes = span.minutes
        if data.timezone is not None:
            interview.timezone = data.timezone
        if interview.status is S.PENDING_SCHEDULE:
            interview.status = S.SCHEDULED
        audit.label(self.db, interview, "interviews.schedule" if first else "interviews.reschedule")
        await self.db.flush()
        await sync_meeting(self.db, interview, self.principal.user_id)
        people |= await people_of(self.db, interview)
        if first or moved:
            notice = Notice.SCHEDULED if first else Notice.RESCHEDULED
            await tell(self.db, interview, notice, actor_id=self.principal.user_id, people=people)
            schedule_reminders(self.db, interview)
        await self.db.refresh(interview)
        return await answer(self.db, self.principal, interview)

    async def change_status(self, interview_id: int, data: StatusChange) -> InterviewOut:
        interview, granted = await load(self.db, self.principal, interview_id, lock=True)
        confirming = data.status is S.CONFIRMED and may_confirm(interview, self.principal.user_id)
        if not (granted.manage or confirming):
            raise Forbidden("Only the staff of the interview's company change its status.")
        target = data.status
        if target not in TRANSITIONS[interview.status]:
            raise illegal(interview, target)
        if target is S.SCHEDULED:
            raise Conflict(
                "Schedule the interview with POST /api/interviews/{id}/schedule.", code="schedule_required"
            )
        people = await people_of(self.db, interview) if target is S.CANCELLED else set()
        if target is S.IN_PROGRESS:
            interview.actual_start = now()
        if target is S.COMPLETED:
            interview.actual_start = interview.actual_start or now()
            interview.actual_end = now()
        interview.status = target
        audit.label(self.db, interview, LABELS[target])
        await self.db.flush()
        if target is S.CANCELLED:
            await sync_meeting(self.db, interview, self.principal.user_id)
            await tell(
                self.db,
                interview,
                Notice.CANCELLED,
                actor_id=self.principal.user_id,
                people=people,
                reason=data.reason,
            )
        await self.db.refresh(interview)
        return await answer(self.db, self.principal, interview)

    async def give_feedback(self, interview_id: int, data: Feedback) -> InterviewOut:
        interview, granted = await load(self.db, self.principal, interview_id, lock=True)
        if not granted.interviewer:
            raise Forbidden("Only the interview's interviewers give feedback.")
        if interview.status not in HELD:
            raise Conflict("Feedback comes once the interview is under way or over.", code="not_held")
        apply(interview, data)
        audit.label(self.db, interview, "interviews.feedback")
        await self.db.flush()
        await self.db.refresh(interview)
        return await answer(self.db, self.principal, interview)
