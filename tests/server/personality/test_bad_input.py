"""What the personality routes refuse: one exact answer each, and no row changed by a refusal."""

from __future__ import annotations

from typing import Any

from models import AuditLog, MbtiTestSession
from server.context import AppContext
from tests.server.personality.conftest import Arranged
from tests.server.personality.helpers import BASE
from tests.server.tenants import (
    MALFORMED,
    Answer,
    Callers,
    Rejections,
    assert_rejections,
    conflict,
    invalid,
    snapshot,
)

ANSWERS = BASE + "/sessions/{open}/answers"


def one(question_id: Any = 1, value: Any = 3) -> dict[str, Any]:
    return {"question_id": question_id, "value": value}


REJECTED: Rejections = [
    (
        "candidate",
        "POST",
        ANSWERS,
        [
            # The wrong shape.
            ({"json": {}}, invalid("question_id")),
            ({"json": {"question_id": 1}}, invalid("value")),
            ({"json": {**one(), "extra": True}}, invalid("extra")),
            ({"json": one(value=3.5)}, invalid("value")),
            ({"json": one(value=None)}, invalid("value")),
            ({"json": "4"}, invalid("data")),
            ({"json": one(value=True)}, invalid("value")),
            ({"json": one(value="often")}, invalid("value")),
            ({"json": [[1, 4]]}, invalid("data")),
            ({"json": [{"question_id": 1}]}, invalid("value")),
            ({"json": {"answers": [one()]}}, invalid("answers")),
            ({"json": []}, invalid("data")),
            ({"json": [one(q % 60 + 1) for q in range(61)]}, invalid("data")),
            ({"content": b'{"question_id": 1,'}, MALFORMED),
            # A value off the 1-5 scale.
            ({"json": one(value=0)}, invalid("value")),
            ({"json": one(value=6)}, invalid("value")),
            # A question id outside the bank.
            ({"json": one(question_id=0)}, invalid("question_id")),
            ({"json": one(question_id=61)}, invalid("question_id")),
            ({"json": one(question_id=-1)}, invalid("question_id")),
            ({"json": one(question_id=10**20)}, invalid("question_id")),
            ({"json": [one(1), one(61)]}, invalid("data")),
            # The same question twice in one batch.
            ({"json": [one(2, 1), one(3), one(2, 5)]}, invalid("[2].question_id")),
            # A language that is not offered.
            ({"json": one(), "params": {"lang": "fr"}}, invalid("lang")),
        ],
    ),
    (
        "candidate",
        "POST",
        BASE + "/sessions/{result}/answers",
        [({"json": one()}, conflict("session_closed"))],
    ),
    (
        "candidate",
        "POST",
        BASE + "/sessions/{open}/complete",
        [({}, Answer(409, "incomplete", ("answers",)))],
    ),
    (
        "candidate",
        "GET",
        BASE + "/sessions",
        [
            ({"params": {"limit": 0}}, invalid("limit")),
            ({"params": {"offset": -1}}, invalid("offset")),
            ({"params": {"status": "finished"}}, invalid("status")),
            ({"params": {"user_id": 0}}, invalid("user_id")),
            ({"params": {"sort": "answers"}}, invalid("sort")),
        ],
    ),
    ("candidate", "GET", BASE + "/questions", [({"params": {"lang": "zh"}}, invalid("lang"))]),
    ("candidate", "GET", BASE + "/sessions/0", [({}, invalid("session_id"))]),
]


async def test_bad_input_is_refused_with_one_exact_answer_and_changes_nothing(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    await callers.sign_in("candidate")
    before = await snapshot(ctx, MbtiTestSession, AuditLog)
    await assert_rejections(callers, REJECTED)
    assert await snapshot(ctx, MbtiTestSession, AuditLog) == before


async def test_another_users_session_is_not_found(callers: Callers, arranged: Arranged) -> None:
    response = await callers.call("other_user", "POST", callers.path(ANSWERS), json=one())
    assert response.status_code == 404
    assert response.json()["detail"] == f"Personality test session {arranged.ids['open']} was not found."
