"""Finalizing the recordings whose recorder died, from any process that serves the app.

A recorder renews its recording's lease every quarter of its TTL; a process killed mid-
recording stops renewing, and the first sweep to claim the expired lease (exactly one caller
does) queues `recordings.finalize` with `partial`: the file is stored as far as it was written,
and the room stops recording. The beat only claims and queues, so it stays short.

On the embedded default the leases live in the one process: after a crash and restart they are
gone with it, so at start every recording still pending or processing is finalized the same way.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from server.context import AppContext
from server.domains.recordings import capture, takes
from server.domains.recordings.rows import FINALIZE_JOB
from server.heartbeat import Heartbeat, interval_for

log = logging.getLogger(__name__)


class RecorderSweeper:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._heartbeat = Heartbeat("recorder sweep", interval_for(capture.ttl(ctx)), self.sweep)

    async def start(self) -> None:
        if self.ctx.redis is None:
            try:
                await self.orphans()
            except (SQLAlchemyError, OSError):
                # The app starts without its database (readiness says so); the next start looks again.
                log.warning("could not look for recordings left by a crash; the database is unreachable")
        self._heartbeat.start()

    async def stop(self) -> None:
        await self._heartbeat.stop()

    async def sweep(self) -> None:
        for name in await capture.recorder_leases(self.ctx).claim_expired():
            log.warning("the recorder of recording %s stopped renewing: finalizing what it wrote", name)
            await self._finalize(name)

    async def orphans(self) -> None:
        async with self.ctx.sessionmaker() as db:
            left = await takes.unfinished(db)
        for ref in left:
            await self._finalize(ref.name)

    async def _finalize(self, name: str) -> None:
        await self.ctx.jobs.enqueue(FINALIZE_JOB, key=name, recording=name, partial=True)
