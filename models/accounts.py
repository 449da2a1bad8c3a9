"""Companies, users and their roles (seed section 1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, SoftDelete, Timestamps, flag, table_args
from models.enums import CompanyType
from models.types import UTCDateTime, utc_now


class Company(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "companies"

    name: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    type: Mapped[CompanyType] = mapped_column(
        Enum(CompanyType, name="company_type"), nullable=False, index=True
    )
    email: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    phone: Mapped[str] = mapped_column(String(50), nullable=False)
    website: Mapped[str | None] = mapped_column(String(255))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    prefecture: Mapped[str | None] = mapped_column(String(50))
    city: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[str] = mapped_column(
        String(1), nullable=False, default="1", server_default="1", index=True
    )
    is_demo: Mapped[bool] = flag(False, index=True)
    demo_end_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    demo_features: Mapped[str | None] = mapped_column(Text)
    demo_notes: Mapped[str | None] = mapped_column(Text)


class User(IntPK, SoftDelete, Timestamps, Base):
    __tablename__ = "users"

    company_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(255), nullable=False, unique=True, index=True)
    hashed_password: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool] = flag(False, index=True)
    is_admin: Mapped[bool] = flag(False, index=True)
    require_2fa: Mapped[bool] = flag(False, index=True)
    last_login: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_suspended: Mapped[bool] = flag(False, index=True)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_by: Mapped[int | None] = mapped_column(Integer)


class Role(IntPK, Timestamps, Base):
    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = flag(True)


class UserRole(IntPK, Base):
    __tablename__ = "user_roles"
    __table_args__ = table_args(UniqueConstraint("user_id", "role_id"))

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    role_id: Mapped[int] = mapped_column(Integer, ForeignKey("roles.id", ondelete="CASCADE"), nullable=False)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, server_default=utc_now())
    assigned_by: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))
