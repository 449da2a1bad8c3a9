"""A user's calendar connections: list, pause and resume, sync now, disconnect, synced events.

Who may: `access` (the connection's own user only). Connecting is `oauth`; what the jobs do is
`sync` and `push`. Disconnecting revokes the grant at the provider (best effort), deletes the
connection with its synced events (the foreign key cascades) and its `user_settings` rows; the
events MiraiWorks pushed stay in the external calendar, which it may no longer write to.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CalendarConnection, CalendarIntegration
from server import effects
from server.auth.principal import Principal
from server.domains.calendars import access, oauth, values
from server.domains.calendars.providers import enabled, provider_for
from server.domains.calendars.schemas import ConnectionOut, EventOut, ProviderOut
from server.domains.calendars.store import Store, state_key
from server.errors import Conflict
from server.listing import paginate
from server.schemas import Page

if TYPE_CHECKING:
    from server.context import AppContext


class CalendarsService:
    def __init__(self, db: AsyncSession, principal: Principal, ctx: AppContext) -> None:
        self.db = db
        self.principal = principal
        self.ctx = ctx
        self.store = Store(db, ctx.settings.secret_key)

    def providers(self) -> list[ProviderOut]:
        return [ProviderOut(provider=p, enabled=on) for p, on in enabled(self.ctx.settings.calendars).items()]

    async def _out(self, connection: CalendarConnection) -> ConnectionOut:
        await self.db.refresh(connection)
        state = await self.store.get(connection.user_id, state_key(connection.id))
        return values.connection_out(connection, state if isinstance(state, dict) else None)

    async def search(self, *, limit: int, offset: int) -> Page[ConnectionOut]:
        statement = (
            select(CalendarConnection).where(access.readable(self.principal)).order_by(CalendarConnection.id)
        )
        rows, total = await paginate(self.db, statement, limit, offset)
        return Page(items=[await self._out(row) for row in rows], total=total)

    async def get(self, connection_id: int) -> ConnectionOut:
        return await self._out(await access.load(self.db, self.principal, connection_id))

    async def set_sync(self, connection_id: int, sync_enabled: bool) -> ConnectionOut:
        connection = await access.load(self.db, self.principal, connection_id, write=True)
        resumed = sync_enabled and not connection.sync_enabled
        connection.sync_enabled = sync_enabled
        await self.db.flush()
        if resumed and connection.is_active:
            await self._queue(connection)
        return await self._out(connection)

    async def sync_now(self, connection_id: int) -> ConnectionOut:
        connection = await access.load(self.db, self.principal, connection_id, write=True)
        if not connection.is_active:
            raise Conflict(
                "This connection is inactive; connect the calendar again.", code="connection_inactive"
            )
        if not connection.sync_enabled:
            raise Conflict("Sync of this connection is paused; resume it first.", code="sync_paused")
        await self._queue(connection)
        return await self._out(connection)

    async def _queue(self, connection: CalendarConnection) -> None:
        state = {"status": "queued", "detail": None, "at": values.now(self.ctx).isoformat(), "retry_at": None}
        await self.store.put(connection.user_id, state_key(connection.id), state, data_type=values.JSON)
        effects.schedule(self.db, values.SYNC, key=str(connection.id), connection_id=connection.id)

    async def disconnect(self, connection_id: int) -> None:
        connection = await access.load(self.db, self.principal, connection_id, write=True)
        await oauth.revoke(
            self.ctx, connection, provider_for(self.ctx.settings.calendars, connection.provider)
        )
        await self.store.forget_connection(connection.user_id, connection.id)
        await self.db.delete(connection)
        await self.db.flush()

    async def events(
        self,
        connection_id: int,
        *,
        starts_from: datetime | None,
        starts_before: datetime | None,
        limit: int,
        offset: int,
    ) -> Page[EventOut]:
        connection = await access.load(self.db, self.principal, connection_id)
        statement = select(CalendarIntegration).where(CalendarIntegration.connection_id == connection.id)
        if starts_from is not None:
            statement = statement.where(CalendarIntegration.end_datetime > starts_from)
        if starts_before is not None:
            statement = statement.where(CalendarIntegration.start_datetime < starts_before)
        ordered = statement.order_by(CalendarIntegration.start_datetime, CalendarIntegration.id)
        rows, total = await paginate(self.db, ordered, limit, offset)
        pushed = await self.store.linked_interviews(connection.user_id, connection.id)
        return Page(
            items=[values.event_out(row, pushed.get(row.external_event_id)) for row in rows], total=total
        )
