"""Events the users domain publishes after commit; realtime disconnects the user's sockets."""

from __future__ import annotations

from server.events import DomainEvent


class AccessRevoked(DomainEvent, frozen=True, kw_only=True):
    """The user's sessions ended: suspended, deleted, deactivated or logged out everywhere."""

    user_id: int
