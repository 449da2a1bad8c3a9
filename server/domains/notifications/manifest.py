"""The notifications domain as the app wires it in."""

from __future__ import annotations

from server.domains.notifications.controllers import NotificationsController
from server.manifest import Domain

DOMAIN = Domain(
    name="notifications",
    controllers=[NotificationsController],
)
