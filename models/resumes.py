"""Resumes (seed section 7)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, SoftDelete, Timestamps, flag
from models.enums import ResumeStatus, ResumeVisibility
from models.types import JSONText, StrEnumType


class Resume(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "resumes"

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    template_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[ResumeStatus] = mapped_column(
        StrEnumType(ResumeStatus, 20),
        nullable=False,
        default=ResumeStatus.DRAFT,
        server_default="draft",
        index=True,
    )
    visibility: Mapped[ResumeVisibility] = mapped_column(
        StrEnumType(ResumeVisibility, 20),
        nullable=False,
        default=ResumeVisibility.PRIVATE,
        server_default="private",
        index=True,
    )
    content: Mapped[Any] = mapped_column(JSONText(long=True), nullable=True)
    summary: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    languages: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    certifications: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    education: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    experience: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    projects: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    references: Mapped[Any] = mapped_column(JSONText(), nullable=True)
    is_public: Mapped[bool] = flag(False, index=True)
    public_slug: Mapped[str | None] = mapped_column(String(100), unique=True)
    download_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    view_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    company_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
