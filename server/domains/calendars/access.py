"""Who may see a calendar connection: its own user, nobody else.

A connection holds someone's private calendar and the keys to it, so it is personal: not the
user's company admin, not a system_admin. Anyone else's connection answers 404, exactly like a
missing id, so its existence never leaks (another tenant's above all). Synced events are reached
only through their connection, that is, through this module.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CalendarConnection
from server.auth.principal import Principal
from server.errors import NotFound


def readable(principal: Principal) -> ColumnElement[bool]:
    return CalendarConnection.user_id == principal.user_id


def not_found(connection_id: int) -> NotFound:
    return NotFound(f"Calendar connection {connection_id} was not found.")


async def load(
    db: AsyncSession, principal: Principal, connection_id: int, *, write: bool = False
) -> CalendarConnection:
    """The principal's own connection (its row locked when `write`); 404 for any other id."""
    statement = select(CalendarConnection).where(CalendarConnection.id == connection_id, readable(principal))
    connection = await db.scalar(statement.with_for_update() if write else statement)
    if connection is None:
        raise not_found(connection_id)
    return connection
