"""What a failure of the database or Redis means for the caller, whatever raised it.

Two kinds are not the caller's fault and not a bug either, so they never answer 500:
- contention: the database refused a transaction to break a deadlock (MySQL 1213), gave up
  waiting for a row lock (1205), or SQLite found its file locked. Running the whole unit of work
  again usually succeeds (`server.retry`); when it keeps failing the caller is told to come back.
- outage: the database or Redis cannot be reached (refused, dropped, timed out, no free
  connection in the pool, or the database takes no more connections). The caller is told to
  come back; `/health/ready` says which one is down.
"""

from __future__ import annotations

from collections.abc import Iterator

import redis.exceptions
from sqlalchemy import exc as sa

CONTENTION_CODES = frozenset({1205, 1213})
"""MySQL/MariaDB: lock wait timeout exceeded, deadlock found."""
CONNECTION_CODES = frozenset({1040, 1203, 2002, 2003, 2006, 2013, 2014, 2055})
"""MySQL errors of reaching the server: too many connections (of all users, of this one), cannot
connect (socket, TCP), server gone away, lost connection, commands out of sync (a connection
broken mid-query), lost connection to server at a read."""
SQLITE_LOCKED = ("database is locked", "database table is locked")
SQLITE_UNREACHABLE = ("unable to open database file", "disk i/o error")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it was raised from or during, without looping forever."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _code(exc: BaseException) -> int | None:
    orig = exc.orig if isinstance(exc, sa.DBAPIError) else exc
    args = getattr(orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _message(exc: BaseException) -> str:
    orig = exc.orig if isinstance(exc, sa.DBAPIError) else exc
    return str(orig).lower()


def contention(exc: BaseException) -> bool:
    """A deadlock or lock timeout: the same unit of work may well succeed when run again."""
    return any(
        isinstance(found, sa.DBAPIError)
        and not found.connection_invalidated
        and (_code(found) in CONTENTION_CODES or _message(found).startswith(SQLITE_LOCKED))
        for found in _chain(exc)
    )


def outage(exc: BaseException) -> str | None:
    """`database` or `redis` when that one could not be reached, else None."""
    for found in _chain(exc):
        if isinstance(found, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
            return "redis"
        if isinstance(found, sa.DisconnectionError | sa.TimeoutError | sa.InterfaceError):
            return "database"
        if isinstance(found, sa.DBAPIError) and (
            found.connection_invalidated
            or _code(found) in CONNECTION_CODES
            or _message(found).startswith(SQLITE_UNREACHABLE)
        ):
            return "database"
    return None
