"""The recorder as the recordings domain sees it: a port, and the lease that keeps one recorder
per recording (so per room, which runs one recording at a time).

The recorder itself is an aiortc peer in `signaling.recorder`, a transport this domain must
not import; the composition roots (`server.asgi`, `miraiworks worker`) install it. A context
without one (a unit test) finalizes the recording as failed instead of recording it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from server.leases import Leases, create_leases

if TYPE_CHECKING:
    from server.context import AppContext
    from server.domains.recordings.takes import Ref

LEASES_KEY = "miraiworks:recorders"


class Recorder(Protocol):
    async def record(self, ctx: AppContext, ref: Ref) -> None:
        """Capture the recording until its room stops it; then finalize it."""


_installed: list[Recorder] = []


def install(recorder: Recorder) -> None:
    _installed[:] = [recorder]


def installed() -> Recorder | None:
    return _installed[0] if _installed else None


_memory: dict[int, tuple[object, Leases]] = {}


def recorder_leases(ctx: AppContext) -> Leases:
    """Members are recordings' `Ref.name`s; a live one is a recorder at work. In memory, the recorder
    and the sweeper of one context share one namespace (kept with the context's room store)."""
    if ctx.redis is not None:
        return create_leases(ctx.redis, LEASES_KEY)
    found = _memory.get(id(ctx.rooms))
    if found is None or found[0] is not ctx.rooms:
        found = _memory[id(ctx.rooms)] = (ctx.rooms, create_leases(None, LEASES_KEY))
    return found[1]


def ttl(ctx: AppContext) -> float:
    return float(ctx.settings.presence_ttl_seconds)
