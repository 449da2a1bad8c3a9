"""The exam jobs: the submit at the deadline, and the minute tick of the remaining time.

Starting a session schedules `exams.deadline` at its deadline (keyed by session), so the
session ends on time even when no browser is left: the job runs on whichever process is
alive and submits through the same `grading.finish` as the candidate. It is idempotent: a
session already submitted (by the candidate, or by a run before a crash) is left alone, and
one whose deadline has not come on the exam clock is not touched.

`exams.tick` runs every minute (cron, once per tick across all processes) and pushes
`exam:tick` with the server's remaining seconds to every live session's sockets and watchers.
Clients count down locally between ticks; the acks of `exam:join` and `exam:answer` carry the
same figures, so a client is never more than a minute from the server's clock. Sessions found
past their deadline are submitted there too, in case their deadline job was lost (the embedded
default keeps scheduled jobs in memory only).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Exam, ExamSession
from models.enums import ExamSessionStatus
from server import audit, effects
from server.domains.exams import grading, live, timing
from server.jobs import Job, Periodic

if TYPE_CHECKING:
    from server.context import AppContext

log = logging.getLogger(__name__)

DEADLINE = "exams.deadline"
TICK = "exams.tick"
TICKS_PER_RUN = 1_000


def schedule_deadline(db: AsyncSession, session: ExamSession, exam: Exam) -> None:
    ends = timing.deadline(session, exam)
    assert ends is not None
    effects.schedule(db, DEADLINE, at=ends, key=str(session.id), session_id=session.id)


async def settle(db: AsyncSession, session: ExamSession, exam: Exam) -> bool:
    """Submit a session still in progress past its deadline, as of the deadline; True if it did."""
    ends = timing.deadline(session, exam)
    if session.status is not ExamSessionStatus.IN_PROGRESS or ends is None or timing.now() < ends:
        return False
    await grading.finish(db, session, exam, reason="deadline", at=ends)
    return True


async def submit_at_deadline(ctx: AppContext, *, session_id: int) -> None:
    """The job: submit the session if it is still in progress and its time is up."""
    async with ctx.transaction() as db:
        audit.set_actor(db, audit.AuditActor(user_agent=f"miraiworks job {DEADLINE}"))
        row = (
            (
                await db.execute(
                    select(ExamSession, Exam)
                    .join(Exam, Exam.id == ExamSession.exam_id)
                    .where(ExamSession.id == session_id)
                    .with_for_update(of=ExamSession)
                )
            )
            .tuples()
            .first()
        )
        if row is None:
            return
        session, exam = row
        if not await settle(db, session, exam) and session.status is ExamSessionStatus.IN_PROGRESS:
            log.warning("exam session %s: deadline job ran before its deadline", session_id)


async def tick(ctx: AppContext) -> None:
    """Push the remaining time of every live session; submit the ones already past the end."""
    async with ctx.transaction() as db:
        audit.set_actor(db, audit.AuditActor(user_agent=f"miraiworks job {TICK}"))
        rows = await db.execute(
            select(ExamSession, Exam)
            .join(Exam, Exam.id == ExamSession.exam_id)
            .where(ExamSession.status == ExamSessionStatus.IN_PROGRESS)
            .order_by(ExamSession.id)
            .limit(TICKS_PER_RUN)
        )
        now = timing.now()
        late = []
        for session, exam in rows.tuples():
            ends = timing.deadline(session, exam)
            if ends is None:
                continue
            if ends > now:
                live.tick(db, session, timing.remaining(session, exam, now) or 0, ends, now)
            elif ends < now - timedelta(minutes=1):
                late.append(session.id)
    for session_id in late:
        await submit_at_deadline(ctx, session_id=session_id)


JOBS = [
    Job(
        DEADLINE,
        submit_at_deadline,
        retries=5,
        timeout_seconds=60,
        retry_delay_seconds=2,
        max_retry_delay_seconds=60,
    ),
    Job(TICK, tick, retries=0, timeout_seconds=50),
]
PERIODIC = [Periodic(TICK, "* * * * *")]
