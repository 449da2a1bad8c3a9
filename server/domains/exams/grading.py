"""Ending a session and scoring it: automatic on submit, by a grader for essays.

`finish` scores every machine-scored question (choices, true/false, short text) at once; an
answered essay leaves the session `submitted`, waiting for a grader, whose `grade` fills in
its points and feedback. When nothing waits any more the session is `graded`: `score` is the
percentage of the exam's points earned (rounded half up), `passed` is score >= passing_score.
An unanswered essay scores 0 without a grader.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from models import Exam, ExamSession
from models.enums import ExamSessionStatus, Priority
from server.domains.exams import live, timing
from server.domains.exams import questions as q
from server.domains.exams.questions import invalid
from server.domains.exams.schemas import Grades
from server.domains.exams.views import entries
from server.domains.notifications.services import notify

Reason = Literal["candidate", "deadline"]


def link(session: ExamSession) -> str:
    return f"/exams/sessions/{session.id}"


def _settle_score(session: ExamSession, exam: Exam, found: dict[str, dict[str, object]]) -> bool:
    """Score and pass mark when no question waits for a grader; True when it is graded."""
    items = q.load(exam.questions)
    if any(found.get(str(q.key(item)), {}).get("points") is None for item in items):
        session.status = ExamSessionStatus.SUBMITTED
        return False
    total = sum(item.points for item in items)
    earned = sum(int(found[str(q.key(item))]["points"]) for item in items)  # type: ignore[call-overload]
    session.score = (200 * earned + total) // (2 * total) if total else 0
    session.passed = session.score >= exam.passing_score
    session.status = ExamSessionStatus.GRADED
    return True


async def finish(db: AsyncSession, session: ExamSession, exam: Exam, *, reason: Reason, at: datetime) -> None:
    """Submit the session as it stands at `at` (the deadline itself for an automatic submit)."""
    found = entries(session)
    for item in q.load(exam.questions):
        entry = found.setdefault(str(q.key(item)), {"answer": None})
        scored = q.auto_score(item, entry.get("answer"))
        entry["points"], entry["correct"] = scored if scored is not None else (None, None)
        entry.setdefault("feedback", None)
    session.answers = found
    session.submitted_at = at
    session.time_remaining = timing.remaining(session, exam, at)
    if not _settle_score(session, exam, found):
        await notify(
            db,
            user_id=exam.created_by,
            type="exam_awaiting_grading",
            title=f"Essays to grade: {exam.title}"[:255],
            message="A candidate submitted an exam whose essays wait for a grader.",
            category="exam",
            data={"exam_id": exam.id, "session_id": session.id},
            action_url=f"/exams/{exam.id}/sessions/{session.id}",
        )
    live.submitted(db, session, reason)
    await db.flush()


async def grade(db: AsyncSession, session: ExamSession, exam: Exam, data: Grades, grader: int) -> None:
    """Points and feedback for essays; the session is graded once every essay has points."""
    items = {q.key(item): item for item in q.load(exam.questions)}
    found = entries(session)
    for index, given in enumerate(data.grades):
        item = items.get(given.question_id)
        at = f"grades[{index}]"
        if item is None:
            raise invalid(f"{at}.question_id", "no question of this exam")
        if not isinstance(item, q.Essay):
            raise invalid(f"{at}.question_id", "only essays are graded by hand")
        if given.points > item.points:
            raise invalid(f"{at}.points", f"at most {item.points}")
        entry = found.setdefault(str(given.question_id), {"answer": None})
        entry.update(points=given.points, correct=None, feedback=given.feedback, graded_by=grader)
    if data.feedback is not None:
        session.feedback = data.feedback
    session.answers = found
    was = session.status
    if _settle_score(session, exam, found) and was is not ExamSessionStatus.GRADED and exam.show_results:
        await notify(
            db,
            user_id=session.candidate_id,
            type="exam_graded",
            title=f"Exam result: {exam.title}"[:255],
            message="Your exam has been graded.",
            category="exam",
            priority=Priority.NORMAL,
            data={"exam_id": exam.id, "session_id": session.id},
            action_url=link(session),
        )
    await db.flush()
