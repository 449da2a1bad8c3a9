"""Connecting and disconnecting: authentication at connect, the user's rooms, presence.

The access token comes in the Socket.IO `auth` payload only (never the query string, which
ends up in logs). A socket joins `user:{id}` and `company:{id}`; pushes address those rooms.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from realtime.protocol import Gateway, SocketSession
from server.auth.dependencies import client_ip
from server.auth.principal import authenticate
from server.context import AppContext
from server.errors import AppError
from server.presence import SocketEntry, UserPresence

log = logging.getLogger(__name__)


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def company_room(company_id: int) -> str:
    return f"company:{company_id}"


class Connections:
    """This process's sockets, kept alive in the shared presence store by a heartbeat."""

    def __init__(self, gateway: Gateway) -> None:
        self.sio: socketio.AsyncServer = gateway.sio
        self.ctx: AppContext = gateway.ctx
        self.local: dict[str, SocketEntry] = {}
        self.closing: list[Callable[[str], Awaitable[None]]] = [gateway.forget]
        """Called with the sid of every socket that closed (signaling gives its seat a grace period)."""
        self._heartbeat: asyncio.Task[None] | None = None
        self.sio.on("connect", self.connect)
        self.sio.on("disconnect", self.disconnect)

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        try:
            async with self.ctx.sessionmaker() as db:
                principal = await authenticate(db, self.ctx.signer, token if isinstance(token, str) else None)
        except AppError as exc:
            raise socketio.exceptions.ConnectionRefusedError(
                {"code": exc.code, "message": exc.detail}
            ) from None
        forwarded = _header(environ, "HTTP_X_FORWARDED_FOR")
        account = SocketSession(
            user_id=principal.user_id,
            company_id=principal.company_id,
            session_id=principal.session_id,
            ip=client_ip(environ.get("REMOTE_ADDR"), forwarded, self.ctx.settings.trusted_proxies),
            user_agent=_header(environ, "HTTP_USER_AGENT"),
        )
        await self.sio.save_session(sid, {"account": account})
        await self.sio.enter_room(sid, user_room(principal.user_id))
        if principal.company_id is not None:
            await self.sio.enter_room(sid, company_room(principal.company_id))
        entry = SocketEntry(sid, principal.user_id, principal.company_id, principal.session_id)
        self.local[sid] = entry
        if await self.ctx.presence.add(entry):
            await self.announce(entry)

    async def disconnect(self, sid: str, reason: Any = None) -> None:
        for closing in self.closing:
            try:
                await closing(sid)
            except Exception:
                log.exception("disconnect hook failed for %s", sid)
        entry = self.local.pop(sid, None)
        if entry is not None and await self.ctx.presence.remove(entry):
            await self.announce(entry)

    async def announce(self, entry: SocketEntry) -> None:
        """Tell the user's company (and the user's other sockets) their presence changed."""
        state = (await self.ctx.presence.status([entry.user_id]))[entry.user_id]
        await self.push_presence(state, entry.company_id)

    async def push_presence(self, state: UserPresence, company_id: int | None) -> None:
        rooms = [user_room(state.user_id)] + ([company_room(company_id)] if company_id is not None else [])
        await self.sio.emit("presence", state, to=rooms)

    def start(self) -> None:
        self._heartbeat = asyncio.create_task(self._beat())

    async def stop(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat

    async def _beat(self) -> None:
        interval = max(0.2, self.ctx.settings.presence_ttl_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.ctx.presence.refresh(list(self.local.values()))
                for entry in await self.ctx.presence.claim_expired():
                    if await self.ctx.presence.remove(entry):
                        await self.announce(entry)
            except Exception:
                log.exception("presence heartbeat failed; retrying")


def _header(environ: dict[str, Any], key: str) -> str | None:
    value = environ.get(key)
    return value if isinstance(value, str) else None
