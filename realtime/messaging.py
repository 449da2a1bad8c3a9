"""Client events of messaging: `message:send`, `message:read`, `typing:*`, `presence:set`.

Sending and reading call the same service as the REST API; typing is never stored, and it is
throttled harder than messages so a flood of it cannot crowd them out.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from realtime.connection import Connections, user_room
from realtime.protocol import Ack, Call, EventLimit, Gateway
from server.domains.messages.schemas import MarkRead, MessageSend
from server.domains.messages.services import MessagesService
from server.ratelimit import Limit
from server.schemas import Id

MESSAGES = EventLimit(per_socket=Limit(60, 10), per_user=Limit(120, 10))
READS = EventLimit(per_socket=Limit(120, 10), per_user=Limit(240, 10))
TYPING = EventLimit(per_socket=Limit(10, 10), per_user=Limit(20, 10))
PRESENCE = EventLimit(per_socket=Limit(10, 60), per_user=Limit(20, 60))


class Typing(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    to: Id


class PresenceSet(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Literal["online", "away"]


def register(gateway: Gateway, connections: Connections) -> None:
    sio = gateway.sio

    @gateway.on("message:send", MessageSend, MESSAGES)
    async def send(call: Call, data: MessageSend) -> Ack:
        message = await MessagesService(call.db, call.principal).send(data, origin=call.sid)
        return {"message": message}

    @gateway.on("message:read", MarkRead, READS)
    async def read(call: Call, data: MarkRead) -> Ack:
        receipt = await MessagesService(call.db, call.principal).mark_read(data)
        return {"receipt": receipt}

    async def typing(call: Call, data: Typing, active: bool) -> Ack:
        await MessagesService(call.db, call.principal).recipient(data.to)
        await sio.emit("typing", {"from": call.principal.user_id, "typing": active}, to=user_room(data.to))
        return {}

    @gateway.on("typing:start", Typing, TYPING)
    async def typing_start(call: Call, data: Typing) -> Ack:
        return await typing(call, data, True)

    @gateway.on("typing:stop", Typing, TYPING)
    async def typing_stop(call: Call, data: Typing) -> Ack:
        return await typing(call, data, False)

    @gateway.on("presence:set", PresenceSet, PRESENCE)
    async def presence_set(call: Call, data: PresenceSet) -> Ack:
        await gateway.ctx.presence.set_away(call.principal.user_id, data.status == "away")
        entry = connections.local.get(call.sid)
        if entry is not None:
            await connections.announce(entry)
        return {"status": data.status}
