"""Run a whole unit of work again when the database refused it for contention (`server.failures`).

A deadlock victim's transaction was rolled back whole, and its effects were dropped with it
(`server.db.unit_of_work`), so running it again from the start is safe: a few tries with jittered
backoff, then the caller is answered 503 `busy` (REST) or an error ack `busy` (sockets).

REST: a request has one unit of work (the `db` dependency) spanning its handler, so the retry
reruns the handler: `RetryContention` is an ASGI middleware around each route. Litestar turns
the exception into a response inside it (`server.errors` marks that response as retryable), so
the middleware holds back a marked response and runs the route again in a fresh scope, with the
request body replayed. A body past `MAX_REPLAY_BYTES` (an upload) is not kept and not retried.
Sockets: `retrying` around the event's transaction (`realtime.protocol`).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send
from litestar.utils.scope.state import CONNECTION_STATE_KEY, ScopeState

from server.failures import contention

ATTEMPTS = 5
BACKOFF_SECONDS = 0.1
"""The first retry waits up to this long, each further one up to twice as long as the last."""
MAX_REPLAY_BYTES = 1024 * 1024
RETRYABLE = "miraiworks.retryable"
"""Key of the scope state that marks a response made from a contention error."""
T = TypeVar("T")


def backoff(attempt: int) -> float:
    """Full jitter: the victims of one deadlock do not all come back at the same instant."""
    return random.uniform(0, BACKOFF_SECONDS * 2**attempt)  # noqa: S311 - not a secret


async def retrying(work: Callable[[], Awaitable[T]]) -> T:
    """`work()` (one whole unit of work), run again while it fails for contention."""
    for attempt in range(ATTEMPTS - 1):
        try:
            return await work()
        except Exception as exc:
            if not contention(exc):
                raise
        await asyncio.sleep(backoff(attempt))
    return await work()


def mark_retryable(scope: Scope) -> None:
    """Called by the exception handler: this response came from a contention error."""
    scope.setdefault("state", {})[RETRYABLE] = True


class _Replay:
    """The request's body messages, kept so a retry reads them again."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._kept: list[ReceiveMessage] = []
        self._size = 0
        self.complete = True
        """False once the body outgrew MAX_REPLAY_BYTES: it cannot be read a second time."""

    def reader(self) -> Receive:
        position = 0

        async def receive() -> Any:
            nonlocal position
            if position < len(self._kept):
                position += 1
                return self._kept[position - 1]
            message = await self._receive()
            if self.complete:
                body = message.get("body", b"")
                self._size += len(body) if isinstance(body, bytes) else 0
                if self._size > MAX_REPLAY_BYTES:
                    self.complete = False
                    self._kept.clear()
                else:
                    self._kept.append(message)
                    position += 1
            return message

        return receive


class _Attempt:
    """Forwards one attempt's response, unless it is a contention error worth another try."""

    def __init__(self, send: Send, scope: Scope, replay: _Replay, last: bool) -> None:
        self._send = send
        self._scope = scope
        self._replay = replay
        self._last = last
        self.held = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start" and not self._last and self._replay.complete:
            self.held = bool(self._scope["state"].get(RETRYABLE))
        if not self.held:
            await self._send(message)


def _fresh(scope: Scope) -> Scope:
    """A copy of the scope without what Litestar cached in it (body, parsed data, whether the
    response started), keeping the route's exception handlers the router put there."""
    state = dict(scope.get("state", {}))
    previous = state.pop(CONNECTION_STATE_KEY, None)
    trial: Any = {**scope, "state": state}
    if isinstance(previous, ScopeState):
        ScopeState.from_scope(trial).exception_handlers = previous.exception_handlers
    return trial  # type: ignore[no-any-return]


class RetryContention:
    """ASGI middleware: reruns a route whose unit of work met contention (module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        replay = _Replay(receive)
        for attempt in range(ATTEMPTS):
            trial = _fresh(scope)
            answer = _Attempt(send, trial, replay, last=attempt == ATTEMPTS - 1)
            await self.app(trial, replay.reader(), answer.send)
            if not answer.held:
                return
            await asyncio.sleep(backoff(attempt))
