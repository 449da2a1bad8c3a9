"""`notify`: the one way a domain service creates a notification, pushed only after commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog, Notification
from models.enums import Priority
from server.context import AppContext
from server.domains.notifications.events import NotificationCreated
from server.domains.notifications.services import notify
from tests.server.notifications.helpers import future, two_users


class Seen:
    """A NotificationCreated subscriber that remembers what it was given."""

    def __init__(self) -> None:
        self.events: list[NotificationCreated] = []

    async def __call__(self, event: NotificationCreated) -> None:
        self.events.append(event)


async def test_notify_stores_every_field_and_answers_the_stored_notification(
    ctx: AppContext, session: AsyncSession
) -> None:
    owner, _ = await two_users(ctx)
    expires = future()
    async with ctx.transaction() as db:
        out = await notify(
            db,
            user_id=owner.id,
            type="interview_scheduled",
            title="面接日程が確定しました",
            message="一次面接が登録されました。",
            category="interview",
            priority=Priority.HIGH,
            data={"interview_id": 7, "tags": ["a", "b"]},
            action_url="/interviews/7",
            expires_at=expires,
        )

    row = await session.get_one(Notification, out.id)
    assert row.user_id == owner.id
    assert (row.type, row.title, row.message) == (
        "interview_scheduled",
        "面接日程が確定しました",
        out.message,
    )
    assert row.data == {"interview_id": 7, "tags": ["a", "b"]}
    assert (row.priority, row.category, row.action_url) == (Priority.HIGH, "interview", "/interviews/7")
    assert row.is_read is False
    assert row.read_at is None
    assert abs((row.expires_at or expires) - expires).total_seconds() < 0.001
    assert out.is_read is False
    assert out.data == row.data
    assert out.created_at == row.created_at
    assert isinstance(out.created_at, datetime)
    assert out.created_at.tzinfo is not None


async def test_notify_defaults_to_normal_priority_without_category_data_or_link_expiring_in_90_days(
    ctx: AppContext,
) -> None:
    owner, _ = await two_users(ctx)
    async with ctx.transaction() as db:
        out = await notify(db, user_id=owner.id, type="message_received", title="新着", message="本文")
    assert out.priority is Priority.NORMAL
    assert (out.category, out.data, out.action_url) == (None, None, None)
    assert out.expires_at is not None
    assert abs((out.expires_at - out.created_at) - timedelta(days=90)).total_seconds() < 5


async def test_the_created_event_is_published_only_after_the_commit(ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    seen = Seen()
    ctx.hub.subscribe(NotificationCreated, seen)

    async with ctx.transaction() as db:
        out = await notify(db, user_id=owner.id, type="todo_assigned", title="New todo", message="Do it")
        assert seen.events == []

    assert seen.events == [NotificationCreated(user_id=owner.id, notification=out)]


async def test_a_rolled_back_notification_is_neither_stored_nor_published(
    ctx: AppContext, session: AsyncSession
) -> None:
    owner, _ = await two_users(ctx)
    seen = Seen()
    ctx.hub.subscribe(NotificationCreated, seen)

    with pytest.raises(RuntimeError, match="business rule failed"):
        async with ctx.transaction() as db:
            await notify(db, user_id=owner.id, type="todo_assigned", title="New todo", message="Do it")
            raise RuntimeError("business rule failed")

    assert seen.events == []
    assert await session.scalar(select(func.count()).select_from(Notification)) == 0


async def test_each_notification_of_a_transaction_is_published_once(ctx: AppContext) -> None:
    owner, other = await two_users(ctx)
    seen = Seen()
    ctx.hub.subscribe(NotificationCreated, seen)

    async with ctx.transaction() as db:
        first = await notify(db, user_id=owner.id, type="a", title="first", message="1")
        second = await notify(db, user_id=other.id, type="b", title="second", message="2")

    assert [(e.user_id, e.notification) for e in seen.events] == [(owner.id, first), (other.id, second)]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "t" * 51),
        ("title", "t" * 256),
        ("category", "c" * 51),
        ("action_url", "/" + "u" * 500),
        ("type", ""),
        ("title", ""),
    ],
)
async def test_notify_refuses_a_value_that_does_not_fit_its_column(
    ctx: AppContext, session: AsyncSession, field: str, value: str
) -> None:
    owner, _ = await two_users(ctx)
    values: dict[str, Any] = {"type": "interview_scheduled", "title": "Title", field: value}

    with pytest.raises(ValueError, match=f"notification {field}"):
        async with ctx.transaction() as db:
            await notify(db, user_id=owner.id, message="body", **values)

    assert await session.scalar(select(func.count()).select_from(Notification)) == 0


async def test_notify_accepts_values_of_exactly_the_column_size(ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    async with ctx.transaction() as db:
        out = await notify(
            db,
            user_id=owner.id,
            type="t" * 50,
            title="t" * 255,
            message="m" * 10_000,
            category="c" * 50,
            action_url="/" + "u" * 499,
        )
    assert (len(out.type), len(out.title), len(out.category or ""), len(out.action_url or "")) == (
        50,
        255,
        50,
        500,
    )


async def test_notify_refuses_a_naive_expiry(ctx: AppContext) -> None:
    owner, _ = await two_users(ctx)
    with pytest.raises(ValueError, match="timezone-aware"):
        async with ctx.transaction() as db:
            await notify(
                db, user_id=owner.id, type="t", title="x", message="y", expires_at=datetime(2030, 1, 1)
            )


async def test_creating_a_notification_is_audited(ctx: AppContext, session: AsyncSession) -> None:
    owner, _ = await two_users(ctx)
    async with ctx.transaction() as db:
        out = await notify(db, user_id=owner.id, type="todo_assigned", title="New todo", message="Do it")

    entry = await session.scalar(
        select(AuditLog).where(AuditLog.entity_type == "notifications", AuditLog.entity_id == out.id)
    )
    assert entry is not None
    assert entry.action == "notifications.create"
    assert entry.new_values["title"] == "New todo"
    assert entry.new_values["user_id"] == owner.id
