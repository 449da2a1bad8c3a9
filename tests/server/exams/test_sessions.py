"""A candidate takes an assigned exam on the server's clock: start, answer, move, resume,
submit; the deadline is enforced and the server submits the session itself when it passes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import ExamSession, Notification
from server.context import AppContext
from server.domains.exams import jobs
from server.jobs.inprocess import InProcessQueue
from tests.server.exams.helpers import (
    RIGHT,
    T0,
    answer,
    assign,
    move_to,
    published_exam,
    start,
    started_session,
    when,
)
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers, assert_error

MINUTE = timedelta(minutes=1)


async def _row(ctx: AppContext, session_id: int) -> ExamSession:
    async with ctx.sessionmaker() as db:
        row = await db.get(ExamSession, session_id)
    assert row is not None
    return row


async def test_assigning_notifies_the_candidate_with_a_link(callers: Callers, ctx: AppContext) -> None:
    exam = await published_exam(callers)
    session_id = await assign(callers, exam["id"])
    async with ctx.sessionmaker() as db:
        found = list(await db.scalars(select(Notification).where(Notification.type == "exam_assigned")))
    assert [(n.user_id, n.action_url, n.data) for n in found] == [
        (
            callers.tenants.user("candidate").id,
            f"/exams/sessions/{session_id}",
            {"exam_id": exam["id"], "session_id": session_id},
        )
    ]
    mine = await callers.call("candidate", "GET", "/api/exam-sessions/mine")
    assert [(s["id"], s["status"], s["attempt_number"]) for s in mine.json()["items"]] == [
        (session_id, "not_started", 1)
    ]
    draft = await callers.call("recruiter", "POST", "/api/exams/", json={"title": "下書き"})
    refused = await callers.call(
        "recruiter",
        "POST",
        f"/api/exams/{draft.json()['id']}/assignments",
        json={"candidate_id": callers.tenants.user("candidate").id},
    )
    assert_error(refused, 409, "exam_not_published")


async def test_a_started_session_answers_moves_and_resumes_on_the_server_clock(
    callers: Callers, ctx: AppContext, clock: ManualClock
) -> None:
    _, state = await started_session(callers)
    sid = state["id"]
    assert state["status"] == "in_progress"
    assert when(state["started_at"]) == T0
    assert when(state["deadline"]) == T0 + 30 * MINUTE
    assert state["time_remaining"] == 30 * 60
    assert len(state["session_token"]) >= 40
    assert [q["id"] for q in state["questions"]] == [1, 2, 3, 4, 5]

    row = await _row(ctx, sid)
    assert (row.ip_address, row.user_agent, row.attempt_number) == (
        "127.0.0.1",
        "python-httpx/" + __import__("httpx").__version__,
        1,
    )

    clock.advance(timedelta(seconds=95))
    saved = await answer(callers, sid, 2, [2, 0])
    assert saved.status_code == 200, saved.text
    assert saved.json()["answers"] == {"2": [0, 2]}
    assert saved.json()["time_remaining"] == 30 * 60 - 95
    again = await answer(callers, sid, 2, [0, 2])
    assert again.json() == saved.json()  # idempotent
    moved = await callers.call(
        "candidate", "POST", f"/api/exam-sessions/{sid}/current-question", json={"current_question": 3}
    )
    assert moved.json()["current_question"] == 3

    # Starting again, or reading the state, resumes where the candidate was.
    clock.advance(timedelta(seconds=5))
    resumed = await start(callers, sid)
    assert (resumed["current_question"], resumed["answers"], resumed["time_remaining"]) == (
        3,
        {"2": [0, 2]},
        30 * 60 - 100,
    )
    assert when(resumed["started_at"]) == T0
    cleared = await answer(callers, sid, 2, None)
    assert cleared.json()["answers"] == {}


async def test_answers_after_the_deadline_are_refused_and_the_session_is_submitted_then(
    callers: Callers, ctx: AppContext, clock: ManualClock
) -> None:
    """Even when the deadline job did not run (a restart lost it), the deadline holds."""
    _, state = await started_session(callers)
    sid = state["id"]
    assert (await answer(callers, sid, 1, RIGHT[1])).status_code == 200
    clock.advance(30 * MINUTE)
    assert_error(await answer(callers, sid, 3, True), 409, "deadline_passed")
    row = await _row(ctx, sid)
    assert (row.status.value, row.score) == ("graded", 10)  # no essay answer: no grader needed
    assert row.submitted_at == T0 + 30 * MINUTE and row.time_remaining == 0
    assert row.answers["1"] == {"answer": 1, "points": 10, "correct": True, "feedback": None}
    assert_error(
        await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/submit"), 409, "deadline_passed"
    )


async def test_the_deadline_job_submits_a_session_left_by_its_candidate(
    callers: Callers, ctx: AppContext, clock: ManualClock, queue: InProcessQueue
) -> None:
    _, state = await started_session(callers)
    sid = state["id"]
    deadline = T0 + 30 * MINUTE
    assert queue.pending()[f"{jobs.DEADLINE}:{sid}"] == deadline
    for qid, value in RIGHT.items():
        if qid != 5:
            assert (await answer(callers, sid, qid, value)).status_code == 200

    await move_to(queue, clock, deadline - timedelta(seconds=1))
    assert (await _row(ctx, sid)).status.value == "in_progress"
    await move_to(queue, clock, deadline + timedelta(seconds=1))
    row = await _row(ctx, sid)
    # No essay answer: nothing waits for a grader, 60 of 100 points.
    assert (row.status.value, row.score, row.passed, row.submitted_at) == ("graded", 60, False, deadline)
    assert f"{jobs.DEADLINE}:{sid}" not in queue.pending()

    # Run twice (a retry after a crash): nothing changes.
    await jobs.submit_at_deadline(ctx, session_id=sid)
    assert (await _row(ctx, sid)).updated_at == row.updated_at
    state_after = await callers.call("candidate", "GET", f"/api/exam-sessions/{sid}/state")
    assert (state_after.json()["status"], state_after.json()["time_remaining"]) == ("graded", 0)


async def test_a_session_submitted_before_its_deadline_is_left_alone_by_the_job(
    callers: Callers, ctx: AppContext, clock: ManualClock, queue: InProcessQueue
) -> None:
    _, state = await started_session(callers)
    sid = state["id"]
    clock.advance(10 * MINUTE)
    submitted = await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/submit")
    assert submitted.status_code == 200
    assert (submitted.json()["status"], submitted.json()["time_remaining"]) == ("graded", 20 * 60)
    before = await _row(ctx, sid)
    await move_to(queue, clock, T0 + 31 * MINUTE)
    after = await _row(ctx, sid)
    assert (after.submitted_at, after.updated_at) == (before.submitted_at, before.updated_at)
    assert_error(await answer(callers, sid, 1, 1), 409, "deadline_passed")


async def test_submitting_early_then_answering_is_refused_as_finished(callers: Callers) -> None:
    _, state = await started_session(callers)
    sid = state["id"]
    assert (await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/submit")).status_code == 200
    assert_error(await answer(callers, sid, 1, 1), 409, "session_finished")
    assert_error(
        await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/submit"), 409, "session_finished"
    )
    assert_error(
        await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/start"), 409, "session_finished"
    )


async def test_attempts_are_counted_and_refused_beyond_max_attempts(callers: Callers) -> None:
    exam = await published_exam(callers, max_attempts=2)
    first = await assign(callers, exam["id"])
    body = {"candidate_id": callers.tenants.user("candidate").id}
    path = f"/api/exams/{exam['id']}/assignments"
    assert_error(await callers.call("recruiter", "POST", path, json=body), 409, "already_assigned")
    assert_error(
        await callers.call("candidate", "POST", f"/api/exam-sessions/{first}/retake"), 409, "already_assigned"
    )
    await start(callers, first)
    await callers.call("candidate", "POST", f"/api/exam-sessions/{first}/submit")

    retaken = await callers.call("candidate", "POST", f"/api/exam-sessions/{first}/retake")
    assert retaken.status_code == 201, retaken.text
    second = retaken.json()
    assert (second["attempt_number"], second["status"]) == (2, "not_started")
    assert (
        second["session_token"]
        != (await callers.call("candidate", "GET", f"/api/exam-sessions/{first}/state")).json()[
            "session_token"
        ]
    )
    await start(callers, second["id"])
    await callers.call("candidate", "POST", f"/api/exam-sessions/{second['id']}/submit")
    assert_error(
        await callers.call("candidate", "POST", f"/api/exam-sessions/{second['id']}/retake"),
        409,
        "attempts_exhausted",
    )
    assert_error(await callers.call("recruiter", "POST", path, json=body), 409, "attempts_exhausted")


async def test_a_randomized_order_is_random_per_session_and_stable_within_one(callers: Callers) -> None:
    many = [{"type": "true_false", "question": f"Q{n}", "answer": True} for n in range(12)]
    exam = await published_exam(callers, is_randomized=True, questions=many, max_attempts=1)
    orders = []
    for who in ("candidate", "rival"):
        sid = await assign(callers, exam["id"], candidate=who)
        state = await start(callers, sid, who=who)
        order = [q["id"] for q in state["questions"]]
        assert sorted(order) == list(range(1, 13))
        for _ in range(2):
            again = await callers.call(who, "GET", f"/api/exam-sessions/{sid}/state")
            assert [q["id"] for q in again.json()["questions"]] == order
        orders.append(order)
    assert orders[0] != orders[1]
    plain = await published_exam(callers, questions=many)
    state = await start(callers, await assign(callers, plain["id"]))
    assert [q["id"] for q in state["questions"]] == list(range(1, 13))


async def test_the_minute_tick_covers_live_sessions_and_catches_a_lost_deadline(
    callers: Callers, ctx: AppContext, clock: ManualClock, queue: InProcessQueue
) -> None:
    """`exams.tick` runs each minute; a session whose deadline job was lost is submitted by it."""
    _, state = await started_session(callers, duration_minutes=1)
    sid = state["id"]
    queue._entries.pop(f"{jobs.DEADLINE}:{sid}").task.cancel()  # type: ignore[union-attr]  # lost
    await move_to(queue, clock, T0 + 3 * MINUTE)
    row = await _row(ctx, sid)
    assert (row.status.value, row.submitted_at) == ("graded", T0 + MINUTE)
