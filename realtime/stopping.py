"""The graceful stop of this process's sockets, and the bookkeeping of events in flight.

uvicorn, on SIGTERM (or SIGINT), stops listening, lets HTTP requests in progress finish
(`timeout_graceful_shutdown`) and then runs the app's shutdown; left alone it would also close
every WebSocket at once (code 1012), before the app could say anything. So the app puts
itself in front of uvicorn's signal handler (`GracefulStop.install`, at startup) and, on the
first signal, first:

1. refuses new sockets (`connect_error` with `data.code = "server_stopping"`: connect again,
   another process answers);
2. tells each of its sockets `server:reconnect {reason: "shutdown"}`;
3. lets the client events in progress finish and ack (at most `drain_seconds`);
4. closes its sockets at the Engine.IO level, so a Socket.IO client reconnects on its own (to
   whichever process the load balancer picks); a closed socket's live-room seat gets the usual
   grace period (`signaling.keeper`), so a participant who reconnects within it keeps it;

then hands the signal to uvicorn, whose shutdown finishes the HTTP requests and stops the jobs
(`server.jobs`: running jobs finish, or go back to the queue with Redis). A second signal
during the drain goes straight to uvicorn (twice SIGINT: uvicorn quits at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any

import socketio

from server import logs, metrics
from server.errors import AppError
from server.sockets import Ack

if TYPE_CHECKING:
    from realtime.connection import Connections

log = logging.getLogger(__name__)

RECONNECT = "server:reconnect"
DRAIN_SECONDS = 10.0
"""How long the stop waits for client events in progress before it closes the sockets."""
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopping(AppError):
    status = 503
    code = "server_stopping"
    detail = "This server is stopping; connect again to reach another one."


class InFlight:
    """The client events this process is answering now, each in its own log context."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @contextlib.contextmanager
    def event(self, name: str, sid: str) -> Iterator[Callable[[Ack], Ack]]:
        """Around one event's answer; call the value yielded with the ack to count it."""
        self.count += 1
        self._idle.clear()
        started = time.perf_counter()
        answered: list[Ack] = []

        def answer(ack: Ack) -> Ack:
            answered.append(ack)
            return ack

        try:
            with logs.context(request_id=logs.new_request_id(), event=name, sid=sid):
                yield answer
        finally:
            self.count -= 1
            if self.count == 0:
                self._idle.set()
            if answered:
                metrics.socket_event(name, answered[0], time.perf_counter() - started)

    async def idle(self, within: float) -> bool:
        """Wait until no event is in progress; False when `within` seconds passed first."""
        try:
            async with asyncio.timeout(within):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True


class GracefulStop:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        connections: Connections,
        in_flight: InFlight,
        drain_seconds: float = DRAIN_SECONDS,
    ) -> None:
        self.sio = sio
        self.connections = connections
        self.in_flight = in_flight
        self.drain_seconds = drain_seconds
        self._previous: dict[int, Any] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._draining: asyncio.Task[None] | None = None

    def install(self) -> None:
        """Put the drain in front of the server's own signal handlers (uvicorn's). Without a
        Python handler to hand over to (not under uvicorn, not the main thread) it stays out."""
        if threading.current_thread() is not threading.main_thread():
            return
        self._loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            previous = signal.getsignal(signum)
            # Python's own SIGINT handler raises KeyboardInterrupt where it lands: not a server's.
            if callable(previous) and previous is not signal.default_int_handler:
                self._previous[signum] = previous
                signal.signal(signum, self._on_signal)

    def uninstall(self) -> None:
        for signum, previous in self._previous.items():
            if signal.getsignal(signum) == self._on_signal:
                signal.signal(signum, previous)
        self._previous.clear()
        if self._draining is not None and not self._draining.done():
            self._draining.cancel()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._draining is not None or self._loop is None:
            self._hand_over(signum, frame)
            return
        self._draining = self._loop.create_task(self._drain_then_hand_over(signum, frame))

    def _hand_over(self, signum: int, frame: FrameType | None) -> None:
        previous = self._previous.get(signum)
        if previous is not None:
            previous(signum, frame)

    async def _drain_then_hand_over(self, signum: int, frame: FrameType | None) -> None:
        try:
            await self.drain()
        except Exception:
            log.exception("the socket drain failed; stopping anyway")
        finally:
            self._hand_over(signum, frame)

    async def drain(self) -> None:
        """Steps 1-4 of the module docstring."""
        self.connections.accepting = False
        sids = list(self.connections.local)
        log.info("stopping: %d sockets told to reconnect elsewhere", len(sids))
        for sid in sids:
            with contextlib.suppress(Exception):
                await self.sio.emit(RECONNECT, {"reason": "shutdown"}, to=sid, ignore_queue=True)
        if not await self.in_flight.idle(self.drain_seconds):
            running = self.in_flight.count
            log.warning("stopping: %d client events still running after %.0f s", running, self.drain_seconds)
        for sid in list(self.connections.local):
            await self._close(sid)

    async def _close(self, sid: str) -> None:
        try:
            eio_sid = self.sio.manager.eio_sid_from_sid(sid, "/")
            if eio_sid is not None:
                await self.sio.eio.disconnect(eio_sid)
        except Exception:
            log.warning("stopping: socket %s did not close cleanly", sid, exc_info=True)
