"""What follows a stored message, after its commit: the pushes, and the notification rule.

- `message:new` goes to the recipient's sockets and the sender's other sockets (the sending
  socket has the message in its ack);
- a message to someone with no socket open on any process also becomes a notification, in a
  transaction of its own (the message is already durable: a failed notification never undoes it);
- a read receipt goes to the sender of the messages read.

Subscribed through the domain's manifest; pushes travel through `ctx.sockets`, so with Redis
they reach every process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.domains.messages.events import MessageSent, MessagesRead
from server.domains.notifications.services import notify
from server.presence import Status
from server.sockets import user_room

if TYPE_CHECKING:
    from server.context import AppContext

PREVIEW_CHARS = 100


async def message_sent(ctx: AppContext, event: MessageSent) -> None:
    message = event.message
    rooms = [user_room(message.recipient_id), user_room(message.sender_id)]
    await ctx.sockets.emit("message:new", message, to=rooms, skip_sid=event.origin)
    if await _offline(ctx, message.recipient_id):
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


async def _offline(ctx: AppContext, user_id: int) -> bool:
    """A socket of theirs on this process answers without asking the shared presence store."""
    if ctx.sockets.connected_here(user_room(user_id)):
        return False
    return (await ctx.presence.status([user_id]))[user_id].status is Status.OFFLINE


async def messages_read(ctx: AppContext, event: MessagesRead) -> None:
    await ctx.sockets.emit("message:read", event.receipt, to=user_room(event.sender_id))
