"""This process's part of the live rooms: its sockets' seats kept alive, a closed socket's seat
given its grace period, and expired members of any process swept.

The room events themselves are the meetings domain's (`server.domains.meetings.sockets`); this
transport only knows sockets. A member expires when its socket closed and did not come back
within the grace period, or when the process holding its socket stopped refreshing it (died);
whichever process sweeps first claims it once and the live-room service lets it depart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from server.context import AppContext
from server.domains.meetings.live.seats import LiveRooms, socket_closed
from server.domains.meetings.live.state import Member

log = logging.getLogger(__name__)


class SeatKeeper:
    def __init__(self, ctx: AppContext, local_sids: Callable[[], list[str]]) -> None:
        self.ctx = ctx
        self.local_sids = local_sids
        """The sockets this process holds now."""
        self.ttl = float(ctx.settings.presence_ttl_seconds)
        self._task: asyncio.Task[None] | None = None

    async def socket_closed(self, sid: str) -> None:
        await socket_closed(self.ctx, sid)

    def start(self) -> None:
        self._task = asyncio.create_task(self._beat())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def beat(self) -> None:
        """One heartbeat: refresh this process's seats, then sweep every expired member."""
        await self.ctx.rooms.keep_alive_sockets(self.local_sids(), self.ttl)
        for key, member in await self.ctx.rooms.claim_expired():
            await self._expire(key, member)

    async def _beat(self) -> None:
        interval = max(0.2, self.ttl / 3)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.beat()
            except Exception:
                log.exception("room heartbeat failed; retrying")

    async def _expire(self, key: str, member: Member) -> None:
        log.warning(
            "participant %s of %s expired: its socket closed or its process stopped",
            member.participant_id,
            key,
        )
        async with self.ctx.transaction() as db:
            await LiveRooms(db, self.ctx).expire(key, member)
