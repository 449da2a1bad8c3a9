"""Reading a stored session: its answers, its progress, and its API shapes in one language."""

from __future__ import annotations

from typing import Any

from models import MbtiTestSession
from models.enums import MbtiStatus
from server.domains.personality.bank import BY_ID, QUESTIONS, TOTAL
from server.domains.personality.poles import SCALE, SCALE_MAX, SCALE_MIN, Lang, Pole
from server.domains.personality.profiles import NOTE, PROFILES
from server.domains.personality.schemas import (
    AnswerOut,
    QuestionBank,
    QuestionOut,
    ResultOut,
    ScaleStep,
    Scores,
    SessionOut,
    SessionSummary,
)

DONE = (MbtiStatus.COMPLETED, MbtiStatus.SHARED)
SCORE_COLUMNS: dict[Pole, str] = {pole: f"{pole.value.lower()}_score" for pole in Pole}


def stored_answers(session: MbtiTestSession) -> dict[int, int]:
    """`answers` as question id -> value; the JSON keeps ids as strings (`{"1": 4}`)."""
    raw: Any = session.answers
    if not isinstance(raw, dict):
        return {}
    answers = {}
    for key, value in raw.items():
        known = str(key).isdigit() and int(key) in BY_ID
        if known and isinstance(value, int) and SCALE_MIN <= value <= SCALE_MAX:
            answers[int(key)] = value
    return answers


def to_stored(answers: dict[int, int]) -> dict[str, int]:
    return {str(question_id): answers[question_id] for question_id in sorted(answers)}


def unanswered(answers: dict[int, int]) -> list[int]:
    return [question.id for question in QUESTIONS if question.id not in answers]


def current_question(answers: dict[int, int]) -> int:
    """The lowest-numbered unanswered question; the last one once every question is answered."""
    missing = unanswered(answers)
    return missing[0] if missing else TOTAL


def question_out(question_id: int, lang: Lang) -> QuestionOut:
    return QuestionOut(id=question_id, text=BY_ID[question_id].text(lang))


def bank_out(lang: Lang) -> QuestionBank:
    return QuestionBank(
        lang=lang,
        total=TOTAL,
        scale=[ScaleStep(value=value, label=ja if lang == "ja" else en) for value, ja, en in SCALE],
        questions=[question_out(question.id, lang) for question in QUESTIONS],
    )


def result_out(session: MbtiTestSession, lang: Lang) -> ResultOut | None:
    if session.status not in DONE or session.result_type is None:
        return None
    scores = Scores(**{pole.value.lower(): getattr(session, SCORE_COLUMNS[pole]) for pole in Pole})
    profile = PROFILES.get(session.result_type)
    return ResultOut(
        result_type=session.result_type,
        scores=scores,
        name=profile.name(lang) if profile else session.result_type,
        summary=profile.summary(lang) if profile else "",
        note=NOTE[lang],
    )


def session_out(session: MbtiTestSession, lang: Lang, *, taker: bool) -> SessionOut:
    """The session as its taker sees it, or (`taker=False`) as the staff reading a shared result do."""
    answers = stored_answers(session)
    current = current_question(answers)
    open_ = session.status is MbtiStatus.IN_PROGRESS
    return SessionOut(
        id=session.id,
        user_id=session.user_id,
        company_id=session.company_id,
        status=session.status,
        shared_with_company=session.status is MbtiStatus.SHARED,
        current_question=session.current_question,
        answered=len(answers),
        total_questions=TOTAL,
        lang=lang,
        next_question=question_out(current, lang) if taker and open_ and current not in answers else None,
        answers=[AnswerOut(question_id=q, value=v) for q, v in sorted(answers.items())] if taker else None,
        result=result_out(session, lang),
        started_at=session.started_at,
        completed_at=session.completed_at,
        created_at=session.created_at,
        updated_at=session.updated_at,
    )


def summary_out(session: MbtiTestSession) -> SessionSummary:
    return SessionSummary(
        id=session.id,
        user_id=session.user_id,
        company_id=session.company_id,
        status=session.status,
        shared_with_company=session.status is MbtiStatus.SHARED,
        current_question=session.current_question,
        answered=len(stored_answers(session)),
        total_questions=TOTAL,
        result_type=session.result_type if session.status in DONE else None,
        started_at=session.started_at,
        completed_at=session.completed_at,
    )
