"""What a domain brings to the app: one manifest per domain, iterated by the app and the socket server.

Nothing registers itself by being imported. `server.domains.manifests.DOMAINS` lists every
domain's manifest; `create_app` mounts their controllers and installs their file owners, the
realtime transport registers their socket events, the context subscribes their event
handlers, and the job queue runs their jobs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litestar.types import ControllerRouterHandler

from server.events import DomainEvent
from server.jobs import Job, Periodic
from server.sockets import SocketEvents

if TYPE_CHECKING:
    from server.context import AppContext
    from server.domains.files.owners import OwnerCheck


@dataclass(frozen=True, slots=True)
class Subscription:
    """Run `handler(ctx, event)` after the commit of every transaction that recorded `event`."""

    event: type[DomainEvent]
    handler: Callable[[AppContext, Any], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Domain:
    name: str
    controllers: Sequence[ControllerRouterHandler] = ()
    sockets: SocketEvents | None = None
    file_owners: Mapping[str, OwnerCheck] = field(default_factory=dict)
    """Entity types that take attachments, with the check of who may see or change them."""
    subscriptions: Sequence[Subscription] = ()
    jobs: Sequence[Job] = ()
    periodic: Sequence[Periodic] = ()
