"""Direct messages between users, the same code path for REST and Socket.IO.

A message is visible to its sender and its recipient only, whatever company they are in, so
reads are scoped to the principal as a party of the message (a narrower scope than the
company one: a message between an agency and an employer belongs to both sides). A message
is stored first; `MessageSent` is published after commit and `delivery` pushes it.

A message's files are attachments of entity type `message` with the message's id, uploaded onto
the sent message through `/api/attachments`; who sees them is `access.check_message_attachment`.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, and_, case, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, Message, User
from models.enums import MessageType
from server import audit
from server.auth.principal import Account, Principal, load_account
from server.auth.principals import PrincipalCache
from server.db import RowInsert
from server.domains.files.attachments import attachment_out
from server.domains.files.schemas import Attachment as FileOut
from server.domains.messages import access, policy
from server.domains.messages.events import MessageSent, MessagesRead
from server.domains.messages.schemas import (
    CONTENT_MAX_BYTES,
    Conversation,
    Counterpart,
    MarkRead,
    MessageCursorPage,
    MessageOut,
    MessageSend,
    ReadReceipt,
)
from server.errors import FieldError, Forbidden, InvalidInput, NotFound
from server.events import record
from server.schemas import Page

NONCE_WINDOW = timedelta(days=1)
UNBOUND = 0
"""The `entity_id` of a message file stored before its message, outside the upload route (which
takes files onto a sent message only): sending a message that names it hangs it on that message."""
_STORE = RowInsert(Message)


def message_out(message: Message, files: list[FileOut]) -> MessageOut:
    metadata = message.metadata_ if isinstance(message.metadata_, dict) else {}
    return MessageOut(
        id=message.id,
        sender_id=message.sender_id,
        recipient_id=message.recipient_id,
        subject=message.subject,
        content=message.content,
        message_type=message.message_type,
        priority=message.priority,
        is_read=message.is_read,
        read_at=message.read_at,
        parent_message_id=message.parent_message_id,
        thread_id=message.thread_id,
        attachments=list(message.attachments or []),
        files=files,
        client_nonce=metadata.get("client_nonce"),
        created_at=message.created_at,
    )


async def messages_out(db: AsyncSession, messages: list[Message]) -> list[MessageOut]:
    """Messages as every answer and push gives them, with their files, in one query whatever
    their number. Only messages the principal reads get here, and their files are exactly the
    ones `access.check_message_attachment` lets both parties download."""
    files: dict[int, list[FileOut]] = {m.id: [] for m in messages}
    if files:
        rows = await db.scalars(
            select(Attachment)
            .where(
                Attachment.entity_type == access.ENTITY_TYPE,
                Attachment.entity_id.in_(list(files)),
                Attachment.is_deleted.is_(False),
            )
            .order_by(Attachment.id)
        )
        for row in rows:
            files[row.entity_id].append(attachment_out(row))
    return [message_out(m, files[m.id]) for m in messages]


async def one_out(db: AsyncSession, message: Message) -> MessageOut:
    [out] = await messages_out(db, [message])
    return out


class MessagesService:
    def __init__(self, db: AsyncSession, principal: Principal, accounts: PrincipalCache) -> None:
        self.db = db
        self.principal = principal
        self.accounts = accounts

    def _mine(self) -> ColumnElement[bool]:
        return access.readable(self.principal)

    def _visible(self) -> Select[tuple[Message]]:
        return select(Message).where(self._mine())

    async def _get(self, message_id: int) -> Message:
        message = await self.db.scalar(self._visible().where(Message.id == message_id))
        if message is None:
            raise NotFound(f"Message {message_id} was not found.")
        return message

    async def get(self, message_id: int) -> MessageOut:
        return await one_out(self.db, await self._get(message_id))

    async def send(self, data: MessageSend, origin: str | None = None) -> MessageOut:
        if len(data.content.encode()) > CONTENT_MAX_BYTES:
            raise InvalidInput(
                errors=[
                    FieldError(
                        field="content", message=f"Expected at most {CONTENT_MAX_BYTES} bytes of UTF-8"
                    )
                ]
            )
        if data.client_nonce is not None:
            earlier = await self._by_nonce(data.client_nonce)
            if earlier is not None:
                return await one_out(self.db, earlier)
        recipient = await self.recipient(data.to)
        thread_id = data.thread_id
        if data.parent_id is not None:
            parent = await self._get(data.parent_id)
            thread_id = thread_id or parent.thread_id
        await self._check_attachments(data.attachments)
        company_id = self.principal.company_id or recipient.company_id
        assert company_id is not None, "policy admits only recipients with a company here"
        # Stamped here, to the second the DATETIME column keeps, so the answer needs no read back;
        # stored and audited by a statement each, not the ORM's flush: a message is never changed
        # in this unit.
        sent_at = datetime.now(UTC).replace(microsecond=0)
        fields: dict[str, Any] = dict(
            sender_id=self.principal.user_id,
            recipient_id=recipient.user_id,
            subject=data.subject,
            content=data.content,
            message_type=MessageType.DIRECT,
            priority=data.priority,
            is_read=False,
            parent_message_id=data.parent_id,
            thread_id=thread_id or secrets.token_hex(16),
            attachments=data.attachments or None,
            metadata_={"client_nonce": data.client_nonce} if data.client_nonce else None,
            company_id=company_id,
            created_at=sent_at,
            updated_at=sent_at,
        )
        fields["id"] = await _STORE(self.db, fields)
        await audit.inserted(self.db, Message, fields)
        message = Message(**fields)
        if data.attachments:
            await self._bind_attachments(message.id, data.attachments)
            out = await one_out(self.db, message)
        else:
            out = message_out(message, [])
        record(self.db, MessageSent(message=out, origin=origin))
        return out

    async def recipient(self, user_id: int) -> Account:
        """The recipient, or 404 alike for a missing user and one you may not message. Their
        account is reused for seconds across sends (`server.auth.principals`)."""
        recipient = await self.accounts.account(user_id, partial(load_account, self.db, user_id))
        if recipient is None or not await policy.may_message(self.db, self.principal, recipient):
            raise NotFound(f"User {user_id} was not found or cannot be messaged.", code="recipient_not_found")
        return recipient

    async def _by_nonce(self, nonce: str) -> Message | None:
        marker = f'"client_nonce":"{nonce}"'
        earlier: Message | None = await self.db.scalar(
            select(Message)
            .where(
                Message.sender_id == self.principal.user_id,
                Message.created_at > datetime.now(UTC) - NONCE_WINDOW,
                type_coerce(Message.metadata_, Text).contains(marker, autoescape=True),
            )
            .limit(1)
        )
        return earlier

    async def _check_attachments(self, ids: list[int]) -> None:
        if not ids:
            return
        found = set(
            await self.db.scalars(
                select(Attachment.id).where(
                    Attachment.id.in_(ids),
                    Attachment.uploaded_by == self.principal.user_id,
                    Attachment.is_deleted.is_(False),
                )
            )
        )
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput(
                errors=[
                    FieldError(field="attachments", message=f"no attachment of yours with id {missing[0]}")
                ]
            )

    async def _bind_attachments(self, message_id: int, ids: list[int]) -> None:
        """Hang the named message files that are on no message yet (`UNBOUND`) on this one, so
        both parties may download them (`access.check_message_attachment`). Files of any other
        entity stay where they are, and that entity decides who sees them."""
        if not ids:
            return
        unbound = await self.db.scalars(
            select(Attachment).where(
                Attachment.id.in_(ids),
                Attachment.entity_type == access.ENTITY_TYPE,
                Attachment.entity_id == UNBOUND,
            )
        )
        for attachment in unbound:
            attachment.entity_id = message_id
        await self.db.flush()

    async def thread(self, counterpart_id: int, cursor: int | None, limit: int) -> MessageCursorPage:
        """Messages with one counterpart, newest first; `cursor` continues below that id."""
        me = self.principal.user_id
        statement = self._visible().where(
            or_(
                and_(Message.sender_id == me, Message.recipient_id == counterpart_id),
                and_(Message.sender_id == counterpart_id, Message.recipient_id == me),
            )
        )
        if cursor is not None:
            statement = statement.where(Message.id < cursor)
        rows = list(await self.db.scalars(statement.order_by(Message.id.desc()).limit(limit + 1)))
        return await self._cursor_page(rows, limit)

    async def since(self, after_id: int, limit: int) -> MessageCursorPage:
        """Messages sent or received after `after_id`, oldest first: what a reconnecting client missed."""
        statement = self._visible().where(Message.id > after_id).order_by(Message.id.asc())
        rows = list(await self.db.scalars(statement.limit(limit + 1)))
        return await self._cursor_page(rows, limit)

    async def _cursor_page(self, rows: list[Message], limit: int) -> MessageCursorPage:
        more = len(rows) > limit
        rows = rows[:limit]
        return MessageCursorPage(
            items=await messages_out(self.db, rows), next_cursor=rows[-1].id if more and rows else None
        )

    async def conversations(self, limit: int, offset: int) -> Page[Conversation]:
        me = self.principal.user_id
        counterpart = case((Message.sender_id == me, Message.recipient_id), else_=Message.sender_id)
        unread = func.sum(case((and_(Message.recipient_id == me, Message.is_read.is_(False)), 1), else_=0))
        grouped = (
            select(counterpart.label("counterpart_id"), func.max(Message.id).label("last_id"), unread)
            .where(self._mine())
            .group_by(counterpart)
        )
        total = await self.db.scalar(select(func.count()).select_from(grouped.subquery()))
        rows = (
            await self.db.execute(grouped.order_by(func.max(Message.id).desc()).limit(limit).offset(offset))
        ).all()
        lasts = list(await self.db.scalars(select(Message).where(Message.id.in_([r[1] for r in rows]))))
        messages = {out.id: out for out in await messages_out(self.db, lasts)}
        users = {
            u.id: u for u in await self.db.scalars(select(User).where(User.id.in_([r[0] for r in rows])))
        }
        items = [
            Conversation(
                counterpart=Counterpart(
                    id=user_id,
                    first_name=users[user_id].first_name,
                    last_name=users[user_id].last_name,
                    company_id=users[user_id].company_id,
                ),
                last_message=messages[last_id],
                unread_count=int(unread_count or 0),
            )
            for user_id, last_id, unread_count in rows
        ]
        return Page(items=items, total=int(total or 0))

    async def search(self, q: str, limit: int, offset: int) -> Page[MessageOut]:
        # `%` and `_` in the text are searched for literally, never as LIKE wildcards.
        text = q.lower()
        statement = self._visible().where(
            or_(
                func.lower(Message.content).contains(text, autoescape=True),
                func.lower(Message.subject).contains(text, autoescape=True),
            )
        )
        total = await self.db.scalar(select(func.count()).select_from(statement.subquery()))
        rows = await self.db.scalars(statement.order_by(Message.id.desc()).limit(limit).offset(offset))
        return Page(items=await messages_out(self.db, list(rows)), total=int(total or 0))

    async def mark_read(self, data: MarkRead) -> ReadReceipt:
        me = self.principal.user_id
        anchor = await self._get(data.message_id)
        if anchor.recipient_id != me:
            raise Forbidden("Only the recipient marks a message read.", code="not_recipient")
        unread = self._visible().where(Message.recipient_id == me, Message.is_read.is_(False))
        if data.up_to:
            unread = unread.where(Message.sender_id == anchor.sender_id, Message.id <= anchor.id)
        else:
            unread = unread.where(Message.id == anchor.id)
        now = datetime.now(UTC)
        marked = list(await self.db.scalars(unread.order_by(Message.id)))
        for message in marked:
            message.is_read = True
            message.read_at = now
        await self.db.flush()
        receipt = ReadReceipt(reader_id=me, message_ids=[m.id for m in marked], read_at=now)
        if marked:
            record(self.db, MessagesRead(sender_id=anchor.sender_id, receipt=receipt))
        return receipt

    async def delete(self, message_id: int) -> None:
        message = await self._get(message_id)
        if message.sender_id != self.principal.user_id:
            raise Forbidden("Only the sender deletes a message.", code="not_sender")
        message.mark_deleted(self.principal.user_id)
        await self.db.flush()

    async def restore(self, message_id: int) -> MessageOut:
        """Bring back a message its sender deleted less than 90 days ago (the sender only)."""
        message = await access.load_deleted(self.db, self.principal, message_id)
        message.restore()
        await self.db.flush()
        return await one_out(self.db, message)
