"""What the API says about a user's notifications, and what it accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from models.enums import Priority

Category = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]


class NotificationOut(msgspec.Struct, kw_only=True):
    id: int
    type: str
    title: str
    message: str
    data: Any
    is_read: bool
    read_at: datetime | None
    priority: Priority
    category: str | None
    action_url: str | None
    expires_at: datetime | None
    created_at: datetime


class UnreadCount(msgspec.Struct, kw_only=True):
    count: int


class ReadAll(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Body of `POST /api/notifications/read-all`; without a category every notification is read."""

    category: Category | None = None


class Updated(msgspec.Struct, kw_only=True):
    updated: int
