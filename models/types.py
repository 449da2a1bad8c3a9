"""Column types shared by every model and by the migrations.

They keep the seed's column types (DATETIME, VARCHAR, TEXT) in the database while giving
the application aware datetimes, Python enums and decoded JSON. Migrations import these
too, so a model and its revision render the same DDL on MySQL/MariaDB and on SQLite.
"""

from __future__ import annotations

import enum
import logging
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import msgspec
from sqlalchemy import DateTime, Dialect, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine

MYSQL_DIALECTS = ("mysql", "mariadb")

LongText = Text().with_variant(mysql.LONGTEXT(), *MYSQL_DIALECTS)
"""The seed's LONGTEXT: TEXT caps at 64 KiB on MySQL, LONGTEXT at 4 GiB."""


logger = logging.getLogger(__name__)


class UTCDateTime(TypeDecorator[datetime]):
    """DATETIME stored as naive UTC, always returned timezone-aware.

    MySQL DATETIME has no zone and PyMySQL returns naive values; SQLite stores text.
    Naive input is refused rather than guessed, so no local time slips in. On MySQL the
    column keeps microseconds (DATETIME(6)).
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in MYSQL_DIALECTS:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


E = TypeVar("E", bound=enum.StrEnum)


class StrEnumType(TypeDecorator[E], Generic[E]):
    """A VARCHAR column whose allowed values are a Python enum.

    The column stays VARCHAR(n) as the seed defines it; the application refuses values
    outside the enum before they reach the database.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[E], length: int) -> None:
        super().__init__(length)
        self.enum_class = enum_class
        self.length = length

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self.enum_class(value)

    def __repr__(self) -> str:
        return f"StrEnumType({self.enum_class.__name__}, {self.length})"


class JSONText(TypeDecorator[Any]):
    """A TEXT (or LONGTEXT) column that holds a JSON document, as the seed's `(JSON)` columns do."""

    impl = Text
    cache_ok = True

    def __init__(self, long: bool = False) -> None:
        super().__init__()
        self.long = long

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if self.long and dialect.name in MYSQL_DIALECTS:
            return dialect.type_descriptor(mysql.LONGTEXT())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return msgspec.json.encode(value).decode()

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None or value == "":
            return None
        try:
            return msgspec.json.decode(value)
        except msgspec.DecodeError:
            # Text another writer left that is not JSON (hand-written SQL, an old import): the
            # row still loads, reading the column as empty, instead of failing every request.
            logger.warning("a JSON TEXT column holds text that is not JSON; read as NULL")
            return None

    def __repr__(self) -> str:
        return f"JSONText(long={self.long})"


class utc_now(FunctionElement[datetime]):  # noqa: N801 - reads as SQL
    """`DEFAULT NOW()` of the seed: CURRENT_TIMESTAMP, at microsecond precision on MySQL."""

    type = DateTime()
    inherit_cache = True


class utc_now_on_update(FunctionElement[datetime]):  # noqa: N801 - reads as SQL
    """`DEFAULT NOW() ON UPDATE NOW()`: MySQL refreshes the column on every UPDATE.

    SQLite has no ON UPDATE clause; there the ORM's `onupdate` sets the column.
    """

    type = DateTime()
    inherit_cache = True


@compiles(utc_now)
@compiles(utc_now_on_update)
def _now_default(element: FunctionElement[datetime], compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(utc_now, "mysql")
@compiles(utc_now, "mariadb")
def _now_mysql(element: utc_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP(6)"


@compiles(utc_now_on_update, "mysql")
@compiles(utc_now_on_update, "mariadb")
def _now_on_update_mysql(element: utc_now_on_update, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)"
