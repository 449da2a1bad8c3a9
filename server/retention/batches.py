"""Deleting plain rows by a condition, at most `BATCH` a transaction (audit logs past 7 years)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, select

from server.context import AppContext
from server.retention.policy import BATCH


async def delete_in_batches(ctx: AppContext, table: Table, condition: ColumnElement[bool]) -> int:
    """Delete every row of `table` matching `condition`, one committed batch after another."""
    deleted = 0
    while True:
        async with ctx.transaction() as db:
            ids = list(
                await db.scalars(select(table.c.id).where(condition).order_by(table.c.id).limit(BATCH))
            )
            if ids:
                result = await db.execute(delete(table).where(table.c.id.in_(ids), condition))
                deleted += int(result.rowcount)  # type: ignore[attr-defined]
        if len(ids) < BATCH:
            return deleted
