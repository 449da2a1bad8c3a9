"""Who may see and change exams and exam sessions: the one rule every read and write uses.

- Exams belong to a company. Its staff (company_admin, recruiter, employer) read, write,
  publish, archive and assign them; a system_admin does so for every company. Anyone else is
  refused before any lookup (403: candidates never see an exam's answer keys), and another
  company's exam answers 404 exactly like a missing one.
- A session belongs to its exam's company and to its candidate. The company's staff read it
  whole (answers, results, proctoring) and grade it; the candidate reads their own through
  the candidate view and takes it. A session someone may see but not act on that way is 403
  (staff answering, a candidate grading); another candidate's, or another company's, is 404.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import Exam, ExamSession
from server.auth.principal import Principal, RoleName
from server.errors import Forbidden, NotFound

STAFF = (RoleName.COMPANY_ADMIN, RoleName.RECRUITER, RoleName.EMPLOYER)


class As(Enum):
    """The capacity in which a principal acts on a session."""

    STAFF = "staff"
    CANDIDATE = "candidate"


def is_staff(principal: Principal) -> bool:
    return principal.is_system_admin or (
        principal.company_id is not None and bool(principal.roles.intersection(STAFF))
    )


def require_staff(principal: Principal) -> None:
    if not is_staff(principal):
        raise Forbidden("Exams are managed by their company's staff.")


def readable(principal: Principal) -> ColumnElement[bool]:
    """Condition on `Exam`: the live exams the principal manages."""
    live = Exam.is_deleted.is_(False)
    if principal.is_system_admin:
        return live
    if not is_staff(principal):
        return false()
    return live & (Exam.company_id == principal.company_id)


def exam_not_found(exam_id: int) -> NotFound:
    return NotFound(f"Exam {exam_id} was not found.")


async def load(db: AsyncSession, principal: Principal, exam_id: int, *, lock: bool = False) -> Exam:
    """A live exam of the principal's company (403 for non-staff, 404 when unseen)."""
    require_staff(principal)
    statement = select(Exam).where(Exam.id == exam_id, readable(principal))
    exam = await db.scalar(statement.with_for_update() if lock else statement)
    if exam is None:
        raise exam_not_found(exam_id)
    return exam


def managed(principal: Principal) -> ColumnElement[bool]:
    """Condition on `ExamSession`: the sessions of the principal's company, for its staff."""
    if principal.is_system_admin:
        return true()
    if not is_staff(principal):
        return false()
    return ExamSession.company_id == principal.company_id


def readable_sessions(principal: Principal) -> ColumnElement[bool]:
    """Condition on `ExamSession`: the company's sessions for its staff, one's own otherwise."""
    return or_(ExamSession.candidate_id == principal.user_id, managed(principal))


def session_not_found(session_id: int) -> NotFound:
    return NotFound(f"Exam session {session_id} was not found.")


def capacity(principal: Principal, session: ExamSession) -> As:
    """Staff of the session's company act as staff; its candidate as the candidate."""
    staff = principal.is_system_admin or (is_staff(principal) and principal.company_id == session.company_id)
    return As.STAFF if staff else As.CANDIDATE


async def load_session(
    db: AsyncSession,
    principal: Principal,
    *,
    need: As,
    session_id: int | None = None,
    token: str | None = None,
    lock: bool = False,
) -> tuple[ExamSession, Exam]:
    """The session (by id or by token) and its exam; 404 unseen, 403 when `need` is not met."""
    statement = select(ExamSession, Exam).join(Exam, Exam.id == ExamSession.exam_id)
    statement = statement.where(readable_sessions(principal))
    if session_id is not None:
        statement = statement.where(ExamSession.id == session_id)
    else:
        statement = statement.where(ExamSession.session_token == (token or ""))
    if lock:
        statement = statement.with_for_update(of=ExamSession)
    row = (await db.execute(statement)).tuples().first()
    if row is None:
        raise session_not_found(session_id or 0) if session_id else NotFound("No such exam session.")
    session, exam = row
    if need is As.CANDIDATE and session.candidate_id != principal.user_id:
        raise Forbidden("Only the session's candidate takes the exam.")
    if need is As.STAFF and capacity(principal, session) is not As.STAFF:
        raise Forbidden("Only the exam's company sees and grades the whole session.")
    return session, exam
