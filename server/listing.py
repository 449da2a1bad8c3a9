"""List parameters shared by every list route: pagination and sorting on allowed columns."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from litestar.params import Parameter
from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import FieldError, InvalidInput
from server.schemas import MAX_ID

MAX_LIMIT = 200
MAX_OFFSET = MAX_ID
"""No table has more rows than ids; a larger offset would overflow the database."""
T = TypeVar("T")

# Litestar checks query bounds given as `Parameter`, not as msgspec.Meta.
Limit = Annotated[int, Parameter(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Parameter(ge=0, le=MAX_OFFSET)]
PathId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Parameter(ge=1, le=MAX_ID)]


def where_given(statement: Select[Any], *conditions: tuple[Any, Any]) -> Select[Any]:
    """Add `column == value` for each (column, value) whose value the caller gave (not None)."""
    for column, value in conditions:
        if value is not None:
            statement = statement.where(column == value)
    return statement


def order_by(statement: Select[Any], sort: str, columns: dict[str, Any]) -> Select[Any]:
    """`sort=created_at` or `sort=-created_at`, on a column the route allows."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in columns:
        allowed = ", ".join(sorted(columns))
        raise InvalidInput(errors=[FieldError(field="sort", message=f"sort by one of: {allowed}")])
    column = columns[key]
    tiebreak = columns["id"]
    return statement.order_by(column.desc() if descending else column.asc(), tiebreak.asc())


async def paginate(
    db: AsyncSession, statement: Select[tuple[T]], limit: int, offset: int
) -> tuple[list[T], int]:
    """A page of entities and the total number of rows."""
    rows = list(await db.scalars(statement.limit(limit + 1).offset(offset)))
    return rows[:limit], await _total(db, statement, len(rows), limit, offset)


async def paginate_rows(
    db: AsyncSession, statement: Select[Any], limit: int, offset: int
) -> tuple[list[Row[Any]], int]:
    """A page of plain rows (the answer's columns only, no ORM objects) and the total."""
    rows = list(await db.execute(statement.limit(limit + 1).offset(offset)))
    return rows[:limit], await _total(db, statement, len(rows), limit, offset)


async def _total(db: AsyncSession, statement: Select[Any], fetched: int, limit: int, offset: int) -> int:
    """The page read one row past its end says whether it is the last: then the total is known
    without counting. Only a page with more after it (or one past the end) counts the rows."""
    if fetched <= limit and (fetched > 0 or offset == 0):
        return offset + fetched
    total = await db.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    return int(total or 0)
