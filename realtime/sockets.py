"""The real `server.effects.Sockets` port: effects reach Socket.IO through the server's manager.

With `REDIS_URL` the manager is python-socketio's Redis one, so an emit, a room close or a
disconnect recorded by a service on one process reaches the sockets on every process.
"""

from __future__ import annotations

from typing import Any

import socketio


class SocketIOSockets:
    """What the unit of work's effects do to Socket.IO, once the commit succeeded."""

    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio

    async def emit(self, event: str, data: Any, to: str | list[str], skip_sid: str | None = None) -> None:
        await self.sio.emit(event, data, to=to, skip_sid=skip_sid)

    async def enter_room(self, sid: str, room: str) -> None:
        await self.sio.enter_room(sid, room)

    async def leave_room(self, sid: str, room: str) -> None:
        await self.sio.leave_room(sid, room)

    async def close_room(self, room: str) -> None:
        await self.sio.close_room(room)

    async def disconnect(self, sid: str) -> None:
        await self.sio.disconnect(sid)

    def connected_here(self, room: str) -> bool:
        return bool(self.sio.manager.rooms.get("/", {}).get(room))
