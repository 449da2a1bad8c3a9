"""The question bank and the result pages: balanced, bilingual, complete; and the scoring rule."""

from __future__ import annotations

import re
from collections import Counter
from itertools import product

import pytest

from server.domains.personality.bank import BY_ID, QUESTIONS, TOTAL
from server.domains.personality.poles import DICHOTOMIES, SCALE, SCALE_MAX, SCALE_MIN, Pole
from server.domains.personality.profiles import NOTE, PROFILES
from server.domains.personality.scoring import percent_half_up, points, score
from tests.server.personality.helpers import FIXED_SHEET, FIXED_TYPE, sheet

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SIXTEEN = {"".join(letters) for letters in product("EI", "SN", "TF", "JP")}


def test_the_bank_is_balanced_over_the_four_dichotomies() -> None:
    assert TOTAL == len(QUESTIONS) == 60
    assert [q.id for q in QUESTIONS] == list(range(1, TOTAL + 1))
    assert set(BY_ID) == set(range(1, TOTAL + 1))
    per_dichotomy = Counter(q.dichotomy.first for q in QUESTIONS)
    assert per_dichotomy == {Pole.E: 15, Pole.S: 15, Pole.T: 15, Pole.J: 15}
    per_pole = Counter(q.pole for q in QUESTIONS)
    for dichotomy in DICHOTOMIES:
        # Both directions, some questions reversed: neither pole has fewer than 7 of the 15.
        assert per_pole[dichotomy.first] == 8
        assert per_pole[dichotomy.second] == 7
    # The dichotomies take turns: E/I, S/N, T/F, J/P, E/I, ...
    assert [q.dichotomy for q in QUESTIONS[:8]] == [*DICHOTOMIES, *DICHOTOMIES]


def test_every_question_reads_in_japanese_and_english() -> None:
    for question in QUESTIONS:
        assert JAPANESE.search(question.ja), question
        assert not JAPANESE.search(question.en), question
        assert question.en.isascii() and question.en.endswith("."), question
        assert question.ja.endswith("。"), question
        assert question.ja.strip() == question.ja and question.en.strip() == question.en
    assert len({q.ja for q in QUESTIONS}) == TOTAL
    assert len({q.en for q in QUESTIONS}) == TOTAL


def test_the_scale_runs_from_1_to_5_with_labels_in_both_languages() -> None:
    assert [value for value, _, _ in SCALE] == list(range(SCALE_MIN, SCALE_MAX + 1)) == [1, 2, 3, 4, 5]
    for _, ja, en in SCALE:
        assert JAPANESE.search(ja) and en.isascii()


def test_there_is_a_result_page_for_each_of_the_16_types_in_both_languages() -> None:
    assert set(PROFILES) == SIXTEEN
    for profile in PROFILES.values():
        assert JAPANESE.search(profile.name_ja) and JAPANESE.search(profile.summary_ja)
        assert profile.name_en.isascii() and profile.summary_en.isascii()
        assert len(profile.summary_ja) >= 40 and len(profile.summary_en) >= 100
    assert len({p.name_ja for p in PROFILES.values()}) == 16
    assert len({p.name_en for p in PROFILES.values()}) == 16
    assert set(NOTE) == {"ja", "en"}
    assert "job" in NOTE["en"] and "仕事" in NOTE["ja"]


def test_the_fixed_sheet_scores_exactly() -> None:
    result = score(FIXED_SHEET)
    assert result.result_type == FIXED_TYPE
    assert result.percentages == {
        Pole.E: 75,
        Pole.I: 25,
        Pole.S: 50,
        Pole.N: 50,
        Pole.T: 47,
        Pole.F: 53,
        Pole.J: 65,
        Pole.P: 35,
    }
    assert points(FIXED_SHEET) == {
        Pole.E: 45,
        Pole.I: 15,
        Pole.S: 30,
        Pole.N: 30,
        Pole.T: 28,
        Pole.F: 32,
        Pole.J: 39,
        Pole.P: 21,
    }


@pytest.mark.parametrize(
    ("keyed", "expected"),
    [
        # Agreeing with everything: the 8 first-pole questions outweigh the 7 reversed ones.
        ({pole: 5 for pole in Pole}, "ESTJ"),
        ({pole: 1 for pole in Pole}, "INFP"),
        # Every answer neutral: four ties, each going to the second pole.
        ({pole: 3 for pole in Pole}, "INFP"),
        ({Pole.E: 1, Pole.I: 5, Pole.S: 1, Pole.N: 5, Pole.T: 5, Pole.F: 1, Pole.J: 5, Pole.P: 1}, "INTJ"),
    ],
)
def test_the_type_follows_the_points_and_ties_go_to_i_n_f_p(keyed: dict[Pole, int], expected: str) -> None:
    result = score(sheet(keyed))
    assert result.result_type == expected
    for dichotomy in DICHOTOMIES:
        assert result.percentages[dichotomy.first] + result.percentages[dichotomy.second] == 100


def test_the_extremes_and_the_rounding_rule() -> None:
    intj = score(
        sheet({Pole.E: 1, Pole.I: 5, Pole.S: 1, Pole.N: 5, Pole.T: 5, Pole.F: 1, Pole.J: 5, Pole.P: 1})
    )
    assert intj.percentages == {
        Pole.E: 0,
        Pole.I: 100,
        Pole.S: 0,
        Pole.N: 100,
        Pole.T: 100,
        Pole.F: 0,
        Pole.J: 100,
        Pole.P: 0,
    }
    assert [percent_half_up(1, 8), percent_half_up(3, 8), percent_half_up(1, 3), percent_half_up(2, 3)] == [
        13,  # 12.5 rounds up
        38,  # 37.5 rounds up
        33,
        67,
    ]


def test_the_result_depends_on_the_answers_only() -> None:
    reordered = dict(sorted(FIXED_SHEET.items(), reverse=True))
    assert score(reordered) == score(FIXED_SHEET) == score(dict(FIXED_SHEET))
