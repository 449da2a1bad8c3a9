"""A live exam through real python-socketio clients: join and resume, answers, proctoring events
that staff watching hear, the minute tick, and the server's submit at the deadline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from models import ExamSession
from server.context import AppContext
from server.domains.exams import jobs
from tests.realtime.fixtures import ClientFactory
from tests.realtime.harness import LiveServer
from tests.server.exams.helpers import T0, assign, published_exam, start, when
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers, Tenants

PROCTORED = {"settings": {"proctoring_enabled": True}}


@pytest.fixture
async def people(live: LiveServer, tenants: Tenants, clock: ManualClock) -> AsyncIterator[Callers]:
    """Callers of the live server (the exam clock is the test's)."""
    async with httpx.AsyncClient(base_url=live.url) as http:
        yield Callers(http, tenants)  # type: ignore[arg-type]


async def _session(people: Callers, **fields: Any) -> dict[str, Any]:
    exam = await published_exam(people, **fields)
    return await start(people, await assign(people, exam["id"]))


async def _socket(connect: ClientFactory, people: Callers, who: str) -> Any:
    await people.sign_in(who)
    return await connect(people.tokens[who])


async def _row(ctx: AppContext, session_id: int) -> ExamSession:
    async with ctx.sessionmaker() as db:
        row = await db.scalar(select(ExamSession).where(ExamSession.id == session_id))
    assert row is not None
    return row


async def test_join_answer_and_resume_after_a_reconnect(
    people: Callers, connect: ClientFactory, clock: ManualClock
) -> None:
    state = await _session(people)
    token = state["session_token"]
    socket = await _socket(connect, people, "candidate")
    clock.advance(timedelta(seconds=30))
    joined = await socket.call("exam:join", {"session_token": token, "request_id": "j1"})
    assert (joined["ok"], joined["request_id"]) == (True, "j1")
    assert when(joined["deadline"]) == T0 + timedelta(minutes=30)
    assert joined["time_remaining"] == 30 * 60 - 30
    assert joined["session"]["status"] == "in_progress"

    saved = await socket.call("exam:answer", {"session_token": token, "question_id": 3, "answer": True})
    again = await socket.call("exam:answer", {"session_token": token, "question_id": 3, "answer": True})
    assert saved["ok"] and again == saved
    moved = await socket.call("exam:move", {"session_token": token, "current_question": 4})
    assert moved["session"]["current_question"] == 4
    wrong = await socket.call("exam:answer", {"session_token": token, "question_id": 3, "answer": "yes"})
    assert (wrong["ok"], wrong["error"]["code"], wrong["error"]["errors"][0]["field"]) == (
        False,
        "validation_error",
        "answer",
    )
    await socket.close()

    clock.advance(timedelta(seconds=30))
    back = await _socket(connect, people, "candidate")
    resumed = await back.call("exam:join", {"session_token": token})
    assert (resumed["session"]["current_question"], resumed["session"]["answers"]) == (4, {"3": True})
    assert resumed["time_remaining"] == 30 * 60 - 60

    rival = await _socket(connect, people, "rival")
    refused = await rival.call("exam:join", {"session_token": token})
    assert (refused["ok"], refused["error"]["code"]) == (False, "not_found")


async def test_proctoring_events_are_stored_with_server_time_and_watchers_hear_them(
    people: Callers, connect: ClientFactory, clock: ManualClock, ctx: AppContext
) -> None:
    state = await _session(people, **PROCTORED)
    token, sid = state["session_token"], state["id"]
    watcher = await _socket(connect, people, "recruiter")
    watched = await watcher.call("exam:watch", {"session_id": sid})
    assert (watched["ok"], watched["session"]["proctoring_enabled"]) == (True, True)
    stranger = await _socket(connect, people, "other_admin")
    assert (await stranger.call("exam:watch", {"session_id": sid}))["error"]["code"] == "not_found"

    candidate = await _socket(connect, people, "candidate")
    assert (await candidate.call("exam:join", {"session_token": token}))["ok"]
    # Staff cannot act as the candidate, nor watch as them.
    assert (await watcher.call("exam:event", {"session_token": token, "kind": "paste"}))["error"][
        "code"
    ] == "forbidden"
    assert (await candidate.call("exam:watch", {"session_id": sid}))["error"]["code"] == "forbidden"
    bad = await candidate.call("exam:event", {"session_token": token, "kind": "sneeze"})
    assert (bad["ok"], bad["error"]["errors"][0]["field"]) == (False, "kind")

    for seconds, kind in ((5, "tab_hidden"), (7, "paste"), (9, "tab_hidden")):
        clock.move_to(T0 + timedelta(seconds=seconds))
        ack = await candidate.call("exam:event", {"session_token": token, "kind": kind})
        assert ack == {"ok": True, "request_id": None, "recorded": True}
    clock.move_to(T0 + timedelta(seconds=11))
    second = await _socket(connect, people, "candidate")
    assert (await second.call("exam:join", {"session_token": token}))["ok"]

    heard = await watcher.wait_for("exam:violation", 4)
    assert [(v["kind"], v["count"], when(v["at"])) for v in heard] == [
        ("tab_hidden", 1, T0 + timedelta(seconds=5)),
        ("paste", 1, T0 + timedelta(seconds=7)),
        ("tab_hidden", 2, T0 + timedelta(seconds=9)),
        ("multiple_sockets", 1, T0 + timedelta(seconds=11)),
    ]
    assert "exam:violation" not in candidate.received
    row = await _row(ctx, sid)
    assert [v["kind"] for v in row.violations] == ["tab_hidden", "paste", "tab_hidden", "multiple_sockets"]
    assert row.proctoring_data["counts"] == {"tab_hidden": 2, "paste": 1, "multiple_sockets": 1}
    staff_view = await people.call("recruiter", "GET", f"/api/exam-sessions/{sid}")
    assert [v["kind"] for v in staff_view.json()["violations"]] == [v["kind"] for v in row.violations]


async def test_a_reconnect_alone_is_no_violation_and_unproctored_events_are_not_stored(
    people: Callers, connect: ClientFactory, ctx: AppContext
) -> None:
    proctored = await _session(people, **PROCTORED)
    first = await _socket(connect, people, "candidate")
    assert (await first.call("exam:join", {"session_token": proctored["session_token"]}))["ok"]
    await first.close()
    second = await _socket(connect, people, "candidate")
    assert (await second.call("exam:join", {"session_token": proctored["session_token"]}))["ok"]
    assert (await _row(ctx, proctored["id"])).violations is None

    plain = await _session(people, max_attempts=1, title="無監督")
    ack = await second.call("exam:event", {"session_token": plain["session_token"], "kind": "copy"})
    assert ack["recorded"] is False
    assert (await _row(ctx, plain["id"])).violations is None


async def test_the_tick_and_the_deadline_reach_the_sockets(
    people: Callers, connect: ClientFactory, clock: ManualClock, live: LiveServer
) -> None:
    state = await _session(people)
    token, sid = state["session_token"], state["id"]
    candidate = await _socket(connect, people, "candidate")
    await candidate.call("exam:join", {"session_token": token})
    watcher = await _socket(connect, people, "recruiter")
    await watcher.call("exam:watch", {"session_id": sid})

    clock.move_to(T0 + timedelta(minutes=10))
    await jobs.tick(live.ctx)
    for socket in (candidate, watcher):
        tick = (await socket.wait_for("exam:tick"))[0]
        assert (tick["session_id"], tick["time_remaining"]) == (sid, 20 * 60)

    clock.move_to(T0 + timedelta(minutes=30))
    await jobs.submit_at_deadline(live.ctx, session_id=sid)
    for socket in (candidate, watcher):
        done = (await socket.wait_for("exam:submitted"))[0]
        assert (done["session_id"], done["reason"], done["status"]) == (sid, "deadline", "graded")
        assert when(done["submitted_at"]) == T0 + timedelta(minutes=30)
    late = await candidate.call("exam:answer", {"session_token": token, "question_id": 1, "answer": 1})
    assert late["error"]["code"] == "deadline_passed"
    late_event = await candidate.call("exam:event", {"session_token": token, "kind": "copy"})
    assert late_event["error"]["code"] == "session_finished"


async def test_submitting_over_the_socket_tells_the_watchers(people: Callers, connect: ClientFactory) -> None:
    state = await _session(people)
    watcher = await _socket(connect, people, "home_admin")
    await watcher.call("exam:watch", {"session_id": state["id"]})
    candidate = await _socket(connect, people, "candidate")
    done = await candidate.call("exam:submit", {"session_token": state["session_token"]})
    assert done["session"]["status"] == "graded"
    assert (await watcher.wait_for("exam:submitted"))[0]["reason"] == "candidate"
    again = await candidate.call("exam:submit", {"session_token": state["session_token"]})
    assert again["error"]["code"] == "session_finished"
