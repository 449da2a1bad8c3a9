"""What the API and the socket say about messages, and what they accept.

`MessageSend` and `MarkRead` are shared by REST and Socket.IO: both transports validate the
same struct and call the same service method.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from models.enums import MessageType, Priority
from server.domains.files.schemas import Attachment
from server.schemas import Id

Content = Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
CONTENT_MAX_BYTES = 65_535
"""`messages.content` is a TEXT column: on MySQL it holds 65,535 bytes, fewer than 20,000
characters of 4-byte UTF-8 (emoji), so the service also checks the encoded length."""
Subject = Annotated[str, msgspec.Meta(max_length=255)]
ThreadId = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9_\-]+$")]
Nonce = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-:.]+$")]


class MessageOut(msgspec.Struct, kw_only=True):
    id: int
    sender_id: int
    recipient_id: int
    subject: str | None
    content: str
    message_type: MessageType
    priority: Priority
    is_read: bool
    read_at: datetime | None
    parent_message_id: int | None
    thread_id: str | None
    attachments: list[int]
    """The attachment ids named when it was sent (files of other entities included)."""
    files: list[Attachment]
    """The files on this message (entity type `message`), each as `/api/attachments` lists it:
    the ones both parties download. The same in every answer and push that carries a message."""
    client_nonce: str | None
    created_at: datetime


class MessageSend(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    to: Id
    content: Content
    subject: Subject | None = None
    priority: Priority = Priority.NORMAL
    parent_id: Id | None = None
    thread_id: ThreadId | None = None
    attachments: Annotated[list[Id], msgspec.Meta(max_length=20)] = []
    client_nonce: Nonce | None = None
    """Resending with the same nonce answers the message already stored instead of a copy."""


class MarkRead(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    message_id: Id
    up_to: bool = False
    """Also mark every earlier unread message from the same sender."""


class ReadReceipt(msgspec.Struct, kw_only=True):
    reader_id: int
    message_ids: list[int]
    read_at: datetime


class Counterpart(msgspec.Struct, kw_only=True):
    id: int
    first_name: str
    last_name: str
    company_id: int | None


class Conversation(msgspec.Struct, kw_only=True):
    counterpart: Counterpart
    last_message: MessageOut
    unread_count: int


class MessageCursorPage(msgspec.Struct, kw_only=True):
    """A cursor list: pass `next_cursor` back as `cursor` for the next page; null at the end."""

    items: list[MessageOut]
    next_cursor: int | None
