"""Small shared pieces of the calendars domain: its clock, sealed tokens, answers built from rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from models import CalendarConnection, CalendarIntegration
from models.enums import CalendarProvider, SettingDataType
from server.crypto import SecretBox
from server.domains.calendars.schemas import ConnectionOut, EventOut
from server.errors import NotFound
from server.settings import Settings

if TYPE_CHECKING:
    from server.context import AppContext

TOKENS_PURPOSE = "calendar-tokens"
"""Access and refresh tokens are sealed at rest with a key of their own (HKDF of SECRET_KEY)."""
JSON = SettingDataType.JSON
SYNC = "calendars.sync"
PUSH = "calendars.push"
PROVIDER_NAMES = {provider.value: provider for provider in CalendarProvider}


def now(ctx: AppContext) -> datetime:
    """The job queue's clock (a test moves it), else the system's: expiry follows job time."""
    clock = getattr(ctx.jobs, "clock", None)
    moment: datetime = clock.now() if clock is not None else datetime.now(UTC)
    return moment


def tokens(settings: Settings) -> SecretBox:
    return SecretBox(settings.secret_key, TOKENS_PURPOSE)


def provider_named(name: str) -> CalendarProvider:
    provider = PROVIDER_NAMES.get(name)
    if provider is None:
        raise NotFound(f"Calendar provider {name!r} was not found.", code="provider_not_found")
    return provider


def redirect_uri(settings: Settings, provider: CalendarProvider) -> str:
    return f"{settings.public_base_url}/api/calendars/oauth/{provider.value}/callback"


def connection_out(connection: CalendarConnection, state: dict[str, Any] | None) -> ConnectionOut:
    state = state or {}
    status = str(state.get("status") or "never")
    if not connection.is_active:
        status = "revoked" if status == "revoked" else "inactive"
    elif not connection.sync_enabled:
        status = "paused"
    retry_at = state.get("retry_at")
    return ConnectionOut(
        id=connection.id,
        provider=connection.provider,
        external_account_email=connection.external_account_email,
        display_name=connection.display_name,
        is_active=connection.is_active,
        sync_enabled=connection.sync_enabled,
        last_sync=connection.last_sync,
        sync_status=status,
        sync_detail=state.get("detail"),
        retry_at=datetime.fromisoformat(retry_at) if retry_at else None,
        token_expires_at=connection.token_expires_at,
        created_at=connection.created_at,
        updated_at=connection.updated_at,
    )


def event_out(row: CalendarIntegration, interview_id: int | None) -> EventOut:
    return EventOut(
        id=row.id,
        connection_id=row.connection_id,
        external_event_id=row.external_event_id,
        title=row.title,
        description=row.description,
        start=row.start_datetime,
        end=row.end_datetime,
        timezone=row.timezone,
        location=row.location,
        is_all_day=row.is_all_day,
        status=row.status,
        organizer_email=row.organizer_email,
        attendees=row.attendees,
        meeting_url=row.meeting_url,
        is_recurring=row.is_recurring,
        recurrence_rule=row.recurrence_rule,
        sync_status=row.sync_status,
        last_modified=row.last_modified,
        interview_id=interview_id,
    )
