"""When a room may be entered: the one rule `room:join` and the join-info endpoint share.

A room is open while its status is not a closed one (a meeting `completed` or `cancelled`, a
call `ended` or `cancelled`) and until `LATE_JOIN` after its scheduled end, so a meeting that
runs late, or that nobody ended, can still be entered for a while. Pure: no database, no clock
of its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from models.enums import MeetingStatus, VideoCallStatus

LATE_JOIN = timedelta(hours=2)
"""How long after its scheduled end a room that never ended can still be entered."""


class RoomStatus(StrEnum):
    """A room's status as stored: a meeting's (`completed`) or a call's (`ended`)."""

    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = MeetingStatus.COMPLETED.value
    ENDED = VideoCallStatus.ENDED.value
    CANCELLED = "cancelled"


CLOSED: frozenset[str] = frozenset(
    {MeetingStatus.COMPLETED, MeetingStatus.CANCELLED, VideoCallStatus.ENDED, VideoCallStatus.CANCELLED}
)


def room_open(status: str, scheduled_end: datetime, now: datetime) -> bool:
    """Whether a room of this status and scheduled end may be entered at `now` (aware datetimes)."""
    return status not in CLOSED and now <= scheduled_end + LATE_JOIN
