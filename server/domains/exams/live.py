"""The Socket.IO side of a session as effects: its rooms and the pushes recorded for after commit.

A session has two rooms: `exam:{id}`, the candidate's sockets that joined it (`exam:join`),
and `exam-watch:{id}`, the staff watching it (`exam:watch`). Rooms are entered on the
socket's own process and emits reach every process through the Redis manager, so a push
recorded by a job on a worker process reaches sockets wherever they are.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import ExamSession
from server import effects
from server.domains.exams.schemas import Submitted, Tick, ViolationPush
from server.sockets import user_room

TICK = "exam:tick"
VIOLATION = "exam:violation"
SUBMITTED = "exam:submitted"


def exam_room(session_id: int) -> str:
    return f"exam:{session_id}"


def watch_room(session_id: int) -> str:
    return f"exam-watch:{session_id}"


def tick(db: AsyncSession, session: ExamSession, remaining: int, deadline: datetime, at: datetime) -> None:
    payload = Tick(session_id=session.id, time_remaining=remaining, deadline=deadline, server_time=at)
    effects.push(db, TICK, payload, to=[exam_room(session.id), watch_room(session.id)])


def violation(db: AsyncSession, session: ExamSession, kind: str, at: datetime, count: int) -> None:
    payload = ViolationPush(
        session_id=session.id, candidate_id=session.candidate_id, kind=kind, at=at, count=count
    )
    effects.push(db, VIOLATION, payload, to=watch_room(session.id))


def submitted(db: AsyncSession, session: ExamSession, reason: str) -> None:
    """To the session's sockets, the watchers, and the candidate's other sockets (a dashboard)."""
    assert session.submitted_at is not None
    payload = Submitted(
        session_id=session.id,
        status=session.status,
        submitted_at=session.submitted_at,
        reason="deadline" if reason == "deadline" else "candidate",
    )
    rooms = [exam_room(session.id), watch_room(session.id), user_room(session.candidate_id)]
    effects.push(db, SUBMITTED, payload, to=rooms)
