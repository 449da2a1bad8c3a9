"""python-socketio's Redis manager, subscribing again within a second of Redis coming back.

Its own listener (python-socketio 5.18) does reconnect and subscribe again after a connection
error, but waits 1, 2, 4 ... up to 60 seconds between tries: after an outage of a few seconds a
process went on missing the other processes' emits (pushes, room events) for as long again.
This is the same loop with a short fixed wait. Emits published while Redis is down are lost
(pub/sub keeps nothing); what must not be lost is persisted first, as always.

Emits heard on the channel reach this process's sockets through `realtime.fanout`. An emit to
one socket connected to this process (a relayed ICE candidate, an ack's push) is not published:
a socket lives on one process, so every other process would decode it only to drop it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import socketio

from realtime.fanout import Fanout

log = logging.getLogger(__name__)

RESUBSCRIBE_SECONDS = 0.5


class RedisManager(socketio.AsyncRedisManager, Fanout):  # type: ignore[misc]
    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str | None = None,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        target = to or room
        namespace = namespace or "/"
        if callback is None and isinstance(target, str) and self.is_connected(target, namespace):
            await Fanout.emit(self, event, data, namespace, target, skip_sid)
            return
        await super().emit(event, data, namespace, room, skip_sid, callback, to, **kwargs)

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:
        failing = False
        while True:
            try:
                self._redis_connect()
                await self.pubsub.subscribe(self.channel)
                if failing:
                    log.warning("subscribed to %s again", self.channel)
                    failing = False
                async for message in self.pubsub.listen():
                    yield message
            except Exception as exc:
                if not failing:
                    log.warning(
                        "lost the subscription to %s (%r); trying again every %ss",
                        self.channel,
                        exc,
                        RESUBSCRIBE_SECONDS,
                    )
                failing = True
                await self._close_pubsub()
                await asyncio.sleep(RESUBSCRIBE_SECONDS)

    async def _close_pubsub(self) -> None:
        """The broken connection's client goes, so retries do not pile up connection pools."""
        pubsub, client = self.pubsub, self.redis
        try:
            if pubsub is not None:
                await pubsub.aclose()
            if client is not None:
                await client.aclose()
        except Exception:
            log.debug("closing the broken pub/sub connection failed", exc_info=True)
