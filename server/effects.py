"""Side effects that wait for the commit: pushes, Socket.IO room changes, shared-state writes, jobs.

A service never touches Socket.IO, Redis room state or the job queue while its transaction is
open. It records what should happen on its session (`push`, `enter_room`, `after_commit`,
`schedule`, ...); the unit of work applies the effects in order once the commit succeeded,
and drops them when it failed, so a rolled-back change leaves sockets, shared state and the
queue exactly as they were (Zulip's send-on-commit).

`Sockets` is the port through which effects reach Socket.IO; the realtime transport provides
the real one, and a context without a socket server (the CLI, a worker, a unit test) gets
`NoSockets`, which drops pushes: nobody is connected there.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from server.context import AppContext
    from server.events import DomainEvent

log = logging.getLogger(__name__)

_PENDING = "miraiworks.pending_effects"


class Sockets(Protocol):
    """What effects may do to Socket.IO, on every process (through the Redis manager)."""

    async def emit(self, event: str, data: Any, to: str | list[str], skip_sid: str | None = None) -> None: ...

    async def enter_room(self, sid: str, room: str) -> None: ...

    async def leave_room(self, sid: str, room: str) -> None: ...

    async def close_room(self, room: str) -> None: ...

    async def disconnect(self, sid: str) -> None: ...

    def connected_here(self, room: str) -> bool:
        """Whether a socket in `room` is open on this process (the others are not asked)."""
        ...


class NoSockets:
    """The port of a process that serves no sockets: there is nobody to push to."""

    def connected_here(self, room: str) -> bool:
        return False

    async def emit(self, event: str, data: Any, to: str | list[str], skip_sid: str | None = None) -> None:
        return None

    async def enter_room(self, sid: str, room: str) -> None:
        return None

    async def leave_room(self, sid: str, room: str) -> None:
        return None

    async def close_room(self, room: str) -> None:
        return None

    async def disconnect(self, sid: str) -> None:
        return None


class Effect(Protocol):
    async def apply(self, ctx: AppContext) -> None: ...


@dataclass(frozen=True, slots=True)
class Push:
    event: str
    data: Any
    to: str | list[str]
    skip_sid: str | None = None

    async def apply(self, ctx: AppContext) -> None:
        await ctx.sockets.emit(self.event, self.data, self.to, self.skip_sid)


@dataclass(frozen=True, slots=True)
class EnterRoom:
    sid: str
    room: str

    async def apply(self, ctx: AppContext) -> None:
        await ctx.sockets.enter_room(self.sid, self.room)


@dataclass(frozen=True, slots=True)
class LeaveRoom:
    sid: str
    room: str

    async def apply(self, ctx: AppContext) -> None:
        await ctx.sockets.leave_room(self.sid, self.room)


@dataclass(frozen=True, slots=True)
class CloseRoom:
    room: str

    async def apply(self, ctx: AppContext) -> None:
        await ctx.sockets.close_room(self.room)


@dataclass(frozen=True, slots=True)
class Disconnect:
    sid: str

    async def apply(self, ctx: AppContext) -> None:
        await ctx.sockets.disconnect(self.sid)


@dataclass(frozen=True, slots=True)
class Publish:
    """A domain event for the in-process hub's subscribers."""

    event: DomainEvent

    async def apply(self, ctx: AppContext) -> None:
        await ctx.hub.publish(self.event)


@dataclass(frozen=True, slots=True)
class AfterCommit:
    """A shared-store write (or any other work) that must only happen once the data is durable."""

    run: Callable[[], Awaitable[None]]
    label: str = "after commit"

    async def apply(self, ctx: AppContext) -> None:
        await self.run()


@dataclass(frozen=True, slots=True)
class Schedule:
    """A job on the queue; `key` makes scheduling it twice schedule it once."""

    job: str
    at: datetime | None = None
    key: str | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)

    async def apply(self, ctx: AppContext) -> None:
        await ctx.jobs.enqueue(self.job, at=self.at, key=self.key, **self.kwargs)


def add(session: AsyncSession, effect: Effect) -> None:
    """Record an effect to apply after this session's transaction commits."""
    session.info.setdefault(_PENDING, []).append(effect)


def push(
    session: AsyncSession, event: str, data: Any, to: str | list[str], skip_sid: str | None = None
) -> None:
    add(session, Push(event, data, to, skip_sid))


def enter_room(session: AsyncSession, sid: str, room: str) -> None:
    add(session, EnterRoom(sid, room))


def leave_room(session: AsyncSession, sid: str, room: str) -> None:
    add(session, LeaveRoom(sid, room))


def close_room(session: AsyncSession, room: str) -> None:
    add(session, CloseRoom(room))


def disconnect(session: AsyncSession, sid: str) -> None:
    add(session, Disconnect(sid))


def after_commit(
    session: AsyncSession, run: Callable[[], Awaitable[None]], label: str = "after commit"
) -> None:
    add(session, AfterCommit(run, label))


def schedule(
    session: AsyncSession, job: str, *, at: datetime | None = None, key: str | None = None, **kwargs: Any
) -> None:
    add(session, Schedule(job, at, key, kwargs))


def take(session: AsyncSession) -> list[Effect]:
    pending: list[Effect] = session.info.pop(_PENDING, [])
    return pending


def drop(session: AsyncSession) -> None:
    session.info.pop(_PENDING, None)


async def apply_all(ctx: AppContext, effects: list[Effect]) -> None:
    """Apply committed effects in order; one failing never stops the rest (the data is durable)."""
    for effect in effects:
        try:
            await effect.apply(ctx)
        except Exception:
            log.exception("effect %r failed after commit", effect)
