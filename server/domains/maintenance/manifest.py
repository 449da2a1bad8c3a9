"""Housekeeping as the app wires it in: the retention purge (`server.retention`), every night.

It runs at 03:00 in Japan (18:00 UTC), when nobody works; on the embedded default only while
the server runs, on Redis once a night whichever worker takes it. Every step of the purge is
logged as it finishes (rows deleted and kept), then the totals.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from server.jobs import Job, Periodic
from server.manifest import Domain
from server.retention.report import Step
from server.retention.run import run_purge

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

PURGE = "maintenance.purge"
PURGE_CRON = "0 18 * * *"


def _logged(step: Step) -> None:
    if step.deleted or step.kept:
        log.info("retention purge: %s deleted %d, kept %d", step.name, step.deleted, step.kept)


async def purge_job(ctx: AppContext) -> None:
    report = await run_purge(ctx, progress=_logged)
    log.info(
        "retention purge done: deleted %d, kept %d (%s)",
        report.total_deleted,
        report.total_kept,
        {name: count for name, count in report.deleted.items() if count},
    )


DOMAIN = Domain(
    name="maintenance",
    jobs=[Job(PURGE, purge_job, retries=3, timeout_seconds=900)],
    periodic=[Periodic(PURGE, PURGE_CRON)],
)
