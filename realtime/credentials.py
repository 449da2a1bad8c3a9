"""What a socket holds on to from its access token, and the end of it.

A socket authenticates once, at connect; the access token it connected with expires minutes
later while the login session (the refresh-token family) lives on. So the socket keeps its
token's expiry (`SocketSession.expires_at`): before it passes, the client sends a fresh access
token of the same session (`auth:renew`); once it has passed, the socket gets
`session:expired {code: "token_expired"}` and is closed (`Expiry`), and any event it still
sends is refused with that code.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import jwt
import msgspec
import socketio

from server.auth.tokens import TokenError, TokenSigner
from server.errors import AppError

SESSION_EXPIRED = "session:expired"
CLOSE_DELAY_SECONDS = 0.2
"""How long a socket being closed is given for its last ack or push to go out first."""


class SocketSession(msgspec.Struct, frozen=True, kw_only=True):
    """What a socket carries from its connect: the account, where it connected from, and until
    when its access token (the one it connected with or last renewed with) is good."""

    user_id: int
    company_id: int | None
    session_id: str
    ip: str | None
    user_agent: str | None
    expires_at: float
    """UNIX seconds, the token's `exp`."""


class TokenExpired(TokenError):
    """A token that was valid and has expired: the client refreshes it and tries again."""

    code = "token_expired"
    detail = "The access token has expired."


class InvalidRenewal(AppError):
    """A renewal with a token that is not this socket's to take; the socket stays as it was."""

    status = 401
    code = "invalid_token"
    detail = "The token is not a valid access token of this socket's login session."


class Renewal(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]


@dataclass(frozen=True, slots=True)
class Grant:
    """A verified access token: whose, of which login session, good until when."""

    user_id: int
    session_id: str
    expires_at: float


def read_grant(signer: TokenSigner, token: str | None) -> Grant:
    """Verify an access token; an expired one raises `TokenExpired`, anything else `TokenError`."""
    if not token:
        raise TokenError("Authentication is required.")
    try:
        user_id, session_id = signer.read_access_token(token)
    except TokenError as exc:
        # PyJWT checks the signature before the claims, so an expired token was a genuine one.
        if isinstance(exc.__cause__, jwt.ExpiredSignatureError):
            raise TokenExpired() from None
        raise
    # Verified just above; read again only for the expiry the signer does not return.
    claims = jwt.decode(token, options={"verify_signature": False})
    return Grant(user_id=user_id, session_id=session_id, expires_at=float(claims["exp"]))


class Expiry:
    """Closes each socket of this process when its access token expires, unless it renewed first.

    One timer per socket, set at connect and moved by every renewal; a socket that closed
    drops its timer (`forget`).
    """

    def __init__(
        self, sio: socketio.AsyncServer, session_of: Callable[[str], Awaitable[SocketSession | None]]
    ) -> None:
        self.sio = sio
        self._session_of = session_of
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._closing: set[asyncio.Task[None]] = set()

    def watch(self, sid: str, expires_at: float) -> None:
        self.forget(sid)
        delay = max(0.0, expires_at - time.time())
        self._timers[sid] = asyncio.get_running_loop().call_later(delay, self.expire, sid)

    def forget(self, sid: str) -> None:
        timer = self._timers.pop(sid, None)
        if timer is not None:
            timer.cancel()

    def expire(self, sid: str) -> None:
        """Tell the socket its session expired and close it, once the push has gone out."""
        self.forget(sid)
        task = asyncio.get_running_loop().create_task(self._close(sid))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _close(self, sid: str) -> None:
        with contextlib.suppress(KeyError):  # the socket closed meanwhile
            account = await self._session_of(sid)
            if account is not None and account.expires_at > time.time():
                return  # renewed while the timer fired
            await self.sio.emit(SESSION_EXPIRED, {"code": TokenExpired.code}, to=sid)
            await asyncio.sleep(CLOSE_DELAY_SECONDS)
            await self.sio.disconnect(sid)
