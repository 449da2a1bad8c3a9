"""Shared helpers of the personality test tests: the routes, answer sheets and finished sessions."""

from __future__ import annotations

from typing import Any

from server.domains.personality.bank import QUESTIONS
from server.domains.personality.poles import Pole
from tests.server.tenants import Callers

BASE = "/api/personality"

FIRST_POLES = (Pole.E, Pole.S, Pole.T, Pole.J)


def sheet(keyed: dict[Pole, int]) -> dict[int, int]:
    """Every question answered with the value given for the pole it is keyed to."""
    return {question.id: keyed[question.pole] for question in QUESTIONS}


FIXED_SHEET = sheet(
    {
        # E/I: E-keyed questions 4, I-keyed 2.
        Pole.E: 4,
        Pole.I: 2,
        # S/N: every answer 3 (neutral): a tie.
        Pole.S: 3,
        Pole.N: 3,
        # T/F: every answer 1.
        Pole.T: 1,
        Pole.F: 1,
        # J/P: J-keyed 5, P-keyed 4.
        Pole.J: 5,
        Pole.P: 4,
    }
)
"""Worked by hand, with 8 questions keyed to E, S, T, J and 7 to I, N, F, P (4 points a question):

- E/I: E gets 8 x (4-1) + 7 x (5-2) = 24 + 21 = 45 of 60 points -> E 75, I 25 -> E
- S/N: 15 x 2 = 30 each -> 50/50, a tie -> N
- T/F: T gets 8 x 0 + 7 x 4 = 28, F 8 x 4 + 7 x 0 = 32 -> 28/60 = 46.67 -> T 47, F 53 -> F
- J/P: J gets 8 x 4 + 7 x (5-4) = 39, P 8 x 0 + 7 x 3 = 21 -> 39/60 = 65 -> J 65, P 35 -> J
"""
FIXED_SCORES = {"e": 75, "i": 25, "s": 50, "n": 50, "t": 47, "f": 53, "j": 65, "p": 35}
FIXED_TYPE = "ENFJ"


def batch(answers: dict[int, int]) -> list[dict[str, int]]:
    return [{"question_id": q, "value": v} for q, v in answers.items()]


async def start(callers: Callers, who: str, **params: Any) -> dict[str, Any]:
    response = await callers.call(who, "POST", f"{BASE}/sessions", params=params or None)
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def finished(callers: Callers, who: str, answers: dict[int, int] = FIXED_SHEET) -> dict[str, Any]:
    """A session of `who`, every question answered, completed; its final answer."""
    session = await start(callers, who)
    path = f"{BASE}/sessions/{session['id']}"
    response = await callers.call(who, "POST", f"{path}/answers", json=batch(answers))
    assert response.status_code == 200, response.text
    response = await callers.call(who, "POST", f"{path}/complete")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
