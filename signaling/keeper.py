"""This process's part of the live rooms: its sockets' seats kept alive, a closed socket's seat
given its grace period, and expired members of any process swept.

The room events themselves are the meetings domain's (`server.domains.meetings.live`); this
transport only knows sockets. A member expires when its socket closed and did not come back
within the grace period, or when the process holding its socket stopped refreshing it (died);
whichever process sweeps first claims it once and the live-room service lets it depart.

The heartbeat remembers the seats its sockets held at its last beat. When the store's epoch
changes (Redis restarted empty), it puts those seats back, so a running call goes on without
anyone reconnecting; the data is as fresh as that last beat (a change another process made
to one of these members since then is lost with the store). Renewals and sweeps run on
heartbeats of their own (`server.heartbeat`), so a slow sweep never delays a renewal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from server.context import AppContext
from server.domains.meetings.live.seats import LiveRooms, socket_closed
from server.domains.meetings.live.state import Member, Seated
from server.heartbeat import Heartbeat, interval_for

log = logging.getLogger(__name__)


class SeatKeeper:
    def __init__(self, ctx: AppContext, local_sids: Callable[[], list[str]]) -> None:
        self.ctx = ctx
        self.local_sids = local_sids
        """The sockets this process holds now."""
        self.ttl = float(ctx.settings.presence_ttl_seconds)
        self._epoch: str | None = None
        self._seated: dict[str, Seated] = {}
        interval = interval_for(self.ttl)
        self._heartbeats = [
            Heartbeat("room seats", interval, self.keep),
            Heartbeat("room sweep", interval, self.sweep),
        ]

    async def socket_closed(self, sid: str) -> None:
        self._seated.pop(sid, None)
        await socket_closed(self.ctx, sid)

    def start(self) -> None:
        for heartbeat in self._heartbeats:
            heartbeat.start()

    async def stop(self) -> None:
        for heartbeat in self._heartbeats:
            await heartbeat.stop()

    async def beat(self) -> None:
        """One heartbeat of each kind: refresh (and restore) this process's seats, then sweep."""
        await self.keep()
        await self.sweep()

    async def keep(self) -> None:
        sids = self.local_sids()
        held = await self.ctx.rooms.keep_alive_sockets(sids, self.ttl)
        seats = dict(held.seats)
        if self._epoch is not None and held.epoch != self._epoch:
            open_now = set(self.local_sids())
            lost = {sid: seat for sid, seat in self._seated.items() if sid not in seats and sid in open_now}
            for sid, (key, member) in lost.items():
                if await self.ctx.rooms.restore(key, member, self.ttl):
                    seats[sid] = (key, member)
            restored = len(seats) - len(held.seats)
            log.warning("the room store lost its data; %d of %d seats restored", restored, len(lost))
        self._epoch, self._seated = held.epoch, seats

    async def sweep(self) -> None:
        for key, member in await self.ctx.rooms.claim_expired():
            await self._expire(key, member)

    async def _expire(self, key: str, member: Member) -> None:
        log.warning(
            "participant %s of %s expired: its socket closed or its process stopped",
            member.participant_id,
            key,
        )
        async with self.ctx.transaction() as db:
            await LiveRooms(db, self.ctx).expire(key, member)
