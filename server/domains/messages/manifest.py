"""The messages domain as the app wires it in."""

from __future__ import annotations

from server.domains.messages.access import ENTITY_TYPE, check_message_attachment
from server.domains.messages.controllers import MessagesController
from server.domains.messages.delivery import message_sent, messages_read
from server.domains.messages.events import MessageSent, MessagesRead
from server.domains.messages.sockets import events
from server.manifest import Domain, Subscription

DOMAIN = Domain(
    name="messages",
    controllers=[MessagesController],
    sockets=events,
    file_owners={ENTITY_TYPE: check_message_attachment},
    subscriptions=[Subscription(MessageSent, message_sent), Subscription(MessagesRead, messages_read)],
)
