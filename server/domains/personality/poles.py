"""The vocabulary of the 16-type personality test: eight poles in four dichotomies, and a question.

A question is a statement the taker rates on a five-point Likert scale (`SCALE`), from 1
("not at all like me") to 5 ("very much like me"). Each question is keyed to one pole: agreeing
with it leans towards that pole, disagreeing towards the opposite pole of its dichotomy. In every
dichotomy some questions are keyed to the first pole and some to the second (the reversed ones),
so that always answering "agree" does not push every dichotomy the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")
DEFAULT_LANG: Lang = "ja"


class Pole(StrEnum):
    E = "E"
    I = "I"  # noqa: E741 - the letter of the pole
    S = "S"
    N = "N"
    T = "T"
    F = "F"
    J = "J"
    P = "P"


@dataclass(frozen=True, slots=True)
class Dichotomy:
    first: Pole
    second: Pole
    ja: str
    en: str

    def opposite(self, pole: Pole) -> Pole:
        return self.second if pole is self.first else self.first


DICHOTOMIES: tuple[Dichotomy, ...] = (
    Dichotomy(Pole.E, Pole.I, "外向 (E) と内向 (I): 元気の向かう先", "Extraversion (E) and Introversion (I)"),
    Dichotomy(Pole.S, Pole.N, "感覚 (S) と直観 (N): 情報の受け取り方", "Sensing (S) and Intuition (N)"),
    Dichotomy(Pole.T, Pole.F, "思考 (T) と感情 (F): 決め方", "Thinking (T) and Feeling (F)"),
    Dichotomy(
        Pole.J, Pole.P, "判断 (J) と知覚 (P): 外の世界との付き合い方", "Judging (J) and Perceiving (P)"
    ),
)
"""In the order of the letters of a type: "ENFJ" is one pole of each, first to last."""

DICHOTOMY_OF: dict[Pole, Dichotomy] = {pole: d for d in DICHOTOMIES for pole in (d.first, d.second)}


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    """1 to the number of questions; also the order in which they are asked."""
    pole: Pole
    """The pole that agreeing with the statement leans towards."""
    ja: str
    en: str

    @property
    def dichotomy(self) -> Dichotomy:
        return DICHOTOMY_OF[self.pole]

    def text(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


SCALE_MIN = 1
SCALE_MAX = 5
SCALE: tuple[tuple[int, str, str], ...] = (
    (1, "まったくあてはまらない", "Not at all like me"),
    (2, "あまりあてはまらない", "Not much like me"),
    (3, "どちらともいえない", "Neither"),
    (4, "ややあてはまる", "Somewhat like me"),
    (5, "とてもあてはまる", "Very much like me"),
)
"""The Likert scale every question is answered on: value, Japanese label, English label."""
