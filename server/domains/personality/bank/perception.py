"""Sensing (S) and Intuition (N): how a person prefers to take in information.

Written for this project. Ids 2, 6, 10, … so that the four dichotomies take turns.
"""

from __future__ import annotations

from server.domains.personality.poles import Pole, Question

S, N = Pole.S, Pole.N

QUESTIONS: tuple[Question, ...] = (
    Question(
        2,
        S,
        "説明を受けるときは、抽象的な話より具体的な例がほしい。",
        "When something is explained to me, I want concrete examples rather than abstractions.",
    ),
    Question(
        6,
        N,
        "目の前の事実そのものより、その裏にある意味や可能性に目が向く。",
        "I notice the meaning and possibilities behind facts more than the facts themselves.",
    ),
    Question(
        10,
        S,
        "手順が決まっている作業は、その通りに進めるのが確実だと思う。",
        "For a task with an established procedure, following it step by step feels the surest way.",
    ),
    Question(
        14,
        N,
        "「もし〜だったら」と想像をめぐらせる時間が好きだ。",
        'I enjoy letting my mind wander over "what if" scenarios.',
    ),
    Question(
        18,
        S,
        "これまでの経験で確かめられたやり方を信頼する。",
        "I trust ways of doing things that have proven themselves in past experience.",
    ),
    Question(
        22,
        N,
        "細部より先に、全体の流れやパターンをつかみたい。",
        "I want to grasp the overall flow and pattern before the details.",
    ),
    Question(
        26,
        S,
        "数字や日付など、細かい事実をよく覚えている。",
        "I remember specific facts such as numbers and dates well.",
    ),
    Question(
        30,
        N,
        "慣れたやり方があっても、別の方法を試してみたくなる。",
        "Even when I have a familiar routine, I am tempted to try a different way.",
    ),
    Question(
        34,
        S,
        "理屈を聞くより、実際に手を動かして確かめるほうが分かりやすい。",
        "I understand things better by trying them hands-on than by hearing the theory.",
    ),
    Question(
        38,
        N,
        "たとえや象徴を使った表現に惹かれる。",
        "I am drawn to expressions that use metaphor and symbolism.",
    ),
    Question(
        42,
        S,
        "先々の構想より、今すぐ役に立つことに関心がある。",
        "I care more about what is useful right now than about visions of the future.",
    ),
    Question(
        46,
        N,
        "一見関係のない物事のあいだに、つながりを見つけるのが得意だ。",
        "I am good at spotting links between things that seem unrelated.",
    ),
    Question(
        50,
        S,
        "新しい道具は、説明書をひととおり読んでから使い始める。",
        "I read the instructions through before I start using a new tool.",
    ),
    Question(
        54,
        N,
        "ふとしたひらめきで、進む方向を決めることがある。",
        "I sometimes choose my direction on a sudden hunch.",
    ),
    Question(
        58,
        S,
        "出来事を話すときは、起きた順に正確に伝えたい。",
        "When I recount an event, I want to tell it accurately and in the order it happened.",
    ),
)
