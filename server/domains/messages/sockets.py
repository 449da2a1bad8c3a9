"""Messaging over Socket.IO: `message:send`, `message:read`, `typing:start`, `typing:stop`.

Sending and reading call the same service as the REST API; its `MessageSent` and
`MessagesRead` become pushes after the commit (`delivery`). Typing is never stored, and it is
throttled harder than messages so a flood of it cannot crowd them out; its push is an effect,
so a refused or failed event pushes nothing.
"""

from __future__ import annotations

import msgspec

from server import effects
from server.domains.messages.schemas import MarkRead, MessageSend
from server.domains.messages.services import MessagesService
from server.ratelimit import Limit
from server.schemas import Id
from server.sockets import Ack, EventLimit, SocketCall, SocketEvents, user_room

MESSAGES = EventLimit(per_socket=Limit(60, 10), per_user=Limit(120, 10))
READS = EventLimit(per_socket=Limit(120, 10), per_user=Limit(240, 10))
TYPING = EventLimit(per_socket=Limit(10, 10), per_user=Limit(20, 10))

events = SocketEvents()


class Typing(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    to: Id


@events.on("message:send", MessageSend, MESSAGES)
async def send(call: SocketCall, data: MessageSend) -> Ack:
    message = await MessagesService(call.db, call.principal, call.ctx.principals).send(data, origin=call.sid)
    return {"message": message}


@events.on("message:read", MarkRead, READS)
async def read(call: SocketCall, data: MarkRead) -> Ack:
    receipt = await MessagesService(call.db, call.principal, call.ctx.principals).mark_read(data)
    return {"receipt": receipt}


async def _typing(call: SocketCall, data: Typing, active: bool) -> Ack:
    """Only someone you may message hears you typing (anyone else is `recipient_not_found`)."""
    await MessagesService(call.db, call.principal, call.ctx.principals).recipient(data.to)
    effects.push(call.db, "typing", {"from": call.principal.user_id, "typing": active}, to=user_room(data.to))
    return {}


@events.on("typing:start", Typing, TYPING)
async def typing_start(call: SocketCall, data: Typing) -> Ack:
    return await _typing(call, data, True)


@events.on("typing:stop", Typing, TYPING)
async def typing_stop(call: SocketCall, data: Typing) -> Ack:
    return await _typing(call, data, False)
