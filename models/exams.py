"""Exams and candidates' attempts at them (seed section 8)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, SoftDelete, Timestamps, flag
from models.enums import ExamDifficulty, ExamSessionStatus, ExamStatus
from models.types import JSONText, StrEnumType, UTCDateTime


class Exam(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "exams"

    title: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    description: Mapped[str | None] = mapped_column(Text)
    instructions: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(50), index=True)
    difficulty: Mapped[ExamDifficulty] = mapped_column(
        StrEnumType(ExamDifficulty, 20),
        nullable=False,
        default=ExamDifficulty.MEDIUM,
        server_default="medium",
    )
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=60, server_default="60")
    total_questions: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    passing_score: Mapped[int] = mapped_column(Integer, nullable=False, default=70, server_default="70")
    max_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    is_randomized: Mapped[bool] = flag(False)
    show_results: Mapped[bool] = flag(True)
    show_correct_answers: Mapped[bool] = flag(False)
    status: Mapped[ExamStatus] = mapped_column(
        StrEnumType(ExamStatus, 20),
        nullable=False,
        default=ExamStatus.DRAFT,
        server_default="draft",
        index=True,
    )
    questions: Mapped[Any] = mapped_column(JSONText(long=True), nullable=False)
    settings: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_by: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False)


class ExamSession(IntPK, Timestamps, Base):
    __tablename__ = "exam_sessions"

    exam_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("exams.id", ondelete="CASCADE"), nullable=False, index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    session_token: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    status: Mapped[ExamSessionStatus] = mapped_column(
        StrEnumType(ExamSessionStatus, 20),
        nullable=False,
        default=ExamSessionStatus.NOT_STARTED,
        server_default="not_started",
        index=True,
    )
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    time_remaining: Mapped[int | None] = mapped_column(Integer)
    current_question: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    answers: Mapped[Any] = mapped_column(JSONText(long=True), nullable=True)
    score: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    feedback: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(Text)
    browser_info: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    attempt_number: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    proctoring_enabled: Mapped[bool] = flag(False)
    proctoring_data: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    violations: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
