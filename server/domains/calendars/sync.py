"""Pulling a connection's external calendar into `calendar_integrations`, one job per connection.

`calendars.sync` (connection_id) pulls every change since the stored cursor (Google's sync token,
Graph's delta link: `store`), page by page, into the mirror (`mirror.apply`), then keeps the new
cursor and `last_sync`. Without a cursor, or when asked (`full`), it is a full sync: the mirror is
emptied and listed again in the same transaction, so readers never see a half-empty calendar. A
cursor the provider refuses (410 Gone) starts a full resync at once.

What went wrong is kept in the connection's state (`calendar.<id>.state`, shown by the API as
`sync_status`) and never lost:
- 429: the job schedules itself again after the provider's Retry-After (`retrying`, `retry_at`);
- 5xx or no answer: the job fails after saving its state and the queue retries it with backoff
  (`Job` below); should every retry fail, the periodic `calendars.sync_due` starts again later;
- a revoked grant: the connection goes inactive and its user is told (`oauth.fresh_token`);
- any other refusal: `failed`, with the provider's words, until the next sync.
A paused (`sync_enabled` false) or inactive connection is not synced. Pages already applied when a
sync stops are kept: applying a change twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CalendarConnection
from server import audit, effects
from server.domains.calendars import mirror, oauth, values
from server.domains.calendars.providers import (
    GrantRevoked,
    Provider,
    RateLimited,
    Rejected,
    SyncReset,
    Unavailable,
    provider_for,
)
from server.domains.calendars.store import Store, cursor_key, state_key
from server.jobs import Job, Periodic

if TYPE_CHECKING:
    from server.context import AppContext

DUE = "calendars.sync_due"
MAX_PAGES = 500
"""A safety stop: 500 pages are 125,000 Google events or 50,000 Graph events."""


async def save_state(
    store: Store,
    connection: CalendarConnection,
    status: str,
    now: datetime,
    detail: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    state = {
        "status": status,
        "detail": detail[:500] if detail else None,
        "at": now.isoformat(),
        "retry_at": retry_at.isoformat() if retry_at else None,
    }
    await store.put(connection.user_id, state_key(connection.id), state, data_type=values.JSON)


async def _pull(
    db: AsyncSession, adapter: Provider, token: str, connection_id: int, cursor: str | None
) -> str | None:
    page: str | None = None
    for _ in range(MAX_PAGES):
        changes = await adapter.changes(token, cursor=cursor, page=page)
        await mirror.apply(db, connection_id, changes.events)
        if not changes.next_page:
            return changes.cursor
        page = changes.next_page
    raise Rejected(400, f"more than {MAX_PAGES} pages of changes")


async def sync_connection(ctx: AppContext, *, connection_id: int, full: bool = False) -> None:
    """The job: one incremental (or full) sync of one connection."""
    failure: Unavailable | None = None
    async with ctx.transaction() as db:
        audit.set_actor(db, audit.AuditActor(user_agent=f"miraiworks job {values.SYNC}"))
        connection = await db.scalar(
            select(CalendarConnection).where(CalendarConnection.id == connection_id).with_for_update()
        )
        if connection is None or not connection.is_active or not connection.sync_enabled:
            return
        store = Store(db, ctx.settings.secret_key)
        now = values.now(ctx)
        adapter = provider_for(ctx.settings.calendars, connection.provider)
        if adapter is None:
            await save_state(store, connection, "failed", now, "the provider is off on this server")
            return
        try:
            token = await oauth.fresh_token(db, ctx, connection, adapter, now)
            cursor = None if full else await store.get(connection.user_id, cursor_key(connection.id))
            if cursor is None:
                await mirror.forget(db, connection.id)
            try:
                new_cursor = await _pull(db, adapter, token, connection.id, cursor)
            except SyncReset:
                await mirror.forget(db, connection.id)
                new_cursor = await _pull(db, adapter, token, connection.id, None)
        except GrantRevoked:
            return
        except RateLimited as exc:
            retry = now + timedelta(seconds=exc.retry_after)
            await save_state(store, connection, "retrying", now, str(exc), retry)
            key = f"{connection.id}:after:{int(retry.timestamp())}"
            effects.schedule(db, values.SYNC, at=retry, key=key, connection_id=connection.id)
            return
        except Unavailable as exc:
            await save_state(store, connection, "retrying", now, str(exc))
            failure = exc
        except Rejected as exc:
            await save_state(store, connection, "failed", now, str(exc))
            return
        else:
            if new_cursor:
                await store.put(connection.user_id, cursor_key(connection.id), new_cursor, sealed=True)
            connection.last_sync = now
            await save_state(store, connection, "ok", now)
    if failure is not None:
        raise failure  # the queue retries with backoff


async def sync_due(ctx: AppContext) -> None:
    """The periodic job: queue a sync of every active, unpaused connection not waiting on a 429."""
    async with ctx.transaction() as db:
        connections = list(
            await db.scalars(
                select(CalendarConnection).where(
                    CalendarConnection.is_active.is_(True), CalendarConnection.sync_enabled.is_(True)
                )
            )
        )
        store = Store(db, ctx.settings.secret_key)
        now = values.now(ctx)
        for connection in connections:
            state = await store.get(connection.user_id, state_key(connection.id)) or {}
            retry_at = state.get("retry_at") if isinstance(state, dict) else None
            if retry_at and datetime.fromisoformat(retry_at) > now:
                continue
            effects.schedule(db, values.SYNC, key=str(connection.id), connection_id=connection.id)


SYNC_JOB = Job(
    values.SYNC,
    sync_connection,
    retries=6,
    timeout_seconds=600,
    retry_delay_seconds=30,
    max_retry_delay_seconds=1800,
)
DUE_JOB = Job(DUE, sync_due, retries=2, timeout_seconds=120)
DUE_PERIODIC = Periodic(DUE, "*/15 * * * *")
