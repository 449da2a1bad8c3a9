"""The python-socketio server every process runs.

With `REDIS_URL` set, the Redis pub/sub manager carries emits between processes, so an
emit on one node reaches sockets on any other. Handlers run one at a time per socket
(`async_handlers=False`) to keep each client's events in order.
"""

from __future__ import annotations

import socketio

from server.settings import Settings


def create_socket_server(settings: Settings) -> socketio.AsyncServer:
    manager = socketio.AsyncRedisManager(settings.redis_url) if settings.redis_url else None
    return socketio.AsyncServer(
        async_mode="asgi",
        client_manager=manager,
        async_handlers=False,
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
        logger=False,
        engineio_logger=False,
    )
