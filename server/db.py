"""Engine, session factory and the one-transaction-per-request session.

A request gets one session inside one transaction: it commits when the handler returns
and rolls back when it raises, so nothing is ever half-written. Domain events recorded
during the transaction are published only after the commit (see `server.events`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from server.errors import AppError
from server.events import EventHub, take_pending


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
            connect_args={"init_command": "SET time_zone = '+00:00'"},
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
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession], hub: EventHub
) -> AsyncIterator[AsyncSession]:
    """Yield a session in a transaction that commits on success and rolls back on error.

    Events recorded during the transaction are published after the commit, never before.
    """
    async with sessionmaker() as session:
        await session.begin()
        try:
            yield session
        except AppError as exc:
            await (session.commit() if exc.keep_changes else session.rollback())
            raise
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
        for pending in take_pending(session):
            await hub.publish(pending)
