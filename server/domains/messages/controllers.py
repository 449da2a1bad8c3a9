"""/api/messages: direct messages; the socket's `message:send` calls the same service."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.messages.schemas import (
    Conversation,
    MarkRead,
    MessageCursorPage,
    MessageOut,
    MessageSend,
    ReadReceipt,
)
from server.domains.messages.services import MessagesService
from server.listing import Limit, Offset
from server.schemas import Page


def provide_messages(db: AsyncSession, principal: Principal, state: State) -> MessagesService:
    return MessagesService(db, principal, state.ctx.principals)


class MessagesController(Controller):
    path = "/api/messages"
    tags = ["messages"]
    dependencies = {"messages": Provide(provide_messages, sync_to_thread=False)}

    @post("/", summary="Send a direct message (a repeated client_nonce answers the stored one)")
    async def send_message(self, data: MessageSend, messages: MessagesService) -> MessageOut:
        return await messages.send(data)

    @get("/conversations", summary="One row per counterpart: last message and unread count")
    async def list_conversations(
        self, messages: MessagesService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[Conversation]:
        return await messages.conversations(limit, offset)

    @get("/with/{user_id:int}", summary="The thread with one user, newest first (cursor list)")
    async def read_thread(
        self,
        user_id: int,
        messages: MessagesService,
        limit: Limit = 50,
        cursor: int | None = Parameter(default=None, ge=1),
    ) -> MessageCursorPage:
        return await messages.thread(user_id, cursor, limit)

    @get("/since", summary="Everything sent or received after a message id, oldest first (cursor list)")
    async def read_since(
        self,
        messages: MessagesService,
        cursor: int = Parameter(default=0, ge=0, description="the last message id the client has"),
        limit: Limit = 100,
    ) -> MessageCursorPage:
        return await messages.since(cursor, limit)

    @get("/search", summary="Search your messages by text")
    async def search_messages(
        self,
        messages: MessagesService,
        q: str = Parameter(min_length=1, max_length=100),
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> Page[MessageOut]:
        return await messages.search(q, limit, offset)

    @post("/read", status_code=HTTP_200_OK, summary="Mark a message (or every one up to it) read")
    async def mark_read(self, data: MarkRead, messages: MessagesService) -> ReadReceipt:
        return await messages.mark_read(data)

    @get("/{message_id:int}")
    async def read_message(self, message_id: int, messages: MessagesService) -> MessageOut:
        return await messages.get(message_id)

    @delete("/{message_id:int}", summary="Delete a message you sent")
    async def delete_message(self, message_id: int, messages: MessagesService) -> None:
        await messages.delete(message_id)

    @post(
        "/{message_id:int}/restore",
        status_code=HTTP_200_OK,
        summary="Restore a message you deleted less than 90 days ago",
    )
    async def restore_message(self, message_id: int, messages: MessagesService) -> MessageOut:
        return await messages.restore(message_id)
