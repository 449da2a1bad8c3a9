"""Typed exam questions: what an author writes, what a candidate sees, and how answers score.

`Question` is a msgspec tagged union on `type` (single_choice, multiple_choice, true_false,
short_text, essay). The answer keys (`answer`, `answers`, `accepted_answers`) exist only on
the authoring structs; a candidate is only ever sent the `*View` structs, which have no field
to hold them, so no code path can leak a key by forgetting to blank it.

Each question has an `id`, stable for the life of the exam: an author may give it, else the
next free number is assigned, and answers and results are keyed by it (as strings in JSON).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Annotated, Any

import msgspec

from server.errors import FieldError, InvalidInput

Prompt = Annotated[str, msgspec.Meta(min_length=1, max_length=5_000)]
Option = Annotated[str, msgspec.Meta(min_length=1, max_length=1_000)]
Options = Annotated[list[Option], msgspec.Meta(min_length=2, max_length=20)]
Points = Annotated[int, msgspec.Meta(ge=0, le=1_000)]
QuestionId = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
Accepted = Annotated[
    list[Annotated[str, msgspec.Meta(min_length=1, max_length=500)]],
    msgspec.Meta(min_length=1, max_length=50),
]
MAX_QUESTIONS = 500
SHORT_TEXT_CHARS = 1_000
ESSAY_CHARS = 20_000


class _Question(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag_field="type"):
    id: QuestionId | None = None
    question: Prompt
    points: Points = 1


class SingleChoice(_Question, tag="single_choice"):
    options: Options
    answer: Annotated[int, msgspec.Meta(ge=0)]
    """Index of the correct option."""


class MultipleChoice(_Question, tag="multiple_choice"):
    options: Options
    answers: Annotated[list[Annotated[int, msgspec.Meta(ge=0)]], msgspec.Meta(min_length=1, max_length=20)]
    """Indices of every correct option: a response scores only when it picks exactly these."""


class TrueFalse(_Question, tag="true_false"):
    answer: bool


class ShortText(_Question, tag="short_text"):
    accepted_answers: Accepted
    """Compared after NFKC normalisation, case folding and collapsing blanks (ＡＢＣ = abc)."""


class Essay(_Question, tag="essay"):
    max_length: Annotated[int, msgspec.Meta(ge=1, le=ESSAY_CHARS)] = ESSAY_CHARS
    """Scored by a grader (`POST /api/exam-sessions/{id}/grades`)."""


Question = SingleChoice | MultipleChoice | TrueFalse | ShortText | Essay
Questions = Annotated[list[Question], msgspec.Meta(max_length=MAX_QUESTIONS)]


class _View(msgspec.Struct, kw_only=True, tag_field="type"):
    id: int
    question: str
    points: int


class SingleChoiceView(_View, tag="single_choice"):
    options: list[str]


class MultipleChoiceView(_View, tag="multiple_choice"):
    options: list[str]


class TrueFalseView(_View, tag="true_false"):
    pass


class ShortTextView(_View, tag="short_text"):
    pass


class EssayView(_View, tag="essay"):
    max_length: int


QuestionView = SingleChoiceView | MultipleChoiceView | TrueFalseView | ShortTextView | EssayView
Answer = bool | int | str | list[int] | None
"""A response: an option index, a list of indices, true/false, or text (null clears it)."""


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(errors=[FieldError(field=field, message=message)])


def checked(questions: list[Question], known: Sequence[Question] = ()) -> list[Question]:
    """Keys within their options and ids unique, then ids given to the questions without one,
    past the exam's current ids (`known`), so a new question never takes a kept one's id."""
    seen: set[int] = set()
    for index, item in enumerate(questions):
        at = f"questions[{index}]"
        if item.id is not None:
            if item.id in seen:
                raise invalid(f"{at}.id", "is used by another question")
            seen.add(item.id)
        if isinstance(item, SingleChoice) and item.answer >= len(item.options):
            raise invalid(f"{at}.answer", "is not the index of an option")
        if isinstance(item, MultipleChoice):
            if any(i >= len(item.options) for i in item.answers):
                raise invalid(f"{at}.answers", "are not all indices of options")
            if len(set(item.answers)) != len(item.answers):
                raise invalid(f"{at}.answers", "repeat an option")
    next_id = max(seen | {key(item) for item in known}, default=0) + 1
    for item in questions:
        if item.id is None:
            item.id = next_id
            next_id += 1
    return questions


def load(stored: Any) -> list[Question]:
    """The exam's questions column as typed questions."""
    return msgspec.convert(stored or [], list[Question])


def dump(questions: list[Question]) -> list[dict[str, Any]]:
    return msgspec.to_builtins(questions)  # type: ignore[no-any-return]


def key(item: Question) -> int:
    assert item.id is not None  # `checked` gave every question an id
    return item.id


def view(item: Question) -> QuestionView:
    common: dict[str, Any] = {"id": key(item), "question": item.question, "points": item.points}
    if isinstance(item, SingleChoice):
        return SingleChoiceView(**common, options=item.options)
    if isinstance(item, MultipleChoice):
        return MultipleChoiceView(**common, options=item.options)
    if isinstance(item, TrueFalse):
        return TrueFalseView(**common)
    if isinstance(item, ShortText):
        return ShortTextView(**common)
    return EssayView(**common, max_length=item.max_length)


def correct_answer(item: Question) -> Answer:
    """The key as a response would spell it (shown only when the exam shows correct answers)."""
    if isinstance(item, SingleChoice | TrueFalse):
        return item.answer
    if isinstance(item, MultipleChoice):
        return sorted(item.answers)
    if isinstance(item, ShortText):
        return item.accepted_answers[0]
    return None


def validate(item: Question, answer: Answer) -> Answer:
    """The response in its canonical form, or 422 naming `answer` when its shape is wrong."""
    if answer is None:
        return None
    if isinstance(item, SingleChoice):
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise invalid("answer", "a single_choice answer is an option index")
        if not 0 <= answer < len(item.options):
            raise invalid("answer", "is not the index of an option")
        return answer
    if isinstance(item, MultipleChoice):
        if not isinstance(answer, list):
            raise invalid("answer", "a multiple_choice answer is a list of option indices")
        if any(not 0 <= i < len(item.options) for i in answer) or len(set(answer)) != len(answer):
            raise invalid("answer", "lists each option index at most once, within the options")
        return sorted(answer)
    if isinstance(item, TrueFalse):
        if not isinstance(answer, bool):
            raise invalid("answer", "a true_false answer is true or false")
        return answer
    if not isinstance(answer, str):
        raise invalid("answer", f"a {type(item).__struct_config__.tag} answer is text")
    limit = SHORT_TEXT_CHARS if isinstance(item, ShortText) else item.max_length
    if len(answer) > limit:
        raise invalid("answer", f"is longer than {limit} characters")
    return answer


def normalized(text: str) -> str:
    """Width, case and blanks do not matter: ＰＹＴＨＯＮ　３ matches python 3."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def auto_score(item: Question, answer: Answer) -> tuple[int, bool] | None:
    """(points, correct) for a machine-scored question; None for an answered essay (a grader's)."""
    if isinstance(item, Essay):
        return (0, False) if not answer else None
    if isinstance(item, ShortText):
        right = isinstance(answer, str) and normalized(answer) in {
            normalized(a) for a in item.accepted_answers
        }
    elif isinstance(item, MultipleChoice):
        right = isinstance(answer, list) and sorted(answer) == sorted(item.answers)
    else:
        right = answer is not None and answer == correct_answer(item) and type(answer) is type(item.answer)
    return (item.points if right else 0, right)
