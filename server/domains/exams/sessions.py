"""Exam sessions: assigned by staff, taken by their candidate on the server's clock.

not_started (assigned; the candidate is notified with a link) -> in_progress (`start`:
started_at, ip and user agent, the deadline job scheduled) -> submitted (an essay waits for
a grader) or graded. A candidate answers by question id and moves between questions while
in progress and before the deadline; after it, 409 `deadline_passed` (and the session is
submitted then and there if its deadline job has not run yet). A finished session refuses
changes with 409 `session_finished`. Each assignment or retake is one attempt: one open
attempt at a time (409 `already_assigned`), at most `max_attempts` (409 `attempts_exhausted`).
REST and socket events call the same methods; a session is named by id or by its token.
"""

from __future__ import annotations

import secrets

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Exam, ExamSession, User
from models.enums import ExamSessionStatus, ExamStatus
from server.auth.principal import Principal
from server.domains.candidates import access as candidates
from server.domains.exams import access, grading, jobs, timing
from server.domains.exams import questions as q
from server.domains.exams.access import As
from server.domains.exams.questions import invalid
from server.domains.exams.schemas import (
    AnswerIn,
    ExamSessionOut,
    ExamSessionState,
    Grades,
    SessionFilters,
    SessionSummary,
)
from server.domains.exams.views import FINISHED, entries, ordered, session_out, state_out, summary_out
from server.domains.notifications.services import notify
from server.errors import Conflict
from server.listing import where_given
from server.schemas import Page

Ref = int | str
"""A session's id (REST) or its token (sockets)."""
OPEN = (ExamSessionStatus.NOT_STARTED, ExamSessionStatus.IN_PROGRESS)


def _by(ref: Ref) -> dict[str, int | str]:
    return {"session_id": ref} if isinstance(ref, int) else {"token": ref}


async def _page(
    db: AsyncSession, statement: Select[tuple[ExamSession, Exam]], limit: int, offset: int
) -> tuple[list[tuple[ExamSession, Exam]], int]:
    total = await db.scalar(statement.with_only_columns(func.count(ExamSession.id)).order_by(None))
    rows = await db.execute(statement.limit(limit).offset(offset))
    return list(rows.tuples()), int(total or 0)


class SessionsService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    # Staff

    async def search(self, filters: SessionFilters, *, limit: int, offset: int) -> Page[ExamSessionOut]:
        access.require_staff(self.principal)
        statement = (
            select(ExamSession, Exam)
            .join(Exam, Exam.id == ExamSession.exam_id)
            .where(access.managed(self.principal))
        )
        statement = where_given(
            statement,
            (ExamSession.exam_id, filters.exam_id),
            (ExamSession.candidate_id, filters.candidate_id),
            (ExamSession.status, filters.status),
        ).order_by(ExamSession.id.desc())
        rows, total = await _page(self.db, statement, limit, offset)
        return Page(items=[session_out(s, e) for s, e in rows], total=total)

    async def get(self, session_id: int) -> ExamSessionOut:
        session, exam = await access.load_session(
            self.db, self.principal, need=As.STAFF, session_id=session_id
        )
        return session_out(session, exam)

    async def assign(self, exam_id: int, candidate_id: int) -> ExamSessionOut:
        exam = await access.load(self.db, self.principal, exam_id, lock=True)
        seen = await self.db.scalar(
            select(User.id).where(User.id == candidate_id, candidates.readable(self.principal))
        )
        if seen is None:
            raise invalid("candidate_id", "no candidate you may assign")
        return session_out(await self._new_attempt(exam, candidate_id), exam)

    async def grade(self, session_id: int, data: Grades) -> ExamSessionOut:
        session, exam = await access.load_session(
            self.db, self.principal, need=As.STAFF, session_id=session_id, lock=True
        )
        if session.status not in (ExamSessionStatus.SUBMITTED, ExamSessionStatus.GRADED):
            raise Conflict("Only a submitted session is graded.", code="not_submitted")
        await grading.grade(self.db, session, exam, data, self.principal.user_id)
        return session_out(session, exam)

    async def _new_attempt(self, exam: Exam, candidate_id: int) -> ExamSession:
        if exam.status is not ExamStatus.PUBLISHED or exam.is_deleted:
            raise Conflict("Only a published exam is taken.", code="exam_not_published")
        rows = await self.db.scalars(
            select(ExamSession.status).where(
                ExamSession.exam_id == exam.id, ExamSession.candidate_id == candidate_id
            )
        )
        taken = list(rows)
        if any(status in OPEN for status in taken):
            raise Conflict("The candidate already has an open session of this exam.", code="already_assigned")
        if len(taken) >= exam.max_attempts:
            raise Conflict(f"This exam allows {exam.max_attempts} attempt(s).", code="attempts_exhausted")
        session = ExamSession(
            exam_id=exam.id,
            candidate_id=candidate_id,
            company_id=exam.company_id,
            session_token=secrets.token_urlsafe(32),
            status=ExamSessionStatus.NOT_STARTED,
            attempt_number=len(taken) + 1,
            current_question=0,
            answers={},
            proctoring_enabled=(exam.settings or {}).get("proctoring_enabled") is True,
        )
        self.db.add(session)
        await self.db.flush()
        await notify(
            self.db,
            user_id=candidate_id,
            type="exam_assigned",
            title=f"Exam to take: {exam.title}"[:255],
            message=f"{exam.title} ({exam.duration_minutes} min), attempt {session.attempt_number}",
            category="exam",
            data={"exam_id": exam.id, "session_id": session.id},
            action_url=grading.link(session),
        )
        await self.db.refresh(session)
        return session

    # The candidate

    async def mine(self, *, limit: int, offset: int) -> Page[SessionSummary]:
        statement = (
            select(ExamSession, Exam)
            .join(Exam, Exam.id == ExamSession.exam_id)
            .where(ExamSession.candidate_id == self.principal.user_id)
            .order_by(ExamSession.id.desc())
        )
        rows, total = await _page(self.db, statement, limit, offset)
        return Page(items=[summary_out(s, e) for s, e in rows], total=total)

    async def taking(self, ref: Ref) -> tuple[ExamSession, Exam]:
        """The candidate's own session, locked, submitted first if its time is up."""
        session, exam = await access.load_session(
            self.db,
            self.principal,
            need=As.CANDIDATE,
            lock=True,
            **_by(ref),  # type: ignore[arg-type]
        )
        await jobs.settle(self.db, session, exam)
        return session, exam

    async def state(self, ref: Ref) -> ExamSessionState:
        return state_out(*await self.taking(ref))

    async def start(self, ref: Ref, *, ip: str | None, user_agent: str | None) -> ExamSessionState:
        """Begin the attempt; starting one already in progress resumes it."""
        session, exam = await self.taking(ref)
        if session.status is ExamSessionStatus.NOT_STARTED:
            if exam.status is not ExamStatus.PUBLISHED or exam.is_deleted:
                raise Conflict("This exam is no longer offered.", code="exam_not_published")
            session.status = ExamSessionStatus.IN_PROGRESS
            session.started_at = timing.now()
            session.time_remaining = exam.duration_minutes * 60
            session.ip_address = ip
            session.user_agent = user_agent
            jobs.schedule_deadline(self.db, session, exam)
            await self.db.flush()
        elif session.status in FINISHED:
            raise self._finished(session, exam)
        return state_out(session, exam)

    def _finished(self, session: ExamSession, exam: Exam) -> Conflict:
        if timing.past_deadline(session, exam):
            return Conflict("The time of this exam is up.", code="deadline_passed", keep_changes=True)
        return Conflict("This session has been submitted.", code="session_finished", keep_changes=True)

    async def _open(self, ref: Ref) -> tuple[ExamSession, Exam]:
        session, exam = await self.taking(ref)
        if session.status is ExamSessionStatus.NOT_STARTED:
            raise Conflict("Start the session first.", code="not_started")
        if session.status in FINISHED:
            raise self._finished(session, exam)
        return session, exam

    async def answer(self, ref: Ref, data: AnswerIn) -> ExamSessionState:
        """Save one answer (null clears it); the same answer twice changes nothing."""
        session, exam = await self._open(ref)
        item = next((i for i in q.load(exam.questions) if q.key(i) == data.question_id), None)
        if item is None:
            raise invalid("question_id", "no question of this exam")
        value = q.validate(item, data.answer)
        found = entries(session)
        if found.get(str(data.question_id), {}).get("answer") != value:
            found[str(data.question_id)] = {"answer": value}
            session.answers = found
            session.time_remaining = timing.remaining(session, exam)
            await self.db.flush()
        return state_out(session, exam)

    async def move(self, ref: Ref, current_question: int) -> ExamSessionState:
        session, exam = await self._open(ref)
        if current_question >= len(ordered(session, exam)):
            raise invalid("current_question", "past the last question")
        if session.current_question != current_question:
            session.current_question = current_question
            session.time_remaining = timing.remaining(session, exam)
            await self.db.flush()
        return state_out(session, exam)

    async def submit(self, ref: Ref) -> ExamSessionState:
        session, exam = await self._open(ref)
        await grading.finish(self.db, session, exam, reason="candidate", at=timing.now())
        return state_out(session, exam)

    async def retake(self, session_id: int) -> ExamSessionState:
        """A new attempt after a finished one, within the exam's `max_attempts`."""
        session, exam = await self.taking(session_id)
        if session.status not in FINISHED:
            raise Conflict("This attempt is still open.", code="already_assigned")
        locked = await self.db.scalar(select(Exam).where(Exam.id == exam.id).with_for_update())
        assert locked is not None
        return state_out(await self._new_attempt(locked, session.candidate_id), locked)
