"""The envelope every client event shares.

Each event is size-capped, rate-limited per socket and per user, validated into a msgspec
struct, and run in one unit of work with the principal re-read from the database (a
suspended user or an ended session is refused at their very next event). The answer is an
ack `{ok: true, request_id, ...}` or `{ok: false, request_id, error: {code, message}}`; a bad
event only ever earns its sender an error ack.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec
import socketio
from sqlalchemy.ext.asyncio import AsyncSession

from server import audit
from server.auth.principal import Principal, load_principal
from server.auth.tokens import TokenError
from server.context import AppContext
from server.errors import AppError
from server.ratelimit import Limit
from server.schemas import parse

log = logging.getLogger(__name__)

MAX_EVENT_BYTES = 64 * 1024
CLOSE_DELAY_SECONDS = 0.2
PRINCIPAL_SECONDS = 2.0
"""How long a socket's principal is reused between events. Revocations close sockets at once
(`AccessRevoked`); this only bounds how late a change made behind the app's back is seen."""
P = TypeVar("P", bound=msgspec.Struct)
Ack = dict[str, Any]


class SocketSession(msgspec.Struct, frozen=True, kw_only=True):
    """What a socket carries from its connect: the account and where it connected from."""

    user_id: int
    company_id: int | None
    session_id: str
    ip: str | None
    user_agent: str | None


@dataclass(frozen=True, slots=True)
class EventLimit:
    per_socket: Limit
    per_user: Limit


@dataclass(frozen=True, slots=True)
class Push:
    event: str
    data: Any
    to: str | list[str]
    skip_sid: str | None = None


@dataclass(slots=True)
class Outbox:
    """Pushes held back until the transaction that caused them has committed."""

    pushes: list[Push] = field(default_factory=list)

    def push(self, event: str, data: Any, to: str | list[str], skip_sid: str | None = None) -> None:
        self.pushes.append(Push(event, data, to, skip_sid))

    async def send(self, sio: socketio.AsyncServer) -> None:
        for push in self.pushes:
            await sio.emit(push.event, push.data, to=push.to, skip_sid=push.skip_sid)
        self.pushes.clear()


@dataclass(frozen=True, slots=True)
class Call:
    """One client event being handled: who sent it, from which socket, in which transaction,
    and the pushes it causes (sent once the transaction commits)."""

    sid: str
    principal: Principal
    db: AsyncSession
    outbox: Outbox


Handler = Callable[[Call, P], Awaitable[Ack]]


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


def failure(request_id: str | int | None, code: str, message: str) -> Ack:
    return {"ok": False, "request_id": request_id, "error": {"code": code, "message": message}}


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
        self._principals: dict[str, tuple[Principal, float]] = {}

    async def forget(self, sid: str) -> None:
        self._principals.pop(sid, None)

    async def principal_of(self, sid: str, account: SocketSession, db: AsyncSession) -> Principal:
        cached = self._principals.get(sid)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            principal = await load_principal(db, account.user_id, account.session_id)
        except TokenError:
            self._principals.pop(sid, None)
            raise
        self._principals[sid] = (principal, now + PRINCIPAL_SECONDS)
        return principal

    async def session_of(self, sid: str) -> SocketSession | None:
        raw = await self.sio.get_session(sid)
        found = raw.get("account") if isinstance(raw, dict) else None
        return found if isinstance(found, SocketSession) else None

    def on(self, name: str, payload: type[P], limit: EventLimit) -> Callable[[Handler[P]], Handler[P]]:
        def register(handler: Handler[P]) -> Handler[P]:
            async def dispatch(sid: str, data: Any = None) -> Ack:
                request_id = _request_id(data)
                try:
                    return {
                        "ok": True,
                        "request_id": request_id,
                        **await self._run(sid, name, data, payload, limit, handler),
                    }
                except AppError as exc:
                    if isinstance(exc, TokenError):
                        self._close_soon(sid)
                    return failure(request_id, exc.code, exc.detail)
                except Exception:
                    log.exception("socket event %s failed", name)
                    return failure(request_id, "internal_error", "An unexpected error occurred.")

            self.sio.on(name, dispatch)
            return handler

        return register

    def _close_soon(self, sid: str) -> None:
        """Close a socket whose access ended, once its error ack has gone out."""

        async def close() -> None:
            await asyncio.sleep(CLOSE_DELAY_SECONDS)
            await self.sio.disconnect(sid)

        self.sio.start_background_task(close)

    async def _run(
        self, sid: str, name: str, data: Any, payload: type[P], limit: EventLimit, handler: Handler[P]
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
        await self.ctx.limiter.check(f"socket:{name}:sid:{sid}", limit.per_socket)
        await self.ctx.limiter.check(f"socket:{name}:user:{account.user_id}", limit.per_user)
        fields = {key: value for key, value in data.items() if key != "request_id"}
        event = parse(payload, **fields)
        outbox = Outbox()
        async with self.ctx.transaction() as db:
            principal = await self.principal_of(sid, account, db)
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
            answer = await handler(Call(sid=sid, principal=principal, db=db, outbox=outbox), event)
        await outbox.send(self.sio)
        return answer
