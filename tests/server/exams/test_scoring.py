"""Each question type scores on submit; essays wait for a grader; the candidate sees results and
correct answers only as the exam allows, and never an answer key before that."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from models import Notification
from server.context import AppContext
from server.domains.exams import questions as q
from tests.server.exams.helpers import QUESTIONS, RIGHT, WRONG, answer, started_session
from tests.server.tenants import Callers, assert_error

KEYS = ("answer", "answers", "accepted_answers", "correct_answer")


def _leaks(state: dict[str, Any]) -> set[str]:
    """Answer-key fields anywhere in what a candidate sees but their own answers."""
    return _keys_in({k: v for k, v in state.items() if k != "answers"})


def _keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {k for k in value if k in KEYS} | {k for v in value.values() for k in _keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys_in(v)}
    return set()


@pytest.mark.parametrize(
    ("item", "response", "points"),
    [
        (q.SingleChoice(id=1, question="?", options=["a", "b"], answer=1, points=3), 1, 3),
        (q.SingleChoice(id=1, question="?", options=["a", "b"], answer=1, points=3), 0, 0),
        (q.SingleChoice(id=1, question="?", options=["a", "b"], answer=1, points=3), True, 0),
        (q.MultipleChoice(id=1, question="?", options=["a", "b", "c"], answers=[0, 2], points=4), [2, 0], 4),
        (q.MultipleChoice(id=1, question="?", options=["a", "b", "c"], answers=[0, 2], points=4), [0], 0),
        (
            q.MultipleChoice(id=1, question="?", options=["a", "b", "c"], answers=[0, 2], points=4),
            [0, 1, 2],
            0,
        ),
        (q.TrueFalse(id=1, question="?", answer=False, points=2), False, 2),
        (q.TrueFalse(id=1, question="?", answer=False, points=2), 0, 0),
        (q.TrueFalse(id=1, question="?", answer=False, points=2), None, 0),
        (q.ShortText(id=1, question="?", accepted_answers=["東京 タワー"], points=5), "東京　ﾀﾜｰ", 5),
        (q.ShortText(id=1, question="?", accepted_answers=["Straße"], points=5), "STRASSE", 5),
        (q.ShortText(id=1, question="?", accepted_answers=["ABC"], points=5), " ａｂｃ ", 5),
        (q.ShortText(id=1, question="?", accepted_answers=["ABC"], points=5), "abd", 0),
        (q.Essay(id=1, question="?", points=9), "", 0),
    ],
)
def test_each_question_type_scores_automatically(item: q.Question, response: Any, points: int) -> None:
    assert q.auto_score(item, response) == (points, points > 0)


def test_an_answered_essay_waits_for_a_grader() -> None:
    assert q.auto_score(q.Essay(id=1, question="?", points=9), "text") is None


async def test_a_submitted_exam_is_scored_then_graded_with_feedback(
    callers: Callers, ctx: AppContext
) -> None:
    exam, state = await started_session(callers, passing_score=70)
    sid = state["id"]
    assert _leaks(state) == set()  # questions go out without keys
    for qid, value in RIGHT.items():
        assert (await answer(callers, sid, qid, value)).status_code == 200
    submitted = await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/submit")
    assert (submitted.json()["status"], submitted.json()["result"]) == ("submitted", None)

    staff = (await callers.call("recruiter", "GET", f"/api/exam-sessions/{sid}")).json()
    assert [(r["question_id"], r["points"], r["correct"]) for r in staff["results"]] == [
        (1, 10, True),
        (2, 20, True),
        (3, 10, True),
        (4, 20, True),
        (5, None, None),
    ]
    assert staff["score"] is None
    async with ctx.sessionmaker() as db:
        waiting = await db.scalar(select(Notification).where(Notification.type == "exam_awaiting_grading"))
    assert waiting is not None and waiting.user_id == callers.tenants.user("recruiter").id

    too_many = await callers.call(
        "recruiter",
        "POST",
        f"/api/exam-sessions/{sid}/grades",
        json={"grades": [{"question_id": 5, "points": 41}]},
    )
    assert_error(too_many, 422, "validation_error")
    not_essay = await callers.call(
        "recruiter",
        "POST",
        f"/api/exam-sessions/{sid}/grades",
        json={"grades": [{"question_id": 1, "points": 0}]},
    )
    assert_error(not_essay, 422, "validation_error")
    graded = await callers.call(
        "recruiter",
        "POST",
        f"/api/exam-sessions/{sid}/grades",
        json={
            "grades": [{"question_id": 5, "points": 25, "feedback": "具体例がほしい"}],
            "feedback": "概ね良好",
        },
    )
    assert graded.status_code == 200, graded.text
    body = graded.json()
    assert (body["status"], body["score"], body["passed"], body["feedback"]) == (
        "graded",
        85,
        True,
        "概ね良好",
    )
    assert body["results"][4] == {
        "question_id": 5,
        "type": "essay",
        "answer": RIGHT[5],
        "points": 25,
        "max_points": 40,
        "correct": None,
        "feedback": "具体例がほしい",
    }

    seen = (await callers.call("candidate", "GET", f"/api/exam-sessions/{sid}/state")).json()
    assert (seen["result"]["score"], seen["result"]["passed"]) == (85, True)
    assert _leaks(seen) == set()  # show_correct_answers is off
    async with ctx.sessionmaker() as db:
        told = await db.scalar(select(Notification).where(Notification.type == "exam_graded"))
    assert told is not None and told.action_url == f"/exams/sessions/{sid}"
    assert exam["passing_score"] == 70


async def test_wrong_answers_score_nothing_and_fail(callers: Callers) -> None:
    _, state = await started_session(callers)
    sid = state["id"]
    for qid, value in WRONG.items():
        assert (await answer(callers, sid, qid, value)).status_code == 200
    done = (await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/submit")).json()
    assert (done["status"], done["result"]["score"], done["result"]["passed"]) == ("graded", 0, False)
    assert [r["points"] for r in done["result"]["results"]] == [0, 0, 0, 0, 0]


async def test_correct_answers_are_shown_only_when_the_exam_says_so(callers: Callers) -> None:
    auto = [item for item in QUESTIONS if item["type"] != "essay"]
    _, state = await started_session(callers, questions=auto, show_correct_answers=True)
    sid = state["id"]
    assert _leaks(state) == set()
    done = (await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/submit")).json()
    assert [r["correct_answer"] for r in done["result"]["results"]] == [1, [0, 2], True, "Guido van Rossum"]


async def test_results_stay_hidden_when_the_exam_does_not_show_them(callers: Callers) -> None:
    _, state = await started_session(callers, show_results=False)
    sid = state["id"]
    await answer(callers, sid, 5, "")
    done = (await callers.call("candidate", "POST", f"/api/exam-sessions/{sid}/submit")).json()
    assert (done["status"], done["result"]) == ("graded", None)
    mine = (await callers.call("candidate", "GET", "/api/exam-sessions/mine")).json()["items"]
    assert (mine[0]["score"], mine[0]["passed"]) == (None, None)
    staff = (await callers.call("recruiter", "GET", f"/api/exam-sessions/{sid}")).json()
    assert staff["score"] == 0
    assert "Guido" not in json.dumps(done)
