"""Connecting a calendar: OAuth 2.0 authorization code with PKCE (RFC 7636, S256), and its tokens.

- `authorize` makes a fresh PKCE verifier and a `state` that is sealed (Fernet: encrypted and
  authenticated with a key derived from SECRET_KEY) and carries the user, the provider, the
  verifier, a nonce and its expiry (10 minutes on the domain's clock). The verifier therefore never
  sits in the database, and nobody can forge a state for another user. The nonce's hash is kept in
  `user_settings` (`store`), so a state works once and only the newest one of a provider works.
- `complete` is the callback: the provider's browser redirect carries no bearer token, so the
  state alone names the user; it checks the state, exchanges the code with the verifier, reads the
  account and creates or refreshes the connection (unique per user, provider and account), with
  both tokens sealed (`values.tokens`). The first sync is scheduled as an effect.
- `fresh_token` refreshes an access token within 5 minutes of its expiry; a refused refresh
  (`invalid_grant`: consent withdrawn, password changed) marks the connection inactive and tells
  the user, who connects again.
- `revoke` tells the provider to drop the grant when the user disconnects (best effort: the
  tokens are deleted here whatever the provider says).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CalendarConnection, Company, User
from models.enums import CalendarProvider, Priority
from server import effects
from server.auth.principal import Principal, account_usable
from server.crypto import SecretBox
from server.domains.calendars import values
from server.domains.calendars.providers import (
    GrantRevoked,
    Provider,
    ProviderError,
    Unavailable,
    provider_for,
)
from server.domains.calendars.schemas import AuthorizationOut, ConnectionOut
from server.domains.calendars.store import Store, nonce_key, state_key
from server.domains.notifications.services import notify
from server.errors import BadRequest, Conflict, ServiceUnavailable

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

STATE_PURPOSE = "calendar-oauth-state"
STATE_LIFETIME = timedelta(minutes=10)
REFRESH_AHEAD = timedelta(minutes=5)


def pkce() -> tuple[str, str]:
    """A code verifier (86 characters of the unreserved alphabet) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def enabled_provider(ctx: AppContext, provider: CalendarProvider) -> Provider:
    adapter = provider_for(ctx.settings.calendars, provider)
    if adapter is None:
        raise Conflict(
            f"Connecting {provider.value} calendars is off on this server (no OAuth client configured).",
            code="provider_disabled",
        )
    return adapter


async def authorize(db: AsyncSession, ctx: AppContext, principal: Principal, name: str) -> AuthorizationOut:
    provider = values.provider_named(name)
    adapter = enabled_provider(ctx, provider)
    verifier, challenge = pkce()
    nonce = secrets.token_urlsafe(16)
    expires = values.now(ctx) + STATE_LIFETIME
    payload = {
        "u": principal.user_id,
        "p": provider.value,
        "v": verifier,
        "n": nonce,
        "e": expires.timestamp(),
    }
    state = SecretBox(ctx.settings.secret_key, STATE_PURPOSE).seal(json.dumps(payload))
    await Store(db, ctx.settings.secret_key).put(principal.user_id, nonce_key(provider.value), _hash(nonce))
    url = adapter.authorization_url(
        state=state, challenge=challenge, redirect_uri=values.redirect_uri(ctx.settings, provider)
    )
    return AuthorizationOut(provider=provider, authorization_url=url, expires_at=expires)


def _refused(detail: str, code: str = "invalid_state") -> BadRequest:
    return BadRequest(detail, code=code)


async def complete(
    db: AsyncSession, ctx: AppContext, name: str, code: str | None, state: str | None, error: str | None
) -> ConnectionOut:
    provider = values.provider_named(name)
    adapter = enabled_provider(ctx, provider)
    try:
        payload = json.loads(SecretBox(ctx.settings.secret_key, STATE_PURPOSE).open(state or ""))
    except ValueError:
        raise _refused("The authorization's state is not one this server made.") from None
    if payload.get("p") != provider.value:
        raise _refused("The state was made for another provider.")
    if values.now(ctx).timestamp() > float(payload["e"]):
        raise _refused("The authorization took too long; start again.", "state_expired")
    user_id = int(payload["u"])
    store = Store(db, ctx.settings.secret_key)
    if await store.get(user_id, nonce_key(provider.value)) != _hash(str(payload["n"])):
        raise _refused("This authorization was already used or replaced by a newer one.")
    await store.delete(user_id, nonce_key(provider.value))
    user = await db.get(User, user_id)
    company = await db.get(Company, user.company_id) if user and user.company_id else None
    if user is None or not account_usable(user, company):
        raise _refused("The account that started this authorization can no longer sign in.")
    if error or not code:
        raise _refused(f"The provider did not authorize: {error or 'no code'}.", "authorization_denied")
    now = values.now(ctx)
    try:
        grant = await adapter.exchange(
            code=code,
            verifier=str(payload["v"]),
            redirect_uri=values.redirect_uri(ctx.settings, provider),
            now=now,
        )
        account = await adapter.account(grant.access_token)
    except Unavailable:
        raise ServiceUnavailable("The calendar provider did not answer; try again.") from None
    except ProviderError as exc:
        raise _refused(
            f"The provider refused the authorization code ({exc}).", "authorization_failed"
        ) from None
    box = values.tokens(ctx.settings)
    connection = await db.scalar(
        select(CalendarConnection)
        .where(
            CalendarConnection.user_id == user_id,
            CalendarConnection.provider == provider,
            CalendarConnection.external_account_id == account.id,
        )
        .with_for_update()
    )
    if connection is None:
        connection = CalendarConnection(user_id=user_id, provider=provider, external_account_id=account.id)
        db.add(connection)
    connection.external_account_email = account.email[:255]
    connection.display_name = (account.display_name or "")[:255] or None
    connection.access_token = box.seal(grant.access_token)
    connection.refresh_token = box.seal(grant.refresh_token) if grant.refresh_token else None
    connection.token_expires_at = grant.expires_at
    connection.is_active = True
    await db.flush()
    await db.refresh(connection)
    state_now = {"status": "queued", "detail": None, "at": now.isoformat(), "retry_at": None}
    await store.put(user_id, state_key(connection.id), state_now, data_type=values.JSON)
    effects.schedule(db, values.SYNC, key=str(connection.id), connection_id=connection.id, full=True)
    return values.connection_out(connection, state_now)


async def fresh_token(
    db: AsyncSession, ctx: AppContext, connection: CalendarConnection, adapter: Provider, now: datetime
) -> str:
    """A usable access token (refreshed and stored when it expires within 5 minutes).

    Raises GrantRevoked after marking the connection inactive and notifying its user; the caller
    lets its transaction commit so that is kept."""
    box = values.tokens(ctx.settings)
    expires = connection.token_expires_at
    if expires is None or expires - REFRESH_AHEAD > now:
        return box.open(connection.access_token)
    if connection.refresh_token is None:
        await deactivate(db, ctx, connection, "The provider gave no refresh token; connect again.")
        raise GrantRevoked("no refresh token")
    try:
        grant = await adapter.refresh(box.open(connection.refresh_token), now=now)
    except GrantRevoked:
        await deactivate(db, ctx, connection, "The calendar's access was revoked; connect it again.")
        raise
    connection.access_token = box.seal(grant.access_token)
    if grant.refresh_token:
        connection.refresh_token = box.seal(grant.refresh_token)
    connection.token_expires_at = grant.expires_at
    await db.flush()
    return grant.access_token


async def deactivate(db: AsyncSession, ctx: AppContext, connection: CalendarConnection, reason: str) -> None:
    connection.is_active = False
    await db.flush()
    state = {"status": "revoked", "detail": reason, "at": values.now(ctx).isoformat(), "retry_at": None}
    await Store(db, ctx.settings.secret_key).put(
        connection.user_id, state_key(connection.id), state, data_type=values.JSON
    )
    await notify(
        db,
        user_id=connection.user_id,
        type="calendar_disconnected",
        title="Your calendar was disconnected",
        message=f"{connection.external_account_email} ({connection.provider.value}): {reason}",
        category="calendar",
        priority=Priority.HIGH,
        data={"connection_id": connection.id, "provider": connection.provider.value},
        action_url="/settings/calendars",
    )


async def revoke(ctx: AppContext, connection: CalendarConnection, adapter: Provider | None) -> None:
    """Ask the provider to drop the grant; a failure is logged, never blocks disconnecting."""
    if adapter is None:
        return
    box = values.tokens(ctx.settings)
    sealed = connection.refresh_token or connection.access_token
    try:
        await adapter.revoke(box.open(sealed))
    except (ProviderError, ValueError):
        log.warning("revoking calendar connection %s failed", connection.id, exc_info=True)
