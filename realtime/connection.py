"""Connecting and disconnecting: authentication at connect, renewal, the user's rooms, presence.

Presence is kept by two heartbeats (`server.heartbeat`): one renews this process's sockets
(re-creating those the store lost, and announcing their users online again), the other sweeps
the sockets of processes that died.

The access token comes in the Socket.IO `auth` payload only (never the query string, which
ends up in logs). A refused connect tells the client why in `connect_error`'s `data: {code,
message}` (`token_expired`: refresh and reconnect; anything else: sign in again). A socket
joins `user:{id}` and `company:{id}`; pushes address those rooms. It keeps working past its
token's expiry only by renewing it (`auth:renew`, see `realtime.credentials`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
import socketio

from realtime.credentials import InvalidRenewal, Renewal, SocketSession, read_grant
from realtime.protocol import Ack, Gateway, Turn
from realtime.stopping import Stopping
from server import effects, metrics
from server.auth.dependencies import client_ip
from server.auth.principal import load_principal
from server.auth.tokens import TokenError
from server.context import AppContext
from server.domains.presence.sockets import audience
from server.errors import AppError, transient
from server.heartbeat import Heartbeat, interval_for
from server.presence import SocketEntry, UserPresence
from server.ratelimit import Limit
from server.sockets import EventLimit, company_room, user_room

__all__ = ["Connections", "company_room", "user_room"]

log = logging.getLogger(__name__)

RENEWALS = EventLimit(per_socket=Limit(10, 60), per_user=Limit(60, 60))


class Connections:
    """This process's sockets, kept alive in the shared presence store by a heartbeat."""

    def __init__(self, gateway: Gateway) -> None:
        self.sio: socketio.AsyncServer = gateway.sio
        self.ctx: AppContext = gateway.ctx
        self.local: dict[str, SocketEntry] = {}
        self.closing: list[Callable[[str], Awaitable[None]]] = [gateway.forget]
        """Called with the sid of every socket that closed (signaling gives its seat a grace period)."""
        interval = interval_for(self.ctx.settings.presence_ttl_seconds)
        self._heartbeats = [
            Heartbeat("presence refresh", interval, self.refresh),
            Heartbeat("presence sweep", interval, self.sweep),
        ]
        self.expiry = gateway.expiry
        self.accepting = True
        """False once this process is stopping (`realtime.stopping`): new sockets are refused."""
        self.sio.on("connect", self.connect)
        self.sio.on("disconnect", self.disconnect)
        gateway.route("auth:renew", Renewal, RENEWALS, self.renew)

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        try:
            await self._connect(sid, environ, auth)
        except Exception as exc:
            refusal = exc if isinstance(exc, AppError) else transient(exc)
            if refusal is None:
                raise
            if refusal is not exc:
                log.warning("connect refused: %s (%s)", refusal.detail, exc)
            if self.local.pop(sid, None) is not None:
                metrics.SOCKETS_CONNECTED.dec()
            self.expiry.forget(sid)
            # Two arguments: the client's error gets `message` (the text) and `data` ({code, message}).
            raise socketio.exceptions.ConnectionRefusedError(
                refusal.detail, {"code": refusal.code, "message": refusal.detail}
            ) from None

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any) -> None:
        if not self.accepting:
            raise Stopping()
        token = auth.get("token") if isinstance(auth, dict) else None
        grant = read_grant(self.ctx.signer, token if isinstance(token, str) else None)
        async with self.ctx.sessionmaker() as db:
            principal = await self.ctx.principals.load(
                grant.user_id, grant.session_id, lambda: load_principal(db, grant.user_id, grant.session_id)
            )
        forwarded = _header(environ, "HTTP_X_FORWARDED_FOR")
        account = SocketSession(
            user_id=principal.user_id,
            company_id=principal.company_id,
            session_id=principal.session_id,
            ip=client_ip(environ.get("REMOTE_ADDR"), forwarded, self.ctx.settings.trusted_proxies),
            user_agent=_header(environ, "HTTP_USER_AGENT"),
            expires_at=grant.expires_at,
        )
        await self.sio.save_session(sid, {"account": account})
        self.expiry.watch(sid, account.expires_at)
        await self.sio.enter_room(sid, user_room(principal.user_id))
        if principal.company_id is not None:
            await self.sio.enter_room(sid, company_room(principal.company_id))
        entry = SocketEntry(sid, principal.user_id, principal.company_id, principal.session_id)
        self.local[sid] = entry
        metrics.SOCKETS_CONNECTED.inc()
        if await self.ctx.presence.add(entry):
            await self.announce(entry)

    async def renew(self, turn: Turn, data: Renewal) -> Ack:
        """Take a fresh access token of the same user and login session: the socket then lives
        until that token expires. Any other token is refused and changes nothing."""
        try:
            grant = read_grant(self.ctx.signer, data.token)
        except TokenError:
            raise InvalidRenewal() from None
        if (grant.user_id, grant.session_id) != (turn.account.user_id, turn.account.session_id):
            raise InvalidRenewal()
        renewed = msgspec.structs.replace(turn.account, expires_at=grant.expires_at)

        async def keep() -> None:
            async with self.sio.session(turn.sid) as session:
                session["account"] = renewed
            self.expiry.watch(turn.sid, renewed.expires_at)

        effects.after_commit(turn.db, keep, "auth:renew")
        return {"expires_in": max(0, int(renewed.expires_at - time.time()))}

    async def disconnect(self, sid: str, reason: Any = None) -> None:
        for closing in self.closing:
            try:
                await closing(sid)
            except Exception:
                log.exception("disconnect hook failed for %s", sid)
        entry = self.local.pop(sid, None)
        if entry is not None:
            metrics.SOCKETS_CONNECTED.dec()
        if entry is not None and await self.ctx.presence.remove(entry):
            await self.announce(entry)

    async def announce(self, entry: SocketEntry) -> None:
        """Tell the user's company (and the user's other sockets) their presence changed."""
        state = (await self.ctx.presence.status([entry.user_id]))[entry.user_id]
        await self.push_presence(state, entry.company_id)

    async def push_presence(self, state: UserPresence, company_id: int | None) -> None:
        await self.sio.emit("presence", state, to=audience(state.user_id, company_id))

    def start(self) -> None:
        for heartbeat in self._heartbeats:
            heartbeat.start()

    async def stop(self) -> None:
        for heartbeat in self._heartbeats:
            await heartbeat.stop()

    async def refresh(self) -> None:
        """Renew this process's sockets; announce the users of those the store had lost."""
        announced: set[int] = set()
        for entry in await self.ctx.presence.refresh(list(self.local.values())):
            if entry.sid not in self.local:
                # It closed while the refresh was on its way, which re-created it: put it away
                # again (its close already told everyone).
                await self.ctx.presence.remove(entry)
            elif entry.user_id not in announced:
                announced.add(entry.user_id)
                await self.announce(entry)

    async def sweep(self) -> None:
        """Claim the sockets nobody refreshed; the last one of a user takes them offline."""
        for entry in await self.ctx.presence.claim_expired():
            if entry.sid in self.local:
                # One of ours, claimed while this process stalled: it is open, keep it.
                await self.ctx.presence.refresh([entry])
            elif await self.ctx.presence.remove(entry, swept=True):
                await self.announce(entry)


def _header(environ: dict[str, Any], key: str) -> str | None:
    value = environ.get(key)
    return value if isinstance(value, str) else None
