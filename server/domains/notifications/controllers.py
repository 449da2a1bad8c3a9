"""/api/notifications: the current user's own notifications."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.notifications.schemas import NotificationOut, ReadAll, UnreadCount, Updated
from server.domains.notifications.services import NotificationsService
from server.errors import FieldError, InvalidInput
from server.listing import Limit, Offset
from server.schemas import Page


def provide_notifications(db: AsyncSession, principal: Principal) -> NotificationsService:
    return NotificationsService(db, principal)


class NotificationsController(Controller):
    path = "/api/notifications"
    tags = ["notifications"]
    dependencies = {"notifications": Provide(provide_notifications, sync_to_thread=False)}

    @get("/", summary="Your notifications, newest first (expired ones are hidden)")
    async def list_notifications(
        self,
        notifications: NotificationsService,
        # Litestar ignores msgspec.Meta bounds on query parameters (server.listing.Limit), so
        # the bounds are spelled out here.
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        unread_only: bool = False,
        category: str | None = Parameter(default=None, min_length=1, max_length=50),
    ) -> Page[NotificationOut]:
        return await notifications.search(
            unread_only=unread_only, category=category, limit=limit, offset=offset, sort=sort
        )

    @get("/unread-count", summary="How many of your notifications are unread")
    async def count_unread(
        self,
        notifications: NotificationsService,
        category: str | None = Parameter(default=None, min_length=1, max_length=50),
    ) -> UnreadCount:
        return UnreadCount(count=await notifications.unread_count(category=category))

    @post("/{notification_id:int}/read", status_code=HTTP_200_OK, summary="Mark one read")
    async def mark_read(self, notification_id: int, notifications: NotificationsService) -> NotificationOut:
        return await notifications.mark_read(notification_id)

    @post(
        "/read-all",
        status_code=HTTP_200_OK,
        summary="Mark all read, or those of one category (query or body `category`)",
    )
    async def mark_all_read(
        self,
        notifications: NotificationsService,
        data: ReadAll | None = None,
        category: str | None = Parameter(default=None, min_length=1, max_length=50),
    ) -> Updated:
        from_body = data.category if data is not None else None
        if category is not None and from_body is not None and category != from_body:
            raise InvalidInput(
                errors=[FieldError(field="category", message="query and body name different categories")]
            )
        wanted = category if category is not None else from_body
        return Updated(updated=await notifications.mark_all_read(category=wanted))

    @delete("/{notification_id:int}", summary="Delete one of your notifications")
    async def delete_notification(self, notification_id: int, notifications: NotificationsService) -> None:
        await notifications.delete(notification_id)
