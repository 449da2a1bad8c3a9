"""Engine, session factory and the one-transaction-per-request session.

A request gets one session inside one transaction: it commits when the handler returns
and rolls back when it raises, so nothing is ever half-written. Domain events recorded
during the transaction are applied only after the commit (see `server.effects`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from server import effects
from server.errors import AppError

if TYPE_CHECKING:
    from server.context import AppContext


def create_engine(database_url: str, pool_size: int = 20) -> AsyncEngine:
    url = make_url(database_url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"connect_args": {"timeout": 30}}
    else:
        # CURRENT_TIMESTAMP defaults must be UTC whatever the server's own zone is.
        kwargs.update(
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=3600,
            # A server that accepts but never answers must not hang a request for minutes.
            connect_args={"init_command": "SET time_zone = '+00:00'", "connect_timeout": 10},
        )
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Foreign keys (and so ON DELETE rules) are off in SQLite unless each connection asks."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def unit_of_work(ctx: AppContext) -> AsyncIterator[AsyncSession]:
    """Yield a session in a transaction that commits on success and rolls back on error.

    Effects recorded during the transaction (`server.effects`: events, pushes, room changes,
    shared-state writes, jobs) are applied after the commit, never before, and dropped when
    the transaction rolls back or the commit itself fails.
    """
    async with ctx.sessionmaker() as session:
        await session.begin()
        try:
            yield session
        except AppError as exc:
            if not exc.keep_changes:
                effects.drop(session)
                await session.rollback()
                raise
            await _commit(session)
            await effects.apply_all(ctx, effects.take(session))
            raise
        except BaseException:
            effects.drop(session)
            await session.rollback()
            raise
        await _commit(session)
        await effects.apply_all(ctx, effects.take(session))


async def _commit(session: AsyncSession) -> None:
    try:
        await session.commit()
    except BaseException:
        effects.drop(session)
        raise
