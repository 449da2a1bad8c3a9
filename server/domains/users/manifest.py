"""The users domain as the app wires it in."""

from __future__ import annotations

from server.domains.users.controllers import UsersController
from server.manifest import Domain

DOMAIN = Domain(
    name="users",
    controllers=[UsersController],
)
