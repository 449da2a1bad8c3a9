"""The question bank: 60 statements of the project's own writing, 15 per dichotomy, in Japanese and English.

In each dichotomy 8 questions are keyed to its first pole (E, S, T, J) and 7 to its second
(I, N, F, P). They are asked in id order, the dichotomies taking turns (E/I, S/N, T/F, J/P,
E/I, …). Ids are part of the stored answers (`mbti_test_sessions.answers` maps an id to a
value): never renumber a question; change a question's words only in ways that keep its meaning.
"""

from __future__ import annotations

from server.domains.personality.bank import energy, judgement, lifestyle, perception
from server.domains.personality.poles import Question

QUESTIONS: tuple[Question, ...] = tuple(
    sorted(
        (*energy.QUESTIONS, *perception.QUESTIONS, *judgement.QUESTIONS, *lifestyle.QUESTIONS),
        key=lambda question: question.id,
    )
)
BY_ID: dict[int, Question] = {question.id: question for question in QUESTIONS}
TOTAL = len(QUESTIONS)
"""60; the highest question id (ids run from 1 without gaps, as a test checks)."""
