"""The 16-type personality test (seed section 9)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Timestamps
from models.enums import MbtiStatus
from models.types import JSONText, StrEnumType, UTCDateTime, utc_now


class MbtiTestSession(IntPK, Timestamps, Base):
    __tablename__ = "mbti_test_sessions"

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    session_token: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    status: Mapped[MbtiStatus] = mapped_column(
        StrEnumType(MbtiStatus, 20),
        nullable=False,
        default=MbtiStatus.IN_PROGRESS,
        server_default="in_progress",
        index=True,
    )
    current_question: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    answers: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    e_score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    i_score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    s_score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    n_score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    t_score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    f_score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    j_score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    p_score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    result_type: Mapped[str | None] = mapped_column(String(4), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, server_default=utc_now())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
