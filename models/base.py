"""Declarative base, naming convention and the column groups the seed repeats.

Every table carries the MySQL options of the seed (InnoDB, utf8mb4, utf8mb4_unicode_ci);
constraint and index names follow one convention so migrations can address them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, Integer, MetaData, false, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.schema import SchemaItem

from models.types import UTCDateTime, utc_now, utc_now_on_update

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MYSQL_TABLE_OPTIONS: dict[str, str] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}


def table_args(*items: SchemaItem) -> tuple[Any, ...]:
    """`__table_args__` for a model that adds constraints or indexes to the MySQL options."""
    return (*items, dict(MYSQL_TABLE_OPTIONS))


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    __table_args__: Any = MYSQL_TABLE_OPTIONS


def flag(default: bool, *, index: bool = False, sort_order: int = 0) -> Mapped[bool]:
    """A NOT NULL BOOLEAN with the seed's DEFAULT TRUE / FALSE, filled in by the database."""
    return mapped_column(
        Boolean,
        nullable=False,
        default=default,
        server_default=true() if default else false(),
        index=index,
        sort_order=sort_order,
    )


def created_at_column(*, index: bool = False) -> Mapped[datetime]:
    """`DATETIME NOT NULL DEFAULT NOW()`."""
    return mapped_column(UTCDateTime, nullable=False, server_default=utc_now(), index=index, sort_order=1000)


class IntPK:
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True, sort_order=-1000)


class CreatedAt:
    created_at: Mapped[datetime] = created_at_column()


class Timestamps(CreatedAt):
    """created_at and updated_at; MySQL refreshes updated_at itself, the ORM does elsewhere."""

    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        server_default=utc_now_on_update(),
        onupdate=utcnow,
        sort_order=1001,
    )


class SoftDelete:
    """The seed's logical deletion triple; `is_deleted` is indexed on every such table."""

    is_deleted: Mapped[bool] = flag(False, index=True, sort_order=900)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, sort_order=901)
    deleted_by: Mapped[int | None] = mapped_column(Integer, sort_order=902)

    def mark_deleted(self, by_user_id: int | None) -> None:
        self.is_deleted = True
        self.deleted_at = utcnow()
        self.deleted_by = by_user_id

    def restore(self) -> None:
        self.is_deleted = False
        self.deleted_at = None
        self.deleted_by = None
