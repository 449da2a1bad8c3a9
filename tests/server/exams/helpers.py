"""An exam of every question type, and the steps most exams tests take."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from server.jobs.inprocess import InProcessQueue
from tests.server.jobs.clock import ManualClock
from tests.server.tenants import Callers

T0 = datetime(2030, 5, 1, 0, 0, 10, tzinfo=UTC)
"""When every exams test starts, on the exam clock."""


def when(text: str) -> datetime:
    """An instant the API answered (msgspec spells UTC `Z`)."""
    return datetime.fromisoformat(text)


QUESTIONS: list[dict[str, Any]] = [
    {"type": "single_choice", "question": "2 + 2 = ?", "options": ["3", "4", "5"], "answer": 1, "points": 10},
    {
        "type": "multiple_choice",
        "question": "素数はどれですか。",
        "options": ["2", "4", "5", "9"],
        "answers": [0, 2],
        "points": 20,
    },
    {"type": "true_false", "question": "東京は日本の首都である。", "answer": True, "points": 10},
    {
        "type": "short_text",
        "question": "Python の作者は？",
        "accepted_answers": ["Guido van Rossum", "グイド"],
        "points": 20,
    },
    {"type": "essay", "question": "志望動機を書いてください。", "points": 40},
]
"""100 points; ids 1..5 are assigned in this order."""
RIGHT = {1: 1, 2: [2, 0], 3: True, 4: "  ＧＵＩＤＯ   van rossum ", 5: "御社の理念に共感しました。"}
WRONG = {1: 0, 2: [0], 3: False, 4: "Larry Wall", 5: ""}


async def create_exam(callers: Callers, who: str = "recruiter", **fields: Any) -> dict[str, Any]:
    body = {"title": "基礎テスト", "duration_minutes": 30, "questions": QUESTIONS, **fields}
    created = await callers.call(who, "POST", "/api/exams/", json=body)
    assert created.status_code == 201, created.text
    exam: dict[str, Any] = created.json()
    return exam


async def published_exam(callers: Callers, who: str = "recruiter", **fields: Any) -> dict[str, Any]:
    exam = await create_exam(callers, who, **fields)
    published = await callers.call(who, "POST", f"/api/exams/{exam['id']}/publish")
    assert published.status_code == 200, published.text
    found: dict[str, Any] = published.json()
    return found


async def assign(callers: Callers, exam_id: int, candidate: str = "candidate", who: str = "recruiter") -> int:
    candidate_id = callers.tenants.user(candidate).id
    assigned = await callers.call(
        who, "POST", f"/api/exams/{exam_id}/assignments", json={"candidate_id": candidate_id}
    )
    assert assigned.status_code == 201, assigned.text
    session_id: int = assigned.json()["id"]
    return session_id


async def start(callers: Callers, session_id: int, who: str = "candidate") -> dict[str, Any]:
    started = await callers.call(who, "POST", f"/api/exam-sessions/{session_id}/start")
    assert started.status_code == 200, started.text
    state: dict[str, Any] = started.json()
    return state


async def started_session(callers: Callers, **fields: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A published exam (of `fields`) and the candidate's started session's state."""
    exam = await published_exam(callers, **fields)
    return exam, await start(callers, await assign(callers, exam["id"]))


async def answer(
    callers: Callers, session_id: int, question_id: int, value: Any, who: str = "candidate"
) -> Any:
    return await callers.call(
        who,
        "POST",
        f"/api/exam-sessions/{session_id}/answers",
        json={"question_id": question_id, "answer": value},
    )


async def move_to(queue: InProcessQueue, clock: ManualClock, moment: datetime) -> None:
    clock.move_to(moment)
    async with asyncio.timeout(10):
        await queue.settle()
