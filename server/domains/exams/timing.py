"""The exam clock: a session's deadline and remaining time always come from the server.

`clock` is the one time source of every exam rule (deadlines, auto-submit, ticks), so a test
swaps it for the clock it moves (`tests.server.jobs.clock.ManualClock`, the same one it gives
the in-process job runner) instead of sleeping for minutes.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from models import Exam, ExamSession
from server.jobs.clock import Clock, SystemClock

clock: Clock = SystemClock()


def now() -> datetime:
    return clock.now()


def deadline(session: ExamSession, exam: Exam) -> datetime | None:
    """started_at + the exam's duration; None before the session starts."""
    if session.started_at is None:
        return None
    return session.started_at + timedelta(minutes=exam.duration_minutes)


def remaining(session: ExamSession, exam: Exam, at: datetime | None = None) -> int | None:
    """Whole seconds left (rounded up, never negative); None before the start."""
    ends = deadline(session, exam)
    if ends is None:
        return None
    left = (ends - (at or now())).total_seconds()
    return max(0, math.ceil(left))


def past_deadline(session: ExamSession, exam: Exam, at: datetime | None = None) -> bool:
    ends = deadline(session, exam)
    return ends is not None and (at or now()) >= ends
