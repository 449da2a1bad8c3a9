"""What the calendars API says and accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from models.enums import CalendarEventStatus, CalendarProvider, SyncStatus


class ProviderOut(msgspec.Struct, kw_only=True):
    provider: CalendarProvider
    enabled: bool
    """False when the server has no OAuth client for it (`GOOGLE_CLIENT_ID`, ... unset)."""


class AuthorizationOut(msgspec.Struct, kw_only=True):
    provider: CalendarProvider
    authorization_url: str
    """Send the user's browser here; the provider sends it back to the callback."""
    expires_at: datetime


class ConnectionOut(msgspec.Struct, kw_only=True):
    id: int
    provider: CalendarProvider
    external_account_email: str
    display_name: str | None
    is_active: bool
    sync_enabled: bool
    last_sync: datetime | None
    sync_status: str
    """never, queued, ok, retrying (see retry_at), failed, paused, inactive or revoked."""
    sync_detail: str | None
    retry_at: datetime | None
    token_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ConnectionUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    sync_enabled: bool


class EventOut(msgspec.Struct, kw_only=True):
    id: int
    connection_id: int
    external_event_id: str
    title: str
    description: str | None
    start: datetime
    end: datetime
    timezone: str | None
    location: str | None
    is_all_day: bool
    status: CalendarEventStatus
    organizer_email: str | None
    attendees: Any
    meeting_url: str | None
    is_recurring: bool
    recurrence_rule: str | None
    sync_status: SyncStatus
    last_modified: datetime | None
    interview_id: int | None
    """The interview this event was pushed for, when MiraiWorks wrote it."""


class Slot(msgspec.Struct, kw_only=True):
    start: datetime
    end: datetime


class FeedOut(msgspec.Struct, kw_only=True):
    active: bool
    url: str | None = None
    """Only in the answer of a rotation: the server keeps a hash, never the URL."""
    created_at: datetime | None = None
