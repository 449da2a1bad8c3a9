"""The recorder's inbox: how `rtc:answer` / `rtc:ice` addressed to the recorder, and the order to
stop, reach the one process running it.

The recorder has no socket (it is no account and holds no access token), so a relay to it
cannot be a Socket.IO push. Its seat's `sid` is instead an address
(`recorder:<room key>:<recording id>`) and messages to it are an effect like a push, sent
after the commit: on Redis a pub/sub
channel of that address (of this deployment's database, as `realtime.server` names its own),
in memory a queue of this process (the embedded default has one process, which runs the
recorder too). Ephemeral like ICE: a message sent while nobody listens is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from server import effects

if TYPE_CHECKING:
    from server.context import AppContext

Message = dict[str, Any]
_LOCAL: dict[str, set[asyncio.Queue[Message]]] = {}


def channel(ctx: AppContext, address: str) -> str:
    database = urlsplit(ctx.settings.redis_url or "").path.strip("/") or "0"
    return f"miraiworks:{database}:mail:{address}"


async def deliver(ctx: AppContext, address: str, message: Message) -> None:
    if ctx.redis is None:
        for queue in _LOCAL.get(address, ()):
            queue.put_nowait(message)
        return
    await ctx.redis.publish(channel(ctx, address), json.dumps(message))


@dataclass(frozen=True, slots=True)
class Mail:
    address: str
    message: Message

    async def apply(self, ctx: AppContext) -> None:
        await deliver(ctx, self.address, self.message)


def send(db: AsyncSession, address: str, message: Message) -> None:
    """Record a message to the recorder at `address`, delivered after the commit."""
    effects.add(db, Mail(address, message))


@contextlib.asynccontextmanager
async def listen(ctx: AppContext, address: str) -> AsyncIterator[asyncio.Queue[Message]]:
    """The messages to `address` from now on, while the context is open."""
    queue: asyncio.Queue[Message] = asyncio.Queue()
    if ctx.redis is None:
        _LOCAL.setdefault(address, set()).add(queue)
        try:
            yield queue
        finally:
            _LOCAL[address].discard(queue)
            if not _LOCAL[address]:
                del _LOCAL[address]
        return
    pubsub = ctx.redis.pubsub()
    await pubsub.subscribe(channel(ctx, address))

    async def pump() -> None:
        async for raw in pubsub.listen():
            if raw.get("type") == "message":
                queue.put_nowait(json.loads(raw["data"]))

    task = asyncio.create_task(pump(), name=f"mail {address}")
    try:
        yield queue
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        with contextlib.suppress(Exception):
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]
