"""Presence over Socket.IO: `presence:set {status: online | away}`, and who hears it.

Away is the user's own ephemeral flag in the shared presence store (no row changes), so it is
set at once; the `presence` push that tells the others is an effect, sent after the event's
unit of work commits.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from server import effects
from server.ratelimit import Limit
from server.sockets import Ack, EventLimit, SocketCall, SocketEvents, company_room, user_room

PRESENCE = EventLimit(per_socket=Limit(10, 60), per_user=Limit(20, 60))

events = SocketEvents()


class PresenceSet(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Literal["online", "away"]


def audience(user_id: int, company_id: int | None) -> list[str]:
    """Who hears a user's presence change: their company, and their own other sockets."""
    return [user_room(user_id)] + ([company_room(company_id)] if company_id is not None else [])


@events.on("presence:set", PresenceSet, PRESENCE)
async def set_presence(call: SocketCall, data: PresenceSet) -> Ack:
    me = call.principal.user_id
    await call.ctx.presence.set_away(me, data.status == "away")
    state = (await call.ctx.presence.status([me]))[me]
    effects.push(call.db, "presence", state, to=audience(me, call.principal.company_id))
    return {"status": data.status}
