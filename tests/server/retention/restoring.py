"""Shared by the restore tests of each domain: rows deleted so many days ago (real time, as the
routes read the clock), and the check that each allowed caller restores exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from models import AuditLog, Base
from server.context import AppContext
from tests.server.tenants import Callers, assert_rows


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def set_deleted(ctx: AppContext, model: type[Base], row_id: int, deleted_at: datetime | None) -> None:
    """Soft-delete the row at `deleted_at` (None: make it live)."""
    table: Any = model.__table__
    values = {"is_deleted": deleted_at is not None, "deleted_at": deleted_at, "deleted_by": None}
    async with ctx.transaction() as db:
        await db.execute(update(table).where(table.c.id == row_id).values(**values))


async def assert_each_restores(
    callers: Callers,
    ctx: AppContext,
    model: type[Base],
    path: str,
    allowed: list[tuple[str, str]],
    deleted_at: dict[str, datetime],
) -> None:
    """Each (who, target) restores the target (200, the row as answered, live afterwards); the row
    is deleted again at its old time before the next one tries."""
    expected, got = [], []
    for who, target in allowed:
        row_id = int(callers.path("{" + target + "}"))
        response = await callers.call(who, "POST", path.replace("{target}", "{" + target + "}"))
        body = response.json()
        expected.append((who, target, 200, row_id, False))
        is_deleted = await _is_deleted(ctx, model, row_id)
        got.append((who, target, response.status_code, body.get("id"), is_deleted))
        await set_deleted(ctx, model, row_id, deleted_at[target])
    assert_rows(expected, got)


async def _is_deleted(ctx: AppContext, model: type[Base], row_id: int) -> bool:
    async with ctx.sessionmaker() as db:
        row = await db.get(model, row_id)
        assert row is not None
        return bool(row.is_deleted)  # type: ignore[attr-defined]


async def restore_audits(ctx: AppContext, table: str, row_id: int) -> list[int | None]:
    """Who restored the row, one entry per `<table>.restore` audit row."""
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(AuditLog.user_id).where(
                AuditLog.action == f"{table}.restore", AuditLog.entity_id == row_id
            )
        )
        return list(rows)
