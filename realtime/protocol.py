"""The envelope every client event shares.

Each event is size-capped, rate-limited per socket and per user, validated into a msgspec
struct, and run in one unit of work with the principal re-read from the database (a
suspended user or an ended session is refused at their very next event, an expired access
token too). The answer is an ack `{ok: true, request_id, ...}` or `{ok: false, request_id,
error: {code, message, errors: [{field, message}]}}` (`errors` as REST names them, possibly
empty). Every event gets one, a bad one only ever earns its sender an error ack: an unknown
event, a payload that is no object, nested too deeply or no JSON at all (`realtime.codec`), or
a second argument included. A unit of work that met contention is run again (`server.retry`);
contention that outlasts the retries acks `busy`, an unreachable database or Redis
`service_unavailable`.

The events come from the domains' manifests (`register`, with `server.sockets.SocketCall`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import msgspec
import socketio
from sqlalchemy.ext.asyncio import AsyncSession

from realtime.codec import Undecodable
from realtime.credentials import CLOSE_DELAY_SECONDS, Expiry, SocketSession, TokenExpired
from realtime.stopping import InFlight
from server import audit, metrics
from server.auth.principal import Principal, load_principal
from server.auth.tokens import TokenError
from server.context import AppContext
from server.errors import AppError, FieldError, transient
from server.ratelimit import MemoryCounter, RateLimiter
from server.retry import retrying
from server.schemas import parse
from server.sockets import Ack, EventLimit, SocketCall, SocketEvents
from server.sockets import Handler as DomainHandler

__all__ = ["CLOSE_DELAY_SECONDS", "Ack", "EventLimit", "Gateway", "SocketSession"]

log = logging.getLogger(__name__)

MAX_EVENT_BYTES = 64 * 1024
P = TypeVar("P", bound=msgspec.Struct)


@dataclass(frozen=True, slots=True)
class Turn:
    """One event past the envelope's checks, inside its unit of work."""

    sid: str
    account: SocketSession
    principal: Principal
    db: AsyncSession


Run = Callable[[Turn, P], Awaitable[Ack]]


class EventError(AppError):
    """An error only a socket can meet (the HTTP layer has its own for these)."""


class PayloadTooLarge(EventError):
    status = 413
    code = "payload_too_large"
    detail = f"An event may carry at most {MAX_EVENT_BYTES} bytes."


class NotAnObject(EventError):
    status = 400
    code = "bad_request"
    detail = "The event payload must be a JSON object."


class ExtraArguments(EventError):
    status = 400
    code = "bad_request"
    detail = "An event carries one payload object; put every field in it."


class TooDeep(EventError):
    status = 400
    code = "bad_request"
    detail = "The event payload is nested too deeply."


class UnknownEvent(EventError):
    status = 404
    code = "unknown_event"
    detail = "There is no such event."


def failure(
    request_id: str | int | None, code: str, message: str, errors: list[FieldError] | None = None
) -> Ack:
    found = [{"field": error.field, "message": error.message} for error in errors or ()]
    return {
        "ok": False,
        "request_id": request_id,
        "error": {"code": code, "message": message, "errors": found},
    }


def refusal(request_id: str | int | None, exc: AppError) -> Ack:
    return failure(request_id, exc.code, exc.detail, exc.errors)


def _request_id(data: Any) -> str | int | None:
    value = data.get("request_id") if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and len(value) <= 64:
        return value
    return None


class Gateway:
    """Registers client events on the Socket.IO server with the shared envelope."""

    def __init__(self, sio: socketio.AsyncServer, ctx: AppContext) -> None:
        self.sio = sio
        self.ctx = ctx
        self.expiry = Expiry(sio, self.session_of)
        self.socket_limits = RateLimiter(MemoryCounter())
        self.in_flight = InFlight()
        """Events being answered (the graceful stop waits for them), each counted and logged."""
        self.sio.on("*", self._unknown)

    async def forget(self, sid: str) -> None:
        self.expiry.forget(sid)

    async def principal_of(self, account: SocketSession, db: AsyncSession) -> Principal:
        """The socket's principal, reused across events like a request's (`ctx.principals`);
        revocations also close its sockets at once (`AccessRevoked`)."""
        return await self.ctx.principals.load(
            account.user_id,
            account.session_id,
            lambda: load_principal(db, account.user_id, account.session_id),
        )

    async def session_of(self, sid: str) -> SocketSession | None:
        raw = await self.sio.get_session(sid)
        found = raw.get("account") if isinstance(raw, dict) else None
        return found if isinstance(found, SocketSession) else None

    def register(self, events: SocketEvents) -> None:
        """Put a domain's declared events on the envelope; handlers get a `SocketCall`."""
        for event in events:
            self.route(event.name, event.payload, event.limit, partial(self._call_domain, event.handler))

    async def _call_domain(self, handler: DomainHandler[Any], turn: Turn, data: Any) -> Ack:
        return await handler(
            SocketCall(sid=turn.sid, principal=turn.principal, db=turn.db, ctx=self.ctx), data
        )

    def route(self, name: str, payload: type[P], limit: EventLimit, run: Run[P]) -> None:
        """Answer the event `name` through the envelope with `run`; the transport's own events
        (`auth:renew`) use this directly, as they need the socket's session."""

        async def dispatch(sid: str, *args: Any) -> Ack:
            return await self._answer(sid, name, args, payload, limit, run)

        self.sio.on(name, dispatch)

    async def _unknown(self, event: str, sid: str, *args: Any) -> Ack:
        """The catch-all handler: an event nobody declared still gets its (error) ack, and so
        does a packet the codec could not decode (no request id can be read from it)."""
        with self.in_flight.event(metrics.UNKNOWN_EVENT, sid) as answered:
            if isinstance(event, Undecodable):
                return answered(failure(None, "bad_request", str(event)))
            request_id = _request_id(args[0] if args else None)
            return answered(failure(request_id, UnknownEvent.code, f"There is no event {event[:100]!r}."))

    async def _answer(
        self, sid: str, name: str, args: tuple[Any, ...], payload: type[P], limit: EventLimit, run: Run[P]
    ) -> Ack:
        with self.in_flight.event(name, sid) as answered:
            return answered(await self._reply(sid, name, args, payload, limit, run))

    async def _reply(
        self, sid: str, name: str, args: tuple[Any, ...], payload: type[P], limit: EventLimit, run: Run[P]
    ) -> Ack:
        data = args[0] if args else None
        request_id = _request_id(data)
        try:
            if len(args) > 1:
                raise ExtraArguments()
            return {
                "ok": True,
                "request_id": request_id,
                **await self._run(sid, name, data, payload, limit, run),
            }
        except TokenExpired as exc:
            self.expiry.expire(sid)
            return refusal(request_id, exc)
        except AppError as exc:
            if isinstance(exc, TokenError):
                self._close_soon(sid)
            return refusal(request_id, exc)
        except RecursionError:
            return refusal(request_id, TooDeep())
        except Exception as exc:
            if (passing := transient(exc)) is not None:
                log.warning("socket event %s: %s (%s)", name, passing.detail, exc)
                return refusal(request_id, passing)
            log.exception("socket event %s failed", name)
            return failure(request_id, "internal_error", "An unexpected error occurred.")

    def _close_soon(self, sid: str) -> None:
        """Close a socket whose access ended, once its error ack has gone out."""

        async def close() -> None:
            await asyncio.sleep(CLOSE_DELAY_SECONDS)
            await self.sio.disconnect(sid)

        self.sio.start_background_task(close)

    async def _run(
        self, sid: str, name: str, data: Any, payload: type[P], limit: EventLimit, run: Run[P]
    ) -> Ack:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise NotAnObject()
        if len(msgspec.json.encode(data)) > MAX_EVENT_BYTES:
            raise PayloadTooLarge()
        account = await self.session_of(sid)
        if account is None:
            raise TokenError()
        if account.expires_at <= time.time():
            raise TokenExpired()
        # A socket's events all come to the process holding it, so its limit is counted here
        # alone; a user's sockets may sit on any process, so theirs is counted in the shared store.
        await self.socket_limits.check(f"{name}:{sid}", limit.per_socket)
        await self.ctx.limiter.check(f"socket:{name}:user:{account.user_id}", limit.per_user)
        fields = {key: value for key, value in data.items() if key != "request_id"}
        event = parse(payload, **fields)

        async def unit_of_work() -> Ack:
            async with self.ctx.transaction() as db:
                principal = await self.principal_of(account, db)
                audit.set_actor(
                    db,
                    audit.AuditActor(
                        user_id=principal.user_id,
                        company_id=principal.company_id,
                        ip_address=account.ip,
                        user_agent=account.user_agent,
                        session_id=account.session_id,
                    ),
                )
                return await run(Turn(sid=sid, account=account, principal=principal, db=db), event)

        return await retrying(unit_of_work)
