"""Who may see and change a message: its two parties, whatever company either is in.

- **read**: the sender and the recipient of a message that is not deleted;
- **change** (delete it, upload or delete its files): the sender alone; a deleted message is
  seen by nobody, except its sender on the restore route within 90 days of the deletion;
- anyone else, a system_admin or a colleague of either party included, gets **404** exactly as
  for a missing id: a direct message is nobody else's business.

The files of a message (entity type `message`, entity id the message's id) follow the same
rule (the manifest names `check_message_attachment`): both parties list and download them,
the recipient gets 403 on an upload or a delete, everyone else 404.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Message
from server.auth.principal import Principal
from server.errors import Forbidden, NotFound
from server.retention.policy import restorable

ENTITY_TYPE = "message"
"""The `attachments.entity_type` of a message's files."""


def readable(principal: Principal) -> ColumnElement[bool]:
    """The messages the principal sees: sent or received by them, not deleted."""
    me = principal.user_id
    return and_(or_(Message.sender_id == me, Message.recipient_id == me), Message.is_deleted.is_(False))


async def load(db: AsyncSession, principal: Principal, message_id: int, *, write: bool = False) -> Message:
    """The message, or 404 when the principal is no party of it; 403 on `write` for its recipient."""
    message = await db.scalar(select(Message).where(Message.id == message_id, readable(principal)))
    if message is None:
        raise NotFound(f"Message {message_id} was not found.")
    if write and message.sender_id != principal.user_id:
        raise Forbidden("Only the sender changes a message and its files.")
    return message


async def load_deleted(db: AsyncSession, principal: Principal, message_id: int) -> Message:
    """A message the principal sent and deleted less than 90 days ago (only the sender deletes,
    so only the sender restores); anything else is 404, exactly like a missing id."""
    message = await db.scalar(
        select(Message)
        .where(Message.id == message_id, Message.sender_id == principal.user_id, restorable(Message))
        .with_for_update()
    )
    if message is None:
        raise NotFound(f"Message {message_id} was not found.")
    return message


async def check_message_attachment(
    db: AsyncSession, principal: Principal, message_id: int, write: bool
) -> None:
    """Files of a message: both parties see them; the sender alone adds and removes them."""
    await load(db, principal, message_id, write=write)
