"""Shared helpers of the /api/todos tests: time, calls, notifications and stored rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from models import AuditLog, Notification, Todo
from server.context import AppContext
from tests.server.tenants import Callers

BASE = "/api/todos"


def now() -> datetime:
    return datetime.now(UTC)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def parsed(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def ok(callers: Callers, who: str, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
    """Call and require exactly `status`; answers the JSON body (None when there is none)."""
    r = await callers.call(who, method, path, **kwargs)
    assert r.status_code == status, r.text
    return r.json() if r.content else None


async def notifications_of(ctx: AppContext, user_id: int) -> list[tuple[str, dict[str, Any]]]:
    """`(type, data)` of every notification of a user, oldest first."""
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        )
        return [(row.type, row.data) for row in rows]


async def stored_todo(ctx: AppContext, todo_id: int) -> Todo:
    async with ctx.sessionmaker() as db:
        todo = await db.get(Todo, todo_id)
        assert todo is not None
        return todo


async def audit_actions(ctx: AppContext, entity_type: str, entity_id: int) -> list[str]:
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(AuditLog.action)
            .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == entity_id)
            .order_by(AuditLog.id)
        )
        return list(rows)
