"""The one ASGI entry: Socket.IO under /socket.io/ and the Litestar API for everything else.

`uvicorn --factory server.asgi:create` (what `miraiworks serve` runs) builds it from the
environment in each worker process.
"""

from __future__ import annotations

import socketio

from realtime.server import Realtime, create_socket_server
from server.app import create_app
from server.context import AppContext
from server.settings import Settings


def create(settings: Settings | None = None) -> socketio.ASGIApp:
    settings = settings or Settings.from_env()
    ctx = AppContext.create(settings)
    sio = create_socket_server(settings)
    realtime = Realtime(sio, ctx)
    api = create_app(settings, ctx, on_startup=[realtime.start], on_shutdown=[realtime.stop])
    api.state.sio = sio
    return socketio.ASGIApp(sio, other_asgi_app=api, socketio_path="socket.io")
