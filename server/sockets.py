"""Socket events declared by the domains, the way controllers declare routes.

A domain lists its client events in its own `sockets.py`:

    events = SocketEvents()

    @events.on("message:send", MessageSend, MESSAGES)
    async def send(call: SocketCall, data: MessageSend) -> Ack:
        message = await MessagesService(call.db, call.principal, call.ctx.principals).send(data)
        return {"message": message}

and its manifest names `events`. The realtime transport registers every domain's events on
the shared envelope (size cap, rate limits, validation, unit of work, principal re-check,
ack); a handler parses nothing and pushes nothing itself: it calls one service, whose effects
go out after the commit, and returns the ack's fields.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.ratelimit import Limit

if TYPE_CHECKING:
    from server.context import AppContext

P = TypeVar("P", bound=msgspec.Struct)
Ack = dict[str, Any]


@dataclass(frozen=True, slots=True)
class EventLimit:
    per_socket: Limit
    per_user: Limit


@dataclass(frozen=True, slots=True)
class SocketCall:
    """One client event being handled: who sent it, from which socket, in which transaction."""

    sid: str
    principal: Principal
    db: AsyncSession
    ctx: AppContext


Handler = Callable[[SocketCall, P], Awaitable[Ack]]


@dataclass(frozen=True, slots=True)
class SocketEvent(Generic[P]):
    name: str
    payload: type[P]
    limit: EventLimit
    handler: Handler[P]


def user_room(user_id: int) -> str:
    """Every socket of one user, on every process: where a push for that person goes."""
    return f"user:{user_id}"


def company_room(company_id: int) -> str:
    """Every socket of one company's users."""
    return f"company:{company_id}"


class SocketEvents:
    """A domain's client events, in the order it declares them."""

    def __init__(self) -> None:
        self._events: dict[str, SocketEvent[Any]] = {}

    def on(self, name: str, payload: type[P], limit: EventLimit) -> Callable[[Handler[P]], Handler[P]]:
        def declare(handler: Handler[P]) -> Handler[P]:
            if name in self._events:
                raise ValueError(f"socket event {name!r} is declared twice")
            self._events[name] = SocketEvent(name, payload, limit, handler)
            return handler

        return declare

    def __iter__(self) -> Iterator[SocketEvent[Any]]:
        return iter(self._events.values())
