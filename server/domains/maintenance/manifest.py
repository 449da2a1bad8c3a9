"""Housekeeping as the app wires it in: the retention purge (`server.purge`), every night.

It runs at 03:00 in Japan (18:00 UTC), when nobody works; on the embedded default only while
the server runs, on Redis once a night whichever worker takes it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from server.jobs import Job, Periodic
from server.manifest import Domain
from server.purge import purge_leftovers

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

PURGE = "maintenance.purge"
PURGE_CRON = "0 18 * * *"


async def purge_job(ctx: AppContext) -> None:
    counts = await purge_leftovers(ctx)
    log.info("retention purge deleted %s", counts)


DOMAIN = Domain(
    name="maintenance",
    jobs=[Job(PURGE, purge_job, retries=3, timeout_seconds=900)],
    periodic=[Periodic(PURGE, PURGE_CRON)],
)
