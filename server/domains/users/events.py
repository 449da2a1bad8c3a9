"""Events the users domain publishes after commit; its manifest disconnects the sockets concerned."""

from __future__ import annotations

from server.events import DomainEvent


class AccessRevoked(DomainEvent, frozen=True, kw_only=True):
    """The user's sessions ended: suspended, deleted, deactivated or logged out everywhere."""

    user_id: int
    session_id: str | None = None
    """Only this login session ended; None: every session of the user..."""
    except_session_id: str | None = None
    """...except this one (a password change keeps the session that made it)."""

    def ends(self, session_id: str) -> bool:
        if self.session_id is not None:
            return session_id == self.session_id
        return session_id != self.except_session_id
