"""Exams and sessions as the API answers them, and the shapes of the sessions' JSON columns.

`exam_sessions.answers` holds one entry per question id: `{"answer": ..., "points": n|null,
"correct": bool|null, "feedback": str|null}`; points are filled on submit (machine-scored
questions) or by a grader (essays). `violations` is a list of `{"kind", "at"}` in server time;
`proctoring_data` keeps the counts per kind and the sockets that joined the session.

A randomized exam's order is derived, not stored: the questions shuffled by a `random.Random`
seeded with the session's token, so it is the same on every load and every process, and differs
between sessions (their tokens are unguessable and distinct).
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

import msgspec

from models import Exam, ExamSession
from models.enums import ExamSessionStatus
from server.domains.exams import questions as q
from server.domains.exams import timing
from server.domains.exams.schemas import (
    CandidateResult,
    ExamOut,
    ExamSessionOut,
    ExamSessionState,
    Outcome,
    QuestionResult,
    SessionSummary,
    Violation,
)

FINISHED = (ExamSessionStatus.SUBMITTED, ExamSessionStatus.GRADED, ExamSessionStatus.EXPIRED)


def exam_out(exam: Exam) -> ExamOut:
    return ExamOut(
        id=exam.id,
        company_id=exam.company_id,
        title=exam.title,
        description=exam.description,
        instructions=exam.instructions,
        category=exam.category,
        difficulty=exam.difficulty,
        duration_minutes=exam.duration_minutes,
        total_questions=exam.total_questions,
        passing_score=exam.passing_score,
        max_attempts=exam.max_attempts,
        is_randomized=exam.is_randomized,
        show_results=exam.show_results,
        show_correct_answers=exam.show_correct_answers,
        status=exam.status,
        questions=q.load(exam.questions),
        settings=exam.settings or {},
        created_by=exam.created_by,
        created_at=exam.created_at,
        updated_at=exam.updated_at,
    )


def ordered(session: ExamSession, exam: Exam) -> list[q.Question]:
    """The session's questions in its order (see the module docstring)."""
    found = q.load(exam.questions)
    if exam.is_randomized:
        random.Random(session.session_token).shuffle(found)  # noqa: S311 - an order, not a secret
    return found


def entries(session: ExamSession) -> dict[str, dict[str, Any]]:
    stored = session.answers
    return {k: dict(v) for k, v in stored.items() if isinstance(v, dict)} if isinstance(stored, dict) else {}


def responses(session: ExamSession) -> dict[str, q.Answer]:
    return {k: v.get("answer") for k, v in entries(session).items() if v.get("answer") is not None}


def violations(session: ExamSession) -> list[Violation]:
    stored = session.violations if isinstance(session.violations, list) else []
    return msgspec.convert(stored, list[Violation])


def _results(session: ExamSession, exam: Exam) -> list[QuestionResult]:
    stored = entries(session)
    found = []
    for item in q.load(exam.questions):
        entry = stored.get(str(q.key(item)), {})
        found.append(
            QuestionResult(
                question_id=q.key(item),
                type=type(item).__struct_config__.tag,  # type: ignore[arg-type]
                answer=entry.get("answer"),
                points=entry.get("points"),
                max_points=item.points,
                correct=entry.get("correct"),
                feedback=entry.get("feedback"),
            )
        )
    return found


def session_out(session: ExamSession, exam: Exam) -> ExamSessionOut:
    return ExamSessionOut(
        id=session.id,
        exam_id=exam.id,
        exam_title=exam.title,
        candidate_id=session.candidate_id,
        company_id=session.company_id,
        status=session.status,
        attempt_number=session.attempt_number,
        started_at=session.started_at,
        deadline=timing.deadline(session, exam),
        submitted_at=session.submitted_at,
        time_remaining=_remaining(session, exam),
        current_question=session.current_question,
        score=session.score,
        passed=session.passed,
        feedback=session.feedback,
        ip_address=session.ip_address,
        user_agent=session.user_agent,
        proctoring_enabled=session.proctoring_enabled,
        violations=violations(session),
        results=_results(session, exam) if session.status in FINISHED else [],
        created_at=session.created_at,
        updated_at=session.updated_at,
    )


def _remaining(session: ExamSession, exam: Exam) -> int | None:
    """Live while in progress; what was left at submission afterwards."""
    if session.status is ExamSessionStatus.IN_PROGRESS:
        return timing.remaining(session, exam)
    return session.time_remaining


def _outcome(session: ExamSession, exam: Exam) -> Outcome | None:
    if not exam.show_results or session.status is not ExamSessionStatus.GRADED:
        return None
    keys = {q.key(item): item for item in q.load(exam.questions)}
    results = []
    for found in _results(session, exam):
        result = CandidateResult(
            question_id=found.question_id,
            points=found.points,
            max_points=found.max_points,
            correct=found.correct,
            feedback=found.feedback,
        )
        if exam.show_correct_answers:
            result.correct_answer = q.correct_answer(keys[found.question_id])
        results.append(result)
    return Outcome(score=session.score, passed=session.passed, feedback=session.feedback, results=results)


def state_out(session: ExamSession, exam: Exam, at: datetime | None = None) -> ExamSessionState:
    return ExamSessionState(
        id=session.id,
        exam_id=exam.id,
        exam_title=exam.title,
        instructions=exam.instructions,
        session_token=session.session_token,
        status=session.status,
        attempt_number=session.attempt_number,
        max_attempts=exam.max_attempts,
        duration_minutes=exam.duration_minutes,
        started_at=session.started_at,
        deadline=timing.deadline(session, exam),
        server_time=at or timing.now(),
        time_remaining=_remaining(session, exam),
        submitted_at=session.submitted_at,
        current_question=session.current_question,
        proctoring_enabled=session.proctoring_enabled,
        questions=[q.view(item) for item in ordered(session, exam)],
        answers=responses(session),
        result=_outcome(session, exam),
    )


def summary_out(session: ExamSession, exam: Exam) -> SessionSummary:
    shown = exam.show_results and session.status is ExamSessionStatus.GRADED
    return SessionSummary(
        id=session.id,
        exam_id=exam.id,
        exam_title=exam.title,
        status=session.status,
        attempt_number=session.attempt_number,
        started_at=session.started_at,
        deadline=timing.deadline(session, exam),
        submitted_at=session.submitted_at,
        score=session.score if shown else None,
        passed=session.passed if shown else None,
    )
