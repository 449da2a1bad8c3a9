"""Refresh tokens and two-factor codes (seed section 11)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, CreatedAt, IntPK, Timestamps, flag
from models.enums import TwoFactorMethod
from models.types import StrEnumType, UTCDateTime


class RefreshToken(IntPK, Timestamps, Base):
    __tablename__ = "refresh_tokens"

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    is_active: Mapped[bool] = flag(True, index=True)


class TwoFactorCode(IntPK, CreatedAt, Base):
    __tablename__ = "two_factor_codes"

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    method: Mapped[TwoFactorMethod] = mapped_column(StrEnumType(TwoFactorMethod, 20), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    is_used: Mapped[bool] = flag(False, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
