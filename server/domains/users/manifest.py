"""The users domain as the app wires it in: sockets end with the access they were opened with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.domains.users.controllers import UsersController
from server.domains.users.events import AccessRevoked
from server.manifest import Domain, Subscription

if TYPE_CHECKING:
    from server.context import AppContext


async def close_sockets(ctx: AppContext, event: AccessRevoked) -> None:
    """Disconnect the user's sockets of the sessions that ended, on whichever process holds them."""
    for entry in await ctx.presence.sockets(event.user_id):
        if event.ends(entry.session_id):
            await ctx.sockets.disconnect(entry.sid)


DOMAIN = Domain(
    name="users",
    controllers=[UsersController],
    subscriptions=[Subscription(AccessRevoked, close_sockets)],
)
