"""Events the messages domain publishes after commit; its subscriptions (`delivery`) push them."""

from __future__ import annotations

from server.domains.messages.schemas import MessageOut, ReadReceipt
from server.events import DomainEvent


class MessageSent(DomainEvent, frozen=True, kw_only=True):
    message: MessageOut
    origin: str | None = None
    """The socket that sent it, which has its ack and needs no push."""


class MessagesRead(DomainEvent, frozen=True, kw_only=True):
    sender_id: int
    """Whose messages were read: the receipt goes to them."""
    receipt: ReadReceipt
