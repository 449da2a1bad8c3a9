"""The presence domain as the app wires it in."""

from __future__ import annotations

from server.domains.presence.controllers import PresenceController
from server.domains.presence.sockets import events
from server.manifest import Domain

DOMAIN = Domain(
    name="presence",
    controllers=[PresenceController],
    sockets=events,
)
