"""Events the notifications domain publishes after commit; its manifest pushes `notification:new`."""

from __future__ import annotations

from server.domains.notifications.schemas import NotificationOut
from server.events import DomainEvent


class NotificationCreated(DomainEvent, frozen=True, kw_only=True):
    """A notification for `user_id` was stored; pushed to the room `user:{user_id}`."""

    user_id: int
    notification: NotificationOut
