"""The messages domain as the app wires it in."""

from __future__ import annotations

from server.domains.messages.controllers import MessagesController
from server.manifest import Domain

DOMAIN = Domain(
    name="messages",
    controllers=[MessagesController],
)
