"""A live exam over Socket.IO: the candidate's `exam:join`, `exam:answer`, `exam:move`,
`exam:submit` and `exam:event`, and the staff's `exam:watch`.

Each calls the same service as REST (`SessionsService`, `LiveSessions`); the session is named
by its token for the candidate and by id for staff. Pushes (`exam:tick`, `exam:violation`,
`exam:submitted`) and room changes are the services' effects, applied after the commit.
"""

from __future__ import annotations

from server.domains.exams.proctoring import LiveSessions
from server.domains.exams.schemas import (
    AnswerIn,
    JoinSession,
    ProctoringEvent,
    SocketAnswer,
    SocketMove,
    WatchSession,
)
from server.domains.exams.sessions import SessionsService
from server.ratelimit import Limit
from server.sockets import Ack, EventLimit, SocketCall, SocketEvents

JOINS = EventLimit(per_socket=Limit(10, 10), per_user=Limit(30, 10))
ANSWERS = EventLimit(per_socket=Limit(120, 10), per_user=Limit(240, 10))
REPORTS = EventLimit(per_socket=Limit(30, 10), per_user=Limit(60, 10))

events = SocketEvents()


def _live(call: SocketCall) -> LiveSessions:
    return LiveSessions(call.db, call.principal, call.sid)


@events.on("exam:join", JoinSession, JOINS)
async def join(call: SocketCall, data: JoinSession) -> Ack:
    """Candidate: enter your started session's room; the ack is its state with the server's
    deadline and remaining seconds (a reconnect resumes from it)."""
    connected = {entry.sid for entry in await call.ctx.presence.sockets(call.principal.user_id)}
    state = await _live(call).join(data.session_token, connected)
    return {"session": state, "deadline": state.deadline, "time_remaining": state.time_remaining}


@events.on("exam:answer", SocketAnswer, ANSWERS)
async def answer(call: SocketCall, data: SocketAnswer) -> Ack:
    """Candidate: save an answer by question id (idempotent; null clears it)."""
    saved = AnswerIn(question_id=data.question_id, answer=data.answer)
    state = await SessionsService(call.db, call.principal).answer(data.session_token, saved)
    return {"session": state, "deadline": state.deadline, "time_remaining": state.time_remaining}


@events.on("exam:move", SocketMove, ANSWERS)
async def move(call: SocketCall, data: SocketMove) -> Ack:
    """Candidate: go to another question (kept as `current_question` for a resume)."""
    state = await SessionsService(call.db, call.principal).move(data.session_token, data.current_question)
    return {"session": state, "deadline": state.deadline, "time_remaining": state.time_remaining}


@events.on("exam:submit", JoinSession, JOINS)
async def submit(call: SocketCall, data: JoinSession) -> Ack:
    """Candidate: hand the session in; its sockets and watchers get `exam:submitted`."""
    state = await SessionsService(call.db, call.principal).submit(data.session_token)
    return {"session": state, "deadline": state.deadline, "time_remaining": state.time_remaining}


@events.on("exam:event", ProctoringEvent, REPORTS)
async def report(call: SocketCall, data: ProctoringEvent) -> Ack:
    """Candidate's client: report a proctoring event; stored (with server time) and pushed to
    watchers when the session is proctored, `recorded: false` otherwise."""
    return {"recorded": await _live(call).report(data.session_token, data.kind)}


@events.on("exam:watch", WatchSession, JOINS)
async def watch(call: SocketCall, data: WatchSession) -> Ack:
    """Staff of the exam's company: watch a session (violations, ticks, submission) live."""
    return {"session": await _live(call).watch(data.session_id)}
