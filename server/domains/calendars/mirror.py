"""The `calendar_integrations` rows of a connection: an exact mirror of its external calendar.

One row per external event (unique by connection and external id): created when the provider first
shows it, changed when it changes, `status = cancelled` when the provider says it was cancelled or
deleted (a cancelled occurrence of a recurring series is kept as a cancelled row at its original
start, so busy times leave that occurrence out). All-day events are their dates at 00:00 UTC
(end exclusive, as both providers give them); recurring series keep their RRULE (and EXDATE) lines.

Rows are written with Core statements, not through the ORM: they mirror the provider's data, a
sync may touch hundreds of them, and the audit trail is for changes people make in MiraiWorks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import CalendarIntegration
from models.enums import CalendarEventStatus, SyncStatus
from server.domains.calendars.providers import OutgoingEvent, RemoteEvent

TABLE = cast(Table, CalendarIntegration.__table__)
CANCELLED_TITLE = "(cancelled occurrence)"


def _columns(event: RemoteEvent) -> dict[str, Any]:
    return {
        "title": event.title or "(no title)",
        "description": event.description,
        "start_datetime": event.start,
        "end_datetime": event.end or event.start,
        "timezone": (event.timezone or None) and str(event.timezone)[:50],
        "location": event.location,
        "is_all_day": event.is_all_day,
        "status": event.status,
        "organizer_email": event.organizer_email and event.organizer_email[:255],
        "attendees": event.attendees,
        "meeting_url": event.meeting_url and event.meeting_url[:500],
        "is_recurring": event.is_recurring,
        "recurrence_rule": event.recurrence_rule,
        "sync_status": SyncStatus.SYNCED,
        "last_modified": event.last_modified,
    }


async def _existing(db: AsyncSession, connection_id: int, external_ids: list[str]) -> dict[str, int]:
    if not external_ids:
        return {}
    rows = await db.execute(
        select(CalendarIntegration.external_event_id, CalendarIntegration.id).where(
            CalendarIntegration.connection_id == connection_id,
            CalendarIntegration.external_event_id.in_(external_ids),
        )
    )
    return dict(rows.tuples().all())


async def apply(db: AsyncSession, connection_id: int, events: list[RemoteEvent]) -> int:
    """Apply one page of changes; how many rows changed."""
    known = await _existing(db, connection_id, [event.id[:255] for event in events])
    changed = 0
    for event in events:
        external_id = event.id[:255]
        row_id = known.get(external_id)
        if event.removed:
            if row_id is not None:
                await db.execute(
                    update(TABLE)
                    .where(TABLE.c.id == row_id)
                    .values(status=CalendarEventStatus.CANCELLED, sync_status=SyncStatus.SYNCED)
                )
                changed += 1
            elif event.start is not None:  # a cancelled occurrence we never saw: keep where it was
                await db.execute(
                    insert(TABLE).values(
                        connection_id=connection_id,
                        external_event_id=external_id,
                        title=CANCELLED_TITLE,
                        start_datetime=event.start,
                        end_datetime=event.start,
                        status=CalendarEventStatus.CANCELLED,
                        is_recurring=True,
                        sync_status=SyncStatus.SYNCED,
                    )
                )
                known[external_id] = -1
                changed += 1
            continue
        if event.start is None:
            continue
        if row_id is not None and row_id > 0:
            await db.execute(update(TABLE).where(TABLE.c.id == row_id).values(**_columns(event)))
        else:
            await db.execute(
                insert(TABLE).values(
                    connection_id=connection_id, external_event_id=external_id, **_columns(event)
                )
            )
            known[external_id] = -1
        changed += 1
    return changed


async def forget(db: AsyncSession, connection_id: int) -> None:
    """Every row of the connection (before a full resync, which lists them all again)."""
    await db.execute(delete(TABLE).where(TABLE.c.connection_id == connection_id))


async def record_push(
    db: AsyncSession, connection_id: int, external_id: str, event: OutgoingEvent | None, status: SyncStatus
) -> None:
    """The row of an event we wrote (or cancelled: `event` None), before the next pull confirms it."""
    row_id = (await _existing(db, connection_id, [external_id])).get(external_id)
    if event is None:
        if row_id is not None:
            values = {"status": CalendarEventStatus.CANCELLED, "sync_status": status}
            await db.execute(update(TABLE).where(TABLE.c.id == row_id).values(**values))
        return
    columns: dict[str, Any] = {
        "title": event.title[:255],
        "description": event.description,
        "start_datetime": event.start,
        "end_datetime": event.end,
        "timezone": event.timezone,
        "location": (event.location or None) and event.location[:255],
        "status": CalendarEventStatus.CONFIRMED,
        "meeting_url": event.join_url and event.join_url[:500],
        "sync_status": status,
    }
    if row_id is None:
        await db.execute(
            insert(TABLE).values(connection_id=connection_id, external_event_id=external_id, **columns)
        )
    else:
        await db.execute(update(TABLE).where(TABLE.c.id == row_id).values(**columns))


async def mark(db: AsyncSession, connection_id: int, external_id: str, status: SyncStatus) -> None:
    await db.execute(
        update(TABLE)
        .where(TABLE.c.connection_id == connection_id, TABLE.c.external_event_id == external_id)
        .values(sync_status=status)
    )


def occurrence_start(external_id: str) -> datetime | None:
    """The original start of a Google instance id (`<series>_20300401T010000Z` or `_20300401`)."""
    _, _, suffix = external_id.rpartition("_")
    for layout in ("%Y%m%dT%H%M%SZ", "%Y%m%d"):
        try:
            return datetime.strptime(suffix, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None
