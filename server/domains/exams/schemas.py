"""What the exams API says and accepts: exams (staff), sessions as staff see them, and the
candidate's own view of a session, which never carries an answer key unless the exam shows
correct answers after grading."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from models.enums import ExamDifficulty, ExamSessionStatus, ExamStatus
from server.domains.exams.questions import Answer, Question, QuestionId, Questions, QuestionView
from server.schemas import Id, Title

Text = Annotated[str, msgspec.Meta(max_length=10_000)]
Category = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=24 * 60)]
Percent = Annotated[int, msgspec.Meta(ge=0, le=100)]
Attempts = Annotated[int, msgspec.Meta(ge=1, le=100)]
Feedback = Annotated[str, msgspec.Meta(max_length=10_000)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
Kind = Literal["tab_hidden", "window_blur", "paste", "fullscreen_exit", "copy", "multiple_sockets"]


class ExamOut(msgspec.Struct, kw_only=True):
    id: int
    company_id: int
    title: str
    description: str | None
    instructions: str | None
    category: str | None
    difficulty: ExamDifficulty
    duration_minutes: int
    total_questions: int
    passing_score: int
    max_attempts: int
    is_randomized: bool
    show_results: bool
    show_correct_answers: bool
    status: ExamStatus
    questions: list[Question]
    settings: dict[str, Any]
    created_by: int
    created_at: datetime
    updated_at: datetime


class ExamCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new exam is a draft; `POST /api/exams/{id}/publish` makes it assignable."""

    title: Title
    description: Text | None = None
    instructions: Text | None = None
    category: Category | None = None
    difficulty: ExamDifficulty = ExamDifficulty.MEDIUM
    duration_minutes: Minutes = 60
    passing_score: Percent = 70
    max_attempts: Attempts = 1
    is_randomized: bool = False
    show_results: bool = True
    show_correct_answers: bool = False
    questions: Questions = []
    settings: dict[str, Any] = {}
    """Free-form; `proctoring_enabled: true` records proctoring events in sessions assigned from
    then on (`version_of` is set by `POST /api/exams/{id}/versions`)."""
    company_id: Id | None = None
    """Only a system_admin names the company; staff write exams of their own."""


class ExamUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Once a published exam has sessions, its questions, duration and randomization are fixed
    (409 `exam_in_use`): `POST /api/exams/{id}/versions` makes an editable copy."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType | None = msgspec.UNSET
    instructions: Text | msgspec.UnsetType | None = msgspec.UNSET
    category: Category | msgspec.UnsetType | None = msgspec.UNSET
    difficulty: ExamDifficulty | msgspec.UnsetType = msgspec.UNSET
    duration_minutes: Minutes | msgspec.UnsetType = msgspec.UNSET
    passing_score: Percent | msgspec.UnsetType = msgspec.UNSET
    max_attempts: Attempts | msgspec.UnsetType = msgspec.UNSET
    is_randomized: bool | msgspec.UnsetType = msgspec.UNSET
    show_results: bool | msgspec.UnsetType = msgspec.UNSET
    show_correct_answers: bool | msgspec.UnsetType = msgspec.UNSET
    questions: Questions | msgspec.UnsetType = msgspec.UNSET
    settings: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET


class Assignment(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    candidate_id: Id


class QuestionResult(msgspec.Struct, kw_only=True):
    question_id: int
    type: str
    answer: Answer
    points: int | None
    """Null while an essay waits for its grader."""
    max_points: int
    correct: bool | None
    feedback: str | None


class Violation(msgspec.Struct, kw_only=True):
    kind: str
    at: datetime
    """Server time."""


class ExamSessionOut(msgspec.Struct, kw_only=True):
    """A session as the exam's company sees it: answers, results and proctoring included."""

    id: int
    exam_id: int
    exam_title: str
    candidate_id: int
    company_id: int
    status: ExamSessionStatus
    attempt_number: int
    started_at: datetime | None
    deadline: datetime | None
    submitted_at: datetime | None
    time_remaining: int | None
    current_question: int
    score: int | None
    passed: bool | None
    feedback: str | None
    ip_address: str | None
    user_agent: str | None
    proctoring_enabled: bool
    violations: list[Violation]
    results: list[QuestionResult]
    created_at: datetime
    updated_at: datetime


class CandidateResult(msgspec.Struct, kw_only=True):
    question_id: int
    points: int | None
    max_points: int
    correct: bool | None
    feedback: str | None
    correct_answer: Answer | msgspec.UnsetType = msgspec.UNSET
    """Only when the exam shows correct answers."""


class Outcome(msgspec.Struct, kw_only=True):
    score: int | None
    passed: bool | None
    feedback: str | None
    results: list[CandidateResult]


class ExamSessionState(msgspec.Struct, kw_only=True):
    """The candidate's own session: questions without keys, their answers, the server's clock.

    `result` is set once the session is graded and only when the exam shows results."""

    id: int
    exam_id: int
    exam_title: str
    instructions: str | None
    session_token: str
    """Names the session in socket events (`exam:join`)."""
    status: ExamSessionStatus
    attempt_number: int
    max_attempts: int
    duration_minutes: int
    started_at: datetime | None
    deadline: datetime | None
    """started_at + the exam's duration, by the server's clock."""
    server_time: datetime
    time_remaining: int | None
    """Seconds, from the server's clock."""
    submitted_at: datetime | None
    current_question: int
    """Index into `questions` (the session's order)."""
    proctoring_enabled: bool
    """The candidate is told up front that tab switches, pastes and the like are recorded."""
    questions: list[QuestionView]
    answers: dict[str, Answer]
    """By question id."""
    result: Outcome | None


class AnswerIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question_id: QuestionId
    answer: Answer


class Move(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    current_question: Annotated[int, msgspec.Meta(ge=0, le=1_000)]


class Grade(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    question_id: QuestionId
    points: Annotated[int, msgspec.Meta(ge=0, le=1_000)]
    feedback: Feedback | None = None


class Grades(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    grades: Annotated[list[Grade], msgspec.Meta(min_length=1, max_length=500)]
    feedback: Feedback | None = None
    """Overall feedback (the session's `feedback`)."""


class SessionFilters(msgspec.Struct, kw_only=True, frozen=True):
    exam_id: Id | None = None
    candidate_id: Id | None = None
    status: ExamSessionStatus | None = None


# Socket payloads


class JoinSession(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    session_token: Token


class SocketAnswer(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    session_token: Token
    question_id: QuestionId
    answer: Answer


class SocketMove(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    session_token: Token
    current_question: Annotated[int, msgspec.Meta(ge=0, le=1_000)]


class ProctoringEvent(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    session_token: Token
    kind: Kind


class WatchSession(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    session_id: Id


class Tick(msgspec.Struct, kw_only=True):
    session_id: int
    time_remaining: int
    deadline: datetime
    server_time: datetime


class ViolationPush(msgspec.Struct, kw_only=True):
    session_id: int
    candidate_id: int
    kind: str
    at: datetime
    count: int
    """How many events of this kind the session has recorded."""


class Submitted(msgspec.Struct, kw_only=True):
    session_id: int
    status: ExamSessionStatus
    submitted_at: datetime
    reason: Literal["candidate", "deadline"]


class SessionSummary(msgspec.Struct, kw_only=True):
    """One of the candidate's sessions in their list (score only where the exam shows results)."""

    id: int
    exam_id: int
    exam_title: str
    status: ExamSessionStatus
    attempt_number: int
    started_at: datetime | None
    deadline: datetime | None
    submitted_at: datetime | None
    score: int | None
    passed: bool | None


class SessionAck(msgspec.Struct, kw_only=True):
    """The ack of `exam:join`, `exam:answer`, `exam:move` and `exam:submit`."""

    session: ExamSessionState
    deadline: datetime | None
    time_remaining: int | None


class RecordedAck(msgspec.Struct, kw_only=True):
    recorded: bool
    """False when the session is not proctored (nothing stored)."""


class WatchAck(msgspec.Struct, kw_only=True):
    session: ExamSessionOut
