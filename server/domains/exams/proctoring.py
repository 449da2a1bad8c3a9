"""The live session: joining it from a socket, proctoring events, and staff watching.

Proctoring is on for a session when its exam's settings said `proctoring_enabled` at
assignment (the session's `proctoring_enabled` column). Then each event the client reports
(tab hidden, window blur, paste, copy, fullscreen exit) is stored with the server's time in
`violations`, counted by kind in `proctoring_data`, and pushed as `exam:violation` to the
staff watching; without proctoring an event is acknowledged and not stored.

`multiple_sockets` is the server's own finding: `proctoring_data.sockets` lists the sockets
that joined the session, and a join while another of them is still connected (presence,
shared by every process) is a violation. A reconnect after the old socket closed is not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import ExamSession
from models.enums import ExamSessionStatus
from server import effects
from server.auth.principal import Principal
from server.domains.exams import access, live, timing
from server.domains.exams.access import As
from server.domains.exams.schemas import ExamSessionOut, ExamSessionState
from server.domains.exams.sessions import SessionsService
from server.domains.exams.views import session_out, state_out
from server.errors import Conflict

MAX_VIOLATIONS = 500
"""Kept in `violations` (a TEXT column); the counts go on past it."""
KEPT_SOCKETS = 20


def _data(session: ExamSession) -> dict[str, Any]:
    stored = session.proctoring_data
    return dict(stored) if isinstance(stored, dict) else {}


def record(db: AsyncSession, session: ExamSession, kind: str) -> None:
    at = timing.now()
    data = _data(session)
    counts = dict(data.get("counts") or {})
    counts[kind] = int(counts.get(kind, 0)) + 1
    data["counts"] = counts
    session.proctoring_data = data
    found = list(session.violations or [])
    if len(found) < MAX_VIOLATIONS:
        session.violations = [*found, {"kind": kind, "at": at.isoformat()}]
    live.violation(db, session, kind, at, counts[kind])


class LiveSessions:
    def __init__(self, db: AsyncSession, principal: Principal, sid: str) -> None:
        self.db = db
        self.principal = principal
        self.sid = sid
        self.sessions = SessionsService(db, principal)

    async def join(self, token: str, connected: set[str]) -> ExamSessionState:
        """Put this socket in the session's room and answer the state; `connected` are the
        candidate's open sockets on every process."""
        session, exam = await self.sessions.taking(token)
        if session.status is ExamSessionStatus.NOT_STARTED:
            raise Conflict("Start the session first.", code="not_started")
        effects.enter_room(self.db, self.sid, live.exam_room(session.id))
        if session.status is ExamSessionStatus.IN_PROGRESS:
            data = _data(session)
            others = [s for s in data.get("sockets") or [] if s != self.sid and s in connected]
            data["sockets"] = [*others, self.sid][-KEPT_SOCKETS:]
            session.proctoring_data = data
            if others and session.proctoring_enabled:
                record(self.db, session, "multiple_sockets")
            await self.db.flush()
        return state_out(session, exam)

    async def report(self, token: str, kind: str) -> bool:
        """Store a proctoring event of the candidate's live session; False when proctoring is off."""
        session = await self._in_progress(token)
        if not session.proctoring_enabled:
            return False
        record(self.db, session, kind)
        await self.db.flush()
        return True

    async def _in_progress(self, token: str) -> ExamSession:
        session, _exam = await self.sessions.taking(token)
        if session.status is ExamSessionStatus.NOT_STARTED:
            raise Conflict("Start the session first.", code="not_started")
        if session.status is not ExamSessionStatus.IN_PROGRESS:
            raise Conflict("This session has been submitted.", code="session_finished", keep_changes=True)
        return session

    async def watch(self, session_id: int) -> ExamSessionOut:
        """Staff: hear this session's violations, ticks and submission live."""
        session, exam = await access.load_session(
            self.db, self.principal, need=As.STAFF, session_id=session_id
        )
        effects.enter_room(self.db, self.sid, live.watch_room(session.id))
        return session_out(session, exam)
