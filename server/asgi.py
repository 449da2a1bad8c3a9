"""The one ASGI entry: Socket.IO under /socket.io/ and the Litestar API for everything else.

`uvicorn --factory server.asgi:serve` (what `miraiworks serve` runs) builds it from the
environment in each worker process. The transports are wired here, so `realtime` never
depends on `signaling` nor the other way: the realtime layer registers the domains' socket
events, and signaling keeps this process's room seats alive, told of the sockets it holds,
gives the recordings domain its recorder peer and sweeps recorders that died.
"""

from __future__ import annotations

import gc

import socketio

from realtime.server import Realtime, create_socket_server
from server.app import create_app
from server.context import AppContext
from server.domains.manifests import DOMAINS
from server.settings import Settings
from signaling import recorder
from signaling.keeper import SeatKeeper


def create(settings: Settings | None = None) -> socketio.ASGIApp:
    settings = settings or Settings.from_env()
    ctx = AppContext.create(settings)
    sio = create_socket_server(settings)
    realtime = Realtime(sio, ctx, DOMAINS)
    connections = realtime.connections
    signaling = SeatKeeper(ctx, lambda: list(connections.local))
    connections.closing.append(signaling.socket_closed)
    recorder.install()
    recorders = recorder.RecorderSweeper(ctx)
    api = create_app(
        settings,
        ctx,
        on_startup=[realtime.start, signaling.start, recorders.start],
        on_shutdown=[recorders.stop, signaling.stop, realtime.stop],
    )
    api.state.sio = sio
    return socketio.ASGIApp(sio, other_asgi_app=api, socketio_path="socket.io")


def serve() -> socketio.ASGIApp:
    """What each worker of `miraiworks serve` runs: the app, then everything built so far
    (modules, mappers, routes, compiled statements) moved out of the collector's sight. A full
    collection otherwise walks those objects again and again, pausing every socket and request
    of the process for tens of milliseconds each time (`bench/gc_pauses.py`)."""
    app = create()
    gc.freeze()
    return app
