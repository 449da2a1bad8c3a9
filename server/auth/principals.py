"""Principals reused across requests and socket events, dropped on every process at a change.

Loading the principal (user, company, live session, roles) is most of what an authenticated
read costs, so each process keeps it per login session for a few seconds (and the `Account` of
the users messages are sent to, by user id, on the same terms). Reuse never outlives
a revocation: every commit that touches a user, their roles or sessions, a company or a role
drops what it concerns from this process's cache before the commit returns, and announces it
over Redis so the other processes drop it too. A process that is not subscribed (no Redis
connection just now) serves nothing from its cache: it cannot hear another's revocations.

What a commit concerns is found by watching the ORM (`watch`): the rows flushed, and
bulk UPDATE/DELETE statements on those tables. A bulk statement names its scope with the
execution option `principals` (`"user:<id>"`, or `"unchanged"` for rows no live session uses);
one without it drops every cached principal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from models import Company, RefreshToken, Role, User, UserRole
from server.auth.principal import Account, Principal, load_principal
from server.auth.tokens import TokenError

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

CHANNEL = "miraiworks:principals"
EVERYONE = "all"
UNCHANGED = "unchanged"
_CHANGED = "miraiworks.principals_changed"
_COMMITTED = "miraiworks.principals_committed"
RESUBSCRIBE_SECONDS = 0.5


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def company_scope(company_id: int) -> str:
    return f"company:{company_id}"


def _scopes_of(instance: object) -> str | None:
    if isinstance(instance, User):
        return user_scope(instance.id) if instance.id is not None else None
    if isinstance(instance, (UserRole, RefreshToken)):
        return user_scope(instance.user_id) if instance.user_id is not None else None
    if isinstance(instance, Company):
        return company_scope(instance.id) if instance.id is not None else None
    if isinstance(instance, Role):
        return EVERYONE
    return None


_WATCHED_TABLES = frozenset(
    model.__table__.name  # type: ignore[attr-defined]
    for model in (User, UserRole, RefreshToken, Company, Role)
)


@dataclass(slots=True)
class _Entry:
    value: Principal | Account
    expires: float

    def concerns(self, users: set[int], companies: set[int]) -> bool:
        return self.value.user_id in users or self.value.company_id in companies


SPREAD = 0.5
"""Each entry is kept a random time in the last `SPREAD` part of `seconds`: the sessions of a
crowd that connected together (after a deploy, say) would otherwise all expire in the same
second, and every next event of theirs would wait on a reload at once (`bench/signaling.py`
saw its relay p99 go from 6 to 50 ms for the seconds the reloads took)."""


class PrincipalCache:
    """This process's principals by login session, and other users' accounts by id, kept
    `seconds` at most."""

    def __init__(self, redis: aioredis.Redis | None, seconds: float) -> None:
        self.redis = redis
        self.seconds = seconds
        self._entries: dict[str, _Entry] = {}
        self._generation = 0
        """Bumped by every drop: a load that began before one must not be kept."""
        self._listening = redis is None
        """Whether revocations of other processes reach this one (always, without Redis)."""
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        _CACHES.add(self)

    async def load(
        self, user_id: int, session_id: str, fetch: Callable[[], Awaitable[Principal]]
    ) -> Principal:
        """The cached principal of the session, or `fetch()`'s, kept unless a drop came meanwhile."""
        found = await self._load(f"session:{session_id}", user_id, fetch)
        assert isinstance(found, Principal)
        return found

    async def account(self, user_id: int, fetch: Callable[[], Awaitable[Account | None]]) -> Account | None:
        """Another user as the messages policy reads them, reused and dropped like principals
        (a user not found is never kept: one created meanwhile is found at once)."""
        found = await self._load(f"account:{user_id}", user_id, fetch)
        assert found is None or isinstance(found, Account)
        return found

    async def _load(
        self, key: str, user_id: int, fetch: Callable[[], Awaitable[Principal | Account | None]]
    ) -> Principal | Account | None:
        self._listen()
        now = time.monotonic()
        entry = self._entries.get(key)
        fresh = entry is not None and entry.expires > now and entry.value.user_id == user_id
        if fresh and self._listening:
            assert entry is not None
            return entry.value
        generation = self._generation
        value = await fetch()
        if value is not None and self._listening and generation == self._generation and self.seconds > 0:
            kept = self.seconds * (1 - SPREAD * random.random())  # noqa: S311 - not a secret
            self._entries[key] = _Entry(value, now + kept)
        return value

    def drop(self, scopes: set[str]) -> None:
        if not scopes or scopes == {UNCHANGED}:
            return
        self._generation += 1
        if EVERYONE in scopes:
            self._entries.clear()
            return
        users = {int(s.partition(":")[2]) for s in scopes if s.startswith("user:")}
        companies = {int(s.partition(":")[2]) for s in scopes if s.startswith("company:")}
        for key, entry in list(self._entries.items()):
            if entry.concerns(users, companies):
                del self._entries[key]

    async def announce(self, scopes: set[str]) -> None:
        """Tell the other processes; they drop the same scopes."""
        scopes = scopes - {UNCHANGED}
        if self.redis is None or not scopes:
            return
        try:
            await self.redis.publish(CHANNEL, " ".join(sorted(scopes)))
        except Exception:
            # The others lose their subscription too and stop serving from their caches.
            log.warning("could not announce a principal change to the other processes", exc_info=True)

    async def start(self, within: float = 2.0) -> None:
        """Subscribe before serving (a process that could not yet does not reuse principals)."""
        self._listen()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), within)

    def _listen(self) -> None:
        if self.redis is not None and self._listener is None:
            self._listener = asyncio.get_running_loop().create_task(self._follow(self.redis))

    async def _follow(self, redis: aioredis.Redis) -> None:
        while True:
            try:
                async with redis.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    # Whatever was announced while not subscribed is unknown: start afresh.
                    self._entries.clear()
                    self._generation += 1
                    self._listening = True
                    self._subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.drop(set(str(message["data"]).split()))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("principal revocations not heard; not reusing principals", exc_info=True)
            finally:
                self._listening = False
            await asyncio.sleep(RESUBSCRIBE_SECONDS)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        _CACHES.discard(self)


_CACHES: weakref.WeakSet[PrincipalCache] = weakref.WeakSet()


def _changed(session: Session) -> set[str]:
    found: set[str] = session.info.setdefault(_CHANGED, set())
    return found


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        scope = _scopes_of(instance)
        if scope is not None:
            _changed(session).add(scope)


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _WATCHED_TABLES:
        _changed(state.session).add(str(state.execution_options.get("principals", EVERYONE)))


def _after_commit(session: Session) -> None:
    """This process forgets at once, whoever committed (a request, a job, a test's session);
    the unit of work then tells the others (`announce_committed`)."""
    scopes = session.info.pop(_CHANGED, None)
    if scopes:
        for cache in list(_CACHES):
            cache.drop(scopes)
        session.info.setdefault(_COMMITTED, set()).update(scopes)


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CHANGED, None)


async def announce_committed(cache: PrincipalCache, session: AsyncSession) -> None:
    """Announce what the session's commits changed, before the caller answers anyone."""
    scopes = session.info.pop(_COMMITTED, None)
    if scopes:
        await cache.announce(scopes)


def watch() -> None:
    """Install the ORM hooks (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _on_execute)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)


async def authenticate(ctx: AppContext, token: str | None) -> Principal:
    """Resolve a bearer access token to a live principal, or raise 401.

    Loaded in a session of its own: when this raises 401, Litestar does not close generator
    dependencies started before it, so the request's session must not yet hold a connection
    (SQLAlchemy sessions connect lazily, on their first query)."""
    if not token:
        raise TokenError("Authentication is required.")
    user_id, session_id = ctx.signer.read_access_token(token)

    async def fetch() -> Principal:
        async with ctx.sessionmaker() as db:
            return await load_principal(db, user_id, session_id)

    return await ctx.principals.load(user_id, session_id, fetch)
