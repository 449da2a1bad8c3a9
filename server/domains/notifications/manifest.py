"""The notifications domain as the app wires it in: every stored notification is pushed live."""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.domains.notifications.controllers import NotificationsController
from server.domains.notifications.events import NotificationCreated
from server.manifest import Domain, Subscription
from server.sockets import user_room

if TYPE_CHECKING:
    from server.context import AppContext


async def push_notification(ctx: AppContext, event: NotificationCreated) -> None:
    """`notification:new` to the user's sockets on every process, once the row is committed."""
    await ctx.sockets.emit("notification:new", event.notification, to=user_room(event.user_id))


DOMAIN = Domain(
    name="notifications",
    controllers=[NotificationsController],
    subscriptions=[Subscription(NotificationCreated, push_notification)],
)
