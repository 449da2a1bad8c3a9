"""The interview's status machine, and the moves its caller may make now.

pending_schedule -> scheduled -> confirmed -> in_progress -> completed, and cancelled from any
open state. `lifecycle` enforces it; `actions` tells a caller, in every answer about an
interview, which of its moves they may make now, so a client offers exactly those:
- `schedule` (`POST .../schedule`): its managers, while it is pending, scheduled or confirmed;
- `confirm`, `start`, `complete`, `cancel` (`POST .../status`): its managers, where the machine
  allows; `confirm` also its candidate.
"""

from __future__ import annotations

from models import Interview
from models.enums import InterviewStatus
from server.domains.interviews.schemas import InterviewAction

S = InterviewStatus
TRANSITIONS: dict[InterviewStatus, frozenset[InterviewStatus]] = {
    S.PENDING_SCHEDULE: frozenset({S.SCHEDULED, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.CONFIRMED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}
MOVABLE = (S.PENDING_SCHEDULE, S.SCHEDULED, S.CONFIRMED)
"""The statuses in which an interview's schedule may be set or moved."""
STATUS_ACTIONS: dict[InterviewStatus, InterviewAction] = {
    S.CONFIRMED: "confirm",
    S.IN_PROGRESS: "start",
    S.COMPLETED: "complete",
    S.CANCELLED: "cancel",
}
"""The target of `POST .../status` each action asks for, in the order they are offered."""


def may_confirm(interview: Interview, user_id: int) -> bool:
    """The candidate's one move: confirming their own interview."""
    return interview.candidate_id == user_id


def actions(interview: Interview, *, manage: bool, user_id: int) -> list[InterviewAction]:
    """The moves the caller may make now (the answer's `actions`)."""
    found: list[InterviewAction] = []
    if manage and interview.status in MOVABLE:
        found.append("schedule")
    allowed = TRANSITIONS[interview.status]
    for target, action in STATUS_ACTIONS.items():
        if target in allowed and (manage or (target is S.CONFIRMED and may_confirm(interview, user_id))):
            found.append(action)
    return found
