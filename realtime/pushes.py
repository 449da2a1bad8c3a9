"""Domain events turned into pushes, after the transaction that caused them has committed.

Emits go through the Socket.IO manager, so with Redis they reach the user's sockets on every
process. A message to someone with no socket open anywhere also becomes a notification.
"""

from __future__ import annotations

import socketio

from realtime.connection import user_room
from server.context import AppContext
from server.domains.messages.events import MessageSent, MessagesRead
from server.domains.notifications.events import NotificationCreated
from server.domains.notifications.services import notify
from server.domains.users.events import AccessRevoked
from server.presence import Status

PREVIEW_CHARS = 100


def subscribe(sio: socketio.AsyncServer, ctx: AppContext) -> None:
    async def message_sent(event: MessageSent) -> None:
        message = event.message
        rooms = [user_room(message.recipient_id), user_room(message.sender_id)]
        await sio.emit("message:new", message, to=rooms, skip_sid=event.origin)
        status = (await ctx.presence.status([message.recipient_id]))[message.recipient_id]
        if status.status is Status.OFFLINE:
            async with ctx.transaction() as db:
                await notify(
                    db,
                    user_id=message.recipient_id,
                    type="message_received",
                    title=message.subject or "New message",
                    message=message.content[:PREVIEW_CHARS],
                    category="messages",
                    priority=message.priority,
                    data={"message_id": message.id, "sender_id": message.sender_id},
                )

    async def messages_read(event: MessagesRead) -> None:
        await sio.emit("message:read", event.receipt, to=user_room(event.sender_id))

    async def notification_created(event: NotificationCreated) -> None:
        await sio.emit("notification:new", event.notification, to=user_room(event.user_id))

    async def access_revoked(event: AccessRevoked) -> None:
        for entry in await ctx.presence.sockets(event.user_id):
            if event.ends(entry.session_id):
                await sio.disconnect(entry.sid)

    ctx.hub.subscribe(MessageSent, message_sent)
    ctx.hub.subscribe(MessagesRead, messages_read)
    ctx.hub.subscribe(NotificationCreated, notification_created)
    ctx.hub.subscribe(AccessRevoked, access_revoked)
