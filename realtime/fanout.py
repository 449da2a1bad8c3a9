"""Delivering one emit to this process's sockets of a room without a task per socket.

python-socketio's manager (5.18) wraps the send to each recipient in its own asyncio task and
waits for them all. Handing a frame to a socket is putting it on that socket's unbounded queue,
which never waits, so for a presence change to a company of 5,000 sockets the tasks cost more
than the frames: a quarter of the server's CPU while 4,000 sockets connected (`bench/
idle_sockets.py` under py-spy). Here the packet is encoded once and put on each socket in one
loop. A socket found closed is skipped as before; one whose client stopped answering pings is
closed by that send, as before, only now in line.

Emits that ask for an ack (a callback) need an id per recipient and keep the library's path.
"""

from __future__ import annotations

import logging
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet

log = logging.getLogger(__name__)


class Fanout(socketio.AsyncManager):  # type: ignore[misc]
    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        if callback is not None:
            await super().emit(event, data, namespace, room, skip_sid, callback, to, **kwargs)
            return
        room = to or room
        if namespace not in self.rooms:
            return
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        skipped = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, *args]).encode()
        frames = [
            eio_packet.Packet(eio_packet.MESSAGE, p)
            for p in (encoded if isinstance(encoded, list) else [encoded])
        ]
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skipped:
                continue
            for frame in frames:
                try:
                    await self.server._send_eio_packet(eio_sid, frame)
                except Exception:
                    # Closed between the room's copy and its turn: it has left the room too.
                    log.debug("no emit to %s: its socket is closed", sid, exc_info=True)
                    break
