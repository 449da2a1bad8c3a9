"""What the API says about personality test sessions, and what it accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from models.enums import MbtiStatus
from server.domains.personality.bank import TOTAL
from server.domains.personality.poles import SCALE_MAX, SCALE_MIN, Lang
from server.schemas import Id

QuestionId = Annotated[int, msgspec.Meta(ge=1, le=TOTAL)]
"""1 to 60: a number outside the bank is a 422."""
Value = Annotated[int, msgspec.Meta(ge=SCALE_MIN, le=SCALE_MAX)]
"""The Likert answer: 1 (not at all like me) to 5 (very much like me)."""


class AnswerIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question_id: QuestionId
    value: Value


AnswerBatch = Annotated[list[AnswerIn], msgspec.Meta(min_length=1, max_length=TOTAL)]
"""Several answers at once, each question at most once; answering a question again replaces its answer."""


class ScaleStep(msgspec.Struct, kw_only=True):
    value: int
    label: str


class QuestionOut(msgspec.Struct, kw_only=True):
    id: int
    text: str
    """In the language asked for; which pole a question leans towards is not part of the API."""


class QuestionBank(msgspec.Struct, kw_only=True):
    lang: Lang
    total: int
    scale: list[ScaleStep]
    questions: list[QuestionOut]


class Scores(msgspec.Struct, kw_only=True):
    """Percentages per pole: e + i = s + n = t + f = j + p = 100."""

    e: int
    i: int
    s: int
    n: int
    t: int
    f: int
    j: int
    p: int


class ResultOut(msgspec.Struct, kw_only=True):
    result_type: str
    scores: Scores
    name: str
    """The type's name on its result page, in the language asked for."""
    summary: str
    note: str
    """What the result is not: a measure of ability or of fitness for any job."""


class AnswerOut(msgspec.Struct, kw_only=True):
    question_id: int
    value: int


class SessionOut(msgspec.Struct, kw_only=True):
    id: int
    user_id: int
    company_id: int
    status: MbtiStatus
    shared_with_company: bool
    """The taker shared the result with their company's staff (company_admin, recruiter, employer)."""
    current_question: int
    """The lowest-numbered unanswered question (the last question once every one is answered)."""
    answered: int
    total_questions: int
    lang: Lang
    next_question: QuestionOut | None
    """While in progress, for the taker: the question to show next, in `lang`."""
    answers: list[AnswerOut] | None
    """For the taker only; someone reading a shared result sees the result, not the answers."""
    result: ResultOut | None
    """Once completed."""
    started_at: datetime
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class SessionSummary(msgspec.Struct, kw_only=True):
    id: int
    user_id: int
    company_id: int
    status: MbtiStatus
    shared_with_company: bool
    current_question: int
    answered: int
    total_questions: int
    result_type: str | None
    started_at: datetime
    completed_at: datetime | None


class SessionFilters(msgspec.Struct, kw_only=True, frozen=True):
    """What a list of sessions may be narrowed by. Never the type or a score (see the README)."""

    user_id: Id | None = None
    status: MbtiStatus | None = None
