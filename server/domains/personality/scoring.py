"""The eight scores and the type of a complete answer sheet: pure arithmetic, the same answers always
giving the same result.

1. Every answer `v` (1 to 5) to a question keyed to pole X gives `v - 1` points to X and `5 - v` to
   the opposite pole of its dichotomy: 4 points per question, split by how much the taker agrees.
2. A dichotomy's percentages: the first pole (E, S, T, J) gets `100 * a / (a + b)` rounded half up
   to a whole number (a and b the points of its two poles), the second pole (I, N, F, P) the rest,
   so that E + I = 100, S + N = 100, T + F = 100 and J + P = 100.
3. The letter of a dichotomy is the pole with more points. A tie (equal points, 50/50) goes to the
   second pole: I, N, F or P. This is a fixed rule, not a judgement; the result page shows the
   percentages, so a taker sees how close the dichotomy was.
4. The type is the four letters in order: E/I, S/N, T/F, J/P ("ENFJ").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from server.domains.personality.bank import BY_ID
from server.domains.personality.poles import DICHOTOMIES, SCALE_MAX, SCALE_MIN, Pole

POINTS_PER_QUESTION = SCALE_MAX - SCALE_MIN


@dataclass(frozen=True, slots=True)
class Result:
    percentages: dict[Pole, int]
    """Per pole, 0 to 100; the two poles of a dichotomy add up to 100."""
    result_type: str


def points(answers: Mapping[int, int]) -> dict[Pole, int]:
    """Raw points per pole of the answers (question id -> value)."""
    totals = dict.fromkeys(Pole, 0)
    for question_id, value in answers.items():
        question = BY_ID[question_id]
        toward = value - SCALE_MIN
        totals[question.pole] += toward
        totals[question.dichotomy.opposite(question.pole)] += POINTS_PER_QUESTION - toward
    return totals


def percent_half_up(part: int, whole: int) -> int:
    """`100 * part / whole` rounded half up, in integers (no float rounding quirks)."""
    return (200 * part + whole) // (2 * whole)


def score(answers: Mapping[int, int]) -> Result:
    """The result of an answer sheet that answers at least one question of every dichotomy."""
    raw = points(answers)
    percentages: dict[Pole, int] = {}
    letters = []
    for dichotomy in DICHOTOMIES:
        first, second = raw[dichotomy.first], raw[dichotomy.second]
        share = percent_half_up(first, first + second)
        percentages[dichotomy.first] = share
        percentages[dichotomy.second] = 100 - share
        letters.append(dichotomy.first.value if first > second else dichotomy.second.value)
    return Result(percentages=percentages, result_type="".join(letters))
