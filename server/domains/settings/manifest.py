"""The settings domain as the app wires it in."""

from __future__ import annotations

from server.domains.settings.controllers import SettingsController
from server.manifest import Domain

DOMAIN = Domain(
    name="settings",
    controllers=[SettingsController],
)
