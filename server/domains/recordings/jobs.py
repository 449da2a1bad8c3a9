"""The recordings' jobs: run a recording's recorder, and finalize one whose recorder died."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from server.domains.recordings import capture, lifecycle
from server.domains.recordings.takes import Ref

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

RECORD_TIMEOUT_SECONDS = 8 * 3600
"""A recorder runs as long as its recording: the job queue must not cut a long meeting short."""


async def record(ctx: AppContext, recording: str) -> None:
    """`recording`: the recording's `Ref.name`."""
    ref = Ref.parse(recording)
    recorder = capture.installed()
    if recorder is None:
        log.error("no recorder is installed in this process; recording %s fails", ref.name)
        await lifecycle.finalize(ctx, ref, partial=False)
        return
    await recorder.record(ctx, ref)


async def finalize(ctx: AppContext, recording: str, partial: bool = True) -> None:
    await lifecycle.finalize(ctx, Ref.parse(recording), partial=partial)
