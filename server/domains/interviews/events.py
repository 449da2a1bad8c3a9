"""What the interviews domain tells other domains after a commit."""

from __future__ import annotations

from server.events import DomainEvent


class InterviewChanged(DomainEvent, frozen=True, kw_only=True):
    """An interview was scheduled, moved, cancelled or handed to another recruiter (connected
    calendars follow it: `server.domains.calendars.push`)."""

    interview_id: int
