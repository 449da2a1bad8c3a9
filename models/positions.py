"""Job positions (seed section 2)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, SoftDelete, Timestamps, flag
from models.enums import EmploymentType, ExperienceLevel, PositionStatus
from models.types import JSONText, LongText, StrEnumType


class Position(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "positions"

    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    description: Mapped[str | None] = mapped_column(LongText)
    requirements: Mapped[str | None] = mapped_column(LongText)
    location: Mapped[str | None] = mapped_column(String(255))
    employment_type: Mapped[EmploymentType | None] = mapped_column(StrEnumType(EmploymentType, 50))
    salary_range: Mapped[str | None] = mapped_column(String(100))
    experience_level: Mapped[ExperienceLevel | None] = mapped_column(StrEnumType(ExperienceLevel, 50))
    status: Mapped[PositionStatus] = mapped_column(
        StrEnumType(PositionStatus, 20),
        nullable=False,
        default=PositionStatus.DRAFT,
        server_default="draft",
        index=True,
    )
    posted_date: Mapped[date | None] = mapped_column(Date)
    application_deadline: Mapped[date | None] = mapped_column(Date)
    is_remote: Mapped[bool] = flag(False)
    benefits: Mapped[str | None] = mapped_column(Text)
    skills_required: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    skills_preferred: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    created_by: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False)
