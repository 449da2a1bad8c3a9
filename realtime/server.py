"""The python-socketio server every process runs, and the realtime layer wired onto it.

With `REDIS_URL` set, the Redis pub/sub manager carries emits between processes, so an
emit on one node reaches sockets on any other (and subscribes again soon after Redis comes
back, `realtime.pubsub`). Handlers run one at a time per socket
(`async_handlers=False`) to keep each client's events in order.

`Realtime` registers the client events the domains' manifests declare (nothing registers by
being imported) and becomes the context's `sockets` port, through which the effects of every
unit of work (REST or socket) reach Socket.IO after their commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import socketio

from realtime import codec
from realtime.connection import Connections
from realtime.fanout import Fanout
from realtime.protocol import Gateway
from realtime.pubsub import RedisManager
from realtime.sockets import SocketIOSockets
from realtime.stopping import GracefulStop
from server.context import AppContext
from server.cors import socket_origins
from server.manifest import Domain
from server.settings import Settings

# Engine-level ceiling; events are capped lower (realtime.protocol.MAX_EVENT_BYTES) with an error ack.
MAX_PACKET_BYTES = 1024 * 1024


def pubsub_channel(redis_url: str) -> str:
    """Redis pub/sub ignores the database number, so the channel carries it: deployments (or test
    runs) on different databases of one Redis server never hear each other's emits."""
    database = urlsplit(redis_url).path.strip("/") or "0"
    return f"miraiworks:{database}"


def create_socket_server(settings: Settings) -> socketio.AsyncServer:
    manager = (
        RedisManager(
            settings.redis_url,
            channel=pubsub_channel(settings.redis_url),
            redis_options={"max_connections": 1024},
        )
        if settings.redis_url
        else Fanout()
    )
    return codec.SocketServer(
        async_mode="asgi",
        client_manager=manager,
        async_handlers=False,
        json=codec,
        max_http_buffer_size=MAX_PACKET_BYTES,
        cors_allowed_origins=socket_origins(settings),
        ping_interval=settings.socket_ping_interval_seconds,
        ping_timeout=settings.socket_ping_timeout_seconds,
        logger=False,
        engineio_logger=False,
    )


class Realtime:
    """Everything Socket.IO does for this process; started and stopped with the app."""

    def __init__(self, sio: socketio.AsyncServer, ctx: AppContext, domains: Sequence[Domain]) -> None:
        self.sio = sio
        ctx.sockets = SocketIOSockets(sio)
        self.gateway = Gateway(sio, ctx)
        for domain in domains:
            if domain.sockets is not None:
                self.gateway.register(domain.sockets)
        self.connections = Connections(self.gateway)
        self.graceful_stop = GracefulStop(sio, self.connections, self.gateway.in_flight)

    def start(self) -> None:
        self.connections.start()
        self.graceful_stop.install()

    async def stop(self) -> None:
        self.graceful_stop.uninstall()
        await self.connections.stop()
