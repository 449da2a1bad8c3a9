"""The second ceiling of `GET /api/positions`: ours minus the framework and the principal.

A bare ASGI app: the bearer token checked with PyJWT, then one ORM statement, `select(Position)`
of the caller's company with a window count for the total, through a plain SQLAlchemy async
engine (pool as ours, no pre-ping), each row turned into `PositionOut` by our own
`position_out` and encoded by msgspec. Between raw_list and this lies the ORM's cost; between
this and ours, Litestar's, the principal's and the extra count query's.

    DATABASE_URL=mysql+aiomysql://root@127.0.0.1:3306/miraiworks_bench SECRET_KEY=... \
        python -m uvicorn bench.ceilings.orm_list:app --host 127.0.0.1 --port 8002 --workers 2
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from models import Position, User
from server.domains.positions.schemas import PositionOut
from server.domains.positions.values import position_out

from .raw_list import bounded, positions_app


class Page(msgspec.Struct):
    items: list[PositionOut]
    total: int


ENCODER = msgspec.json.Encoder()


class State:
    engine: AsyncEngine | None = None
    sessions: async_sessionmaker[AsyncSession] | None = None


async def startup() -> None:
    size = int(os.environ.get("DB_POOL_SIZE") or 20)
    State.engine = create_async_engine(os.environ["DATABASE_URL"], pool_size=size, max_overflow=size)
    State.sessions = async_sessionmaker(State.engine, expire_on_commit=False, autoflush=False)


async def shutdown() -> None:
    if State.engine is not None:
        await State.engine.dispose()


async def page(user_id: int, query_string: bytes) -> bytes:
    query: dict[str, list[str]] = parse_qs(query_string.decode("latin-1"))
    limit = bounded(query, "limit", 20, 1, 200)
    offset = bounded(query, "offset", 0, 0, 2**31 - 1)
    statement = (
        select(Position, func.count().over())
        .join(User, User.company_id == Position.company_id)
        .where(User.id == user_id, User.is_deleted.is_(False), Position.is_deleted.is_(False))
        .order_by(Position.id.desc())
        .limit(limit)
        .offset(offset)
    )
    assert State.sessions is not None
    async with State.sessions() as session:
        rows: list[Any] = list((await session.execute(statement)).tuples())
    total = int(rows[0][1]) if rows else 0
    return ENCODER.encode(Page(items=[position_out(position) for position, _ in rows], total=total))


app = positions_app(startup, shutdown, page)
