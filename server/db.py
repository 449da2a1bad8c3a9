"""Engine, session factory and the one-transaction-per-request session.

A request gets one session inside one transaction: it commits when the handler returns
and rolls back when it raises, so nothing is ever half-written. Domain events recorded
during the transaction are applied only after the commit (see `server.effects`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, event, insert, inspect
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from server import effects
from server.auth.principals import announce_committed
from server.errors import AppError

if TYPE_CHECKING:
    from models import Base
    from server.context import AppContext


def create_engine(database_url: str, pool_size: int = 20) -> AsyncEngine:
    """The pool holds `pool_size` connections per process and lends as many more under a burst.

    No ping before each checkout (a round trip per request): connections are replaced after
    an hour, well inside the server's `wait_timeout`, and one that died with the server is
    detected by its first failing query, which invalidates the pool (the request answers 503
    `service_unavailable`; the next one connects afresh).
    """
    url = make_url(database_url)
    kwargs: dict[str, Any]
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"connect_args": {"timeout": 30}}
    else:
        kwargs = dict(
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=3600,
            # CURRENT_TIMESTAMP defaults must be UTC whatever the server's own zone is; a server
            # that accepts but never answers must not hang a request for minutes.
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
        # The transaction begins at the first statement: an event that never reads the database
        # (a signaling relay, a principal from the cache) opens and ends none.
        try:
            yield session
        except AppError as exc:
            if not exc.keep_changes:
                effects.drop(session)
                await session.rollback()
                raise
            await _end(ctx, session)
            raise
        except BaseException:
            effects.drop(session)
            await session.rollback()
            raise
        await _end(ctx, session)


async def _end(ctx: AppContext, session: AsyncSession) -> None:
    """Commit what was written (a unit that only read ends its transaction without one),
    then announce and apply its effects."""
    try:
        if session.info.pop(_WROTE, False) or session.new or session.dirty or session.deleted:
            await session.commit()
        elif session.in_transaction():
            await session.rollback()
    except BaseException:
        effects.drop(session)
        raise
    await announce_committed(ctx.principals, session)
    await effects.apply_all(ctx, effects.take(session))


_WROTE = "miraiworks.wrote"


def _note_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    session.info[_WROTE] = True


def watch_writes() -> None:
    """Mark a session that wrote (idempotent): only such a unit of work commits."""
    if not event.contains(Session, "do_orm_execute", _note_write):
        event.listen(Session, "do_orm_execute", _note_write)
        event.listen(Session, "after_flush", _note_flush)


class RowInsert:
    """An INSERT of one row of a model, by attribute name, straight through Core.

    For hot paths that never change the row again in their unit of work: the statement is
    built once, so SQLAlchemy reuses its cache key and compiled form, and the row costs none of
    the unit of work's bookkeeping. The flush events do not see it: audit it with
    `server.audit.inserted`.
    """

    def __init__(self, model: type[Base]) -> None:
        self.statement = insert(cast(Table, model.__table__))
        self._columns = {attr.key: attr.columns[0].key for attr in inspect(model).column_attrs}

    async def __call__(self, db: AsyncSession, values: Mapping[str, Any]) -> int:
        """Store the row; its new id."""
        row = {self._columns[key]: value for key, value in values.items()}
        result = cast(CursorResult[Any], await db.execute(self.statement, row))
        return int(result.lastrowid)
