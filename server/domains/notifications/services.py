"""Notifications: created by domain services through `notify`, read and dismissed by their user.

Every domain notifies through the one function `notify`: it stores the row in the caller's
transaction and records `NotificationCreated`, which is published only after that
transaction commits (the domain's manifest turns it into `notification:new` for the room `user:{id}`), so
a rolled-back change never notifies anyone.

A notification belongs to its user alone: every REST read and write is scoped to the
principal's own user id, whatever their roles, and another user's notification answers 404
exactly like a missing one. Every notification expires: `notify` sets `expires_at` to
`NOTIFICATION_LIFETIME` (90 days, `server.retention.policy`) after its creation unless the
caller gives another time. A notification whose `expires_at` has passed is hidden from every
list, count and mark operation; `miraiworks purge` deletes it for good (`purge_expired`).

Audit decision. Creation and deletion go through the ORM, so the audit trail records them
like any other change: `notifications.create` is the evidence of what the system told whom,
in the transaction of the business change that caused it, and `notifications.delete` keeps a
snapshot of that evidence when the user throws it away. Reading is not audited: marking one
or all notifications read is inbox state with no business meaning, it is by far the most
frequent write, and the row itself keeps when it was first read (`read_at`). Both reading
paths therefore use UPDATE statements, which the flush-based audit trail does not see, so
marking one and marking all behave alike. `purge_expired` is a bulk DELETE as well; the
purge command writes one audit note with its counts instead of one row per notification.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Notification
from models.enums import Priority
from server.auth.principal import Principal
from server.domains.notifications.events import NotificationCreated
from server.domains.notifications.schemas import NotificationOut
from server.errors import NotFound
from server.events import record
from server.listing import order_by, paginate
from server.retention.policy import NOTIFICATION_LIFETIME
from server.schemas import Page

SORTABLE = {"id": Notification.id, "created_at": Notification.created_at}
# Column sizes of `notifications`; `notify` refuses what does not fit instead of cutting it.
MAX_LENGTHS = {"type": 50, "title": 255, "category": 50, "action_url": 500}


def _now() -> datetime:
    return datetime.now(UTC)


def notification_out(row: Notification) -> NotificationOut:
    return NotificationOut(
        id=row.id,
        type=row.type,
        title=row.title,
        message=row.message,
        data=row.data,
        is_read=row.is_read,
        read_at=row.read_at,
        priority=row.priority,
        category=row.category,
        action_url=row.action_url,
        expires_at=row.expires_at,
        created_at=row.created_at,
    )


def _check(
    type: str, title: str, category: str | None, action_url: str | None, expires_at: datetime | None
) -> None:
    values = {"type": type, "title": title, "category": category, "action_url": action_url}
    for name, value in values.items():
        if value is None:
            continue
        if not value and name in ("type", "title"):
            raise ValueError(f"notification {name} must not be empty")
        if len(value) > MAX_LENGTHS[name]:
            raise ValueError(
                f"notification {name} is {len(value)} characters; at most {MAX_LENGTHS[name]} fit"
            )
    if expires_at is not None and expires_at.tzinfo is None:
        raise ValueError("notification expires_at must be timezone-aware")


async def notify(
    db: AsyncSession,
    *,
    user_id: int,
    type: str,
    title: str,
    message: str,
    category: str | None = None,
    priority: Priority = Priority.NORMAL,
    data: dict[str, Any] | None = None,
    action_url: str | None = None,
    expires_at: datetime | None = None,
) -> NotificationOut:
    """Store a notification for `user_id` in this transaction; it is pushed once the transaction commits.

    Without `expires_at` it expires `NOTIFICATION_LIFETIME` from now. Raises ValueError when a
    value does not fit its column (type 50, title 255, category 50, action_url 500 characters),
    when type or title is empty, or when `expires_at` is naive.
    """
    _check(type, title, category, action_url, expires_at)
    if expires_at is None:
        expires_at = _now() + NOTIFICATION_LIFETIME
    row = Notification(
        user_id=user_id,
        type=type,
        title=title,
        message=message,
        category=category,
        priority=priority,
        data=data,
        action_url=action_url,
        expires_at=expires_at,
    )
    db.add(row)
    await db.flush()
    await db.refresh(row)
    out = notification_out(row)
    record(db, NotificationCreated(user_id=user_id, notification=out))
    return out


def _live(now: datetime) -> ColumnElement[bool]:
    """Not expired: no `expires_at`, or one still in the future."""
    return or_(Notification.expires_at.is_(None), Notification.expires_at > now)


async def purge_expired(db: AsyncSession, now: datetime) -> int:
    """Delete every notification that expired at or before `now`; answer how many."""
    result = await db.execute(
        delete(Notification)
        .where(Notification.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


class NotificationsService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    def _own(self, now: datetime) -> ColumnElement[bool]:
        return and_(Notification.user_id == self.principal.user_id, _live(now))

    def _visible(
        self, now: datetime, *, unread_only: bool, category: str | None
    ) -> Select[tuple[Notification]]:
        statement = select(Notification).where(self._own(now))
        if unread_only:
            statement = statement.where(Notification.is_read.is_(False))
        if category is not None:
            statement = statement.where(Notification.category == category)
        return statement

    async def _get(self, notification_id: int, *, lock: bool = False) -> Notification:
        statement = select(Notification).where(self._own(_now()), Notification.id == notification_id)
        row = await self.db.scalar(statement.with_for_update() if lock else statement)
        if row is None:
            raise NotFound(f"Notification {notification_id} was not found.")
        return row

    async def search(
        self, *, unread_only: bool, category: str | None, limit: int, offset: int, sort: str
    ) -> Page[NotificationOut]:
        statement = self._visible(_now(), unread_only=unread_only, category=category)
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[notification_out(row) for row in rows], total=total)

    async def unread_count(self, *, category: str | None) -> int:
        visible = self._visible(_now(), unread_only=True, category=category)
        count = await self.db.scalar(select(func.count()).select_from(visible.subquery()))
        return int(count or 0)

    async def mark_read(self, notification_id: int) -> NotificationOut:
        """Mark one read; reading it again keeps the first `read_at`."""
        row = await self._get(notification_id, lock=True)
        if not row.is_read:
            await self.db.execute(
                update(Notification)
                .where(Notification.id == row.id, Notification.is_read.is_(False))
                .values(is_read=True, read_at=_now())
                .execution_options(synchronize_session=False)
            )
            await self.db.refresh(row)
        return notification_out(row)

    async def mark_all_read(self, *, category: str | None) -> int:
        """Mark every visible unread notification read (of one category if given); answer how many."""
        now = _now()
        conditions = [self._own(now), Notification.is_read.is_(False)]
        if category is not None:
            conditions.append(Notification.category == category)
        result = await self.db.execute(
            update(Notification)
            .where(*conditions)
            .values(is_read=True, read_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def delete(self, notification_id: int) -> None:
        await self.db.delete(await self._get(notification_id))
        await self.db.flush()
