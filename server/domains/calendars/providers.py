"""What the calendars domain needs from a calendar provider: one protocol, two adapters.

`google` speaks Google Calendar API v3 and Google's OAuth 2.0 endpoints; `microsoft` speaks
Microsoft Graph v1.0 and the Microsoft identity platform. Everything above this module works with
the provider-neutral values below, so sync, push and busy times are written once.

A provider answers with one of the errors below, never with a bare httpx error, so the jobs can
tell what to do: `GrantRevoked` (the user withdrew consent: the connection goes inactive),
`SyncReset` (410: start a full resync), `RateLimited` (429: come back after `retry_after`),
`Unavailable` (5xx or the network: retried with backoff), `Rejected` (any other refusal).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx
import msgspec

from models.enums import CalendarEventStatus, CalendarProvider
from server.settings import CalendarProviders

TIMEOUT_SECONDS = 20.0
DEFAULT_RETRY_AFTER = 60


class ProviderError(Exception):
    """A provider refused or failed a call."""


class GrantRevoked(ProviderError):
    """The refresh token no longer works (`invalid_grant`): the user must connect again."""


class SyncReset(ProviderError):
    """The sync token or delta link expired (410 Gone): a full resync is needed."""


class RateLimited(ProviderError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


class Unavailable(ProviderError):
    """5xx or no answer: worth trying again later."""


class Rejected(ProviderError):
    """Any other 4xx: trying again would not help."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"{status}: {text}")
        self.status = status


class Grant(msgspec.Struct, frozen=True, kw_only=True):
    access_token: str
    refresh_token: str | None
    expires_at: datetime | None


class Account(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    display_name: str | None


class RemoteEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One event as the provider has it; `removed` means it is gone (deleted or cancelled)."""

    id: str
    removed: bool = False
    title: str = ""
    description: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    timezone: str | None = None
    location: str | None = None
    is_all_day: bool = False
    status: CalendarEventStatus = CalendarEventStatus.CONFIRMED
    organizer_email: str | None = None
    attendees: list[dict[str, Any]] | None = None
    meeting_url: str | None = None
    recurrence_rule: str | None = None
    is_recurring: bool = False
    last_modified: datetime | None = None


class ChangePage(msgspec.Struct, frozen=True, kw_only=True):
    """A page of changes: follow `next_page`, or keep `cursor` for the next incremental sync."""

    events: list[RemoteEvent]
    next_page: str | None
    cursor: str | None


class OutgoingEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An interview as it is written into someone's external calendar."""

    marker: str
    """Deterministic per (interview, connection): Google's event id, Graph's transactionId."""
    title: str
    description: str
    start: datetime
    end: datetime
    timezone: str
    location: str | None
    join_url: str | None


class Provider(Protocol):
    name: CalendarProvider

    def authorization_url(self, *, state: str, challenge: str, redirect_uri: str) -> str: ...

    async def exchange(self, *, code: str, verifier: str, redirect_uri: str, now: datetime) -> Grant: ...

    async def refresh(self, refresh_token: str, *, now: datetime) -> Grant: ...

    async def revoke(self, token: str) -> None: ...

    async def account(self, access_token: str) -> Account: ...

    async def changes(self, access_token: str, *, cursor: str | None, page: str | None) -> ChangePage:
        """One page of changes since `cursor` (None: a full sync), or the page `page` of a sync."""

    async def put_event(self, access_token: str, event: OutgoingEvent, external_id: str | None) -> str:
        """Create (no `external_id`) or update the event; its provider id. Creating twice with one
        marker never makes two events."""

    async def cancel_event(self, access_token: str, external_id: str) -> None: ...


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT_SECONDS)


def retry_after(response: httpx.Response) -> int:
    raw = response.headers.get("retry-after", "")
    return max(1, int(raw)) if raw.isdigit() else DEFAULT_RETRY_AFTER


def check(response: httpx.Response) -> httpx.Response:
    """The response when it is a success; the matching ProviderError otherwise."""
    status = response.status_code
    if status < 400:
        return response
    if status == 410:
        raise SyncReset(response.text[:200])
    if status == 429:
        raise RateLimited(retry_after(response))
    if status >= 500:
        raise Unavailable(f"{status}: {response.text[:200]}")
    if status == 400 and _oauth_error(response) == "invalid_grant":
        raise GrantRevoked(response.text[:200])
    raise Rejected(status, response.text[:200])


def _oauth_error(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


async def send(request: httpx.Request) -> httpx.Response:
    """Send one request; a network failure is `Unavailable`."""
    async with client() as http:
        try:
            return check(await http.send(request))
        except httpx.TransportError as exc:
            raise Unavailable(str(exc)) from exc


def grant_from(body: dict[str, Any], now: datetime, keep_refresh: str | None = None) -> Grant:
    """A token endpoint's answer (RFC 6749 §5.1); a refresh may omit the refresh token (kept)."""
    expires_in = body.get("expires_in")
    return Grant(
        access_token=str(body["access_token"]),
        refresh_token=body.get("refresh_token") or keep_refresh,
        expires_at=now + timedelta(seconds=int(expires_in)) if expires_in is not None else None,
    )


def enabled(config: CalendarProviders) -> dict[CalendarProvider, bool]:
    return {
        CalendarProvider.GOOGLE: bool(config.google_client_id and config.google_client_secret),
        CalendarProvider.OUTLOOK: bool(config.microsoft_client_id and config.microsoft_client_secret),
    }


def provider_for(config: CalendarProviders, name: CalendarProvider) -> Provider | None:
    """The provider's adapter, or None when its client is not configured (the feature is off)."""
    if not enabled(config)[name]:
        return None
    from server.domains.calendars import google, microsoft

    if name is CalendarProvider.GOOGLE:
        return google.Google(config)
    return microsoft.Microsoft(config)
