"""Litestar dependencies: the caller's address and, for protected routes, the principal.

Both also tell the audit mechanism who is acting, so every row written in the request's
transaction carries the actor, address, user agent and session.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncSession

from server.audit import AuditActor, set_actor
from server.auth.principal import Principal
from server.auth.principals import authenticate
from server.context import AppContext


class RequestMeta(msgspec.Struct, frozen=True):
    ip: str | None
    user_agent: str | None


def client_ip(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str | None:
    """The client's address: the peer, unless it is a trusted proxy that forwarded for someone.

    X-Forwarded-For is read right to left, skipping trusted proxies, so a client cannot
    forge its address by sending the header itself.
    """
    if not peer or peer not in trusted or not forwarded_for:
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if hop not in trusted:
            return hop[:45]
    return peer


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def provide_meta(request: Request[Any, Any, Any], state: State, db: AsyncSession) -> RequestMeta:
    ctx: AppContext = state.ctx
    peer = request.client.host if request.client else None
    meta = RequestMeta(
        ip=client_ip(peer, request.headers.get("x-forwarded-for"), ctx.settings.trusted_proxies),
        user_agent=(request.headers.get("user-agent") or "")[:1000] or None,
    )
    set_actor(db, AuditActor(ip_address=meta.ip, user_agent=meta.user_agent))
    return meta


async def provide_principal(
    request: Request[Any, Any, Any], state: State, db: AsyncSession, meta: RequestMeta
) -> Principal:
    ctx: AppContext = state.ctx
    # Authenticate in a session of its own: when this raises 401, Litestar does not close
    # generator dependencies started before it, so the request's session must not yet hold
    # a connection (SQLAlchemy sessions connect lazily, on their first query).
    principal = await authenticate(ctx, bearer_token(request.headers.get("authorization")))
    set_actor(
        db,
        AuditActor(
            user_id=principal.user_id,
            company_id=principal.company_id,
            ip_address=meta.ip,
            user_agent=meta.user_agent,
            session_id=principal.session_id,
        ),
    )
    return principal
