"""In-process domain-event hub.

Services record events on their session while they work, as effects (`server.effects`): the
unit of work publishes them once the transaction has committed, so nothing is pushed for a
change that was rolled back. Domains subscribe through their manifests.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from server import effects

log = logging.getLogger(__name__)


class DomainEvent(msgspec.Struct, frozen=True, kw_only=True):
    """Base of every event a service publishes after commit."""


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], Awaitable[None]]


class EventHub:
    def __init__(self) -> None:
        self._handlers: dict[type[DomainEvent], list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type[E], handler: Callable[[E], Awaitable[None]]) -> None:
        self._handlers[event_type].append(handler)

    async def publish(self, event: DomainEvent) -> None:
        """Run every handler of the event; one failing handler never stops the others."""
        for handler in self._handlers.get(type(event), ()):
            try:
                await handler(event)
            except Exception:
                log.exception("handler %r failed for %s", handler, type(event).__name__)


def record(session: AsyncSession, event: DomainEvent) -> None:
    """Queue an event to be published after this session's transaction commits."""
    effects.add(session, effects.Publish(event))
