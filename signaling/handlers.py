"""Transitional adapter: asgi builds `Signaling(gateway, connections)`; it starts the keeper and,
until the gateway registers manifests itself, registers the meetings domain's socket events."""

from __future__ import annotations

from typing import Any

from server.domains.meetings.sockets import events
from server.sockets import SocketCall
from signaling.keeper import SeatKeeper


class Signaling(SeatKeeper):
    def __init__(self, gateway: Any, connections: Any) -> None:
        super().__init__(gateway.ctx, lambda: list(connections.local))
        connections.closing.append(self.socket_closed)
        for event in events:
            gateway.on(event.name, event.payload, event.limit)(self._adapt(event.handler))

    def _adapt(self, handler: Any) -> Any:
        async def run(call: Any, data: Any) -> Any:
            return await handler(SocketCall(sid=call.sid, principal=call.principal, db=call.db, ctx=self.ctx), data)

        return run
