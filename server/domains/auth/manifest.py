"""The auth domain as the app wires it in."""

from __future__ import annotations

from server.domains.auth.controllers import AuthController
from server.manifest import Domain

DOMAIN = Domain(
    name="auth",
    controllers=[AuthController],
)
