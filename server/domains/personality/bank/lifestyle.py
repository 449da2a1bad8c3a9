"""Judging (J) and Perceiving (P): whether a person prefers things settled or left open.

Written for this project. Ids 4, 8, 12, … so that the four dichotomies take turns.
"""

from __future__ import annotations

from server.domains.personality.poles import Pole, Question

J, P = Pole.J, Pole.P

QUESTIONS: tuple[Question, ...] = (
    Question(
        4,
        J,
        "旅行に行くときは、行程を前もって決めておきたい。",
        "Before a trip, I like to have the itinerary settled.",
    ),
    Question(
        8,
        P,
        "締め切りが迫ってきたときのほうが、集中できる。",
        "I concentrate best when a deadline is close.",
    ),
    Question(
        12,
        J,
        "やるべきことはリストにして、ひとつずつ片づけていく。",
        "I list what needs doing and work through it item by item.",
    ),
    Question(
        16,
        P,
        "予定は、状況に合わせていつでも変えられるようにしておきたい。",
        "I like to keep my plans loose so that I can change them as things develop.",
    ),
    Question(
        20,
        J,
        "物事は、結論が出てすっきりした状態にしておきたい。",
        "I like matters settled and decided rather than left open.",
    ),
    Question(
        24,
        P,
        "いくつかのことを並行して、気の向いたものから手をつける。",
        "I keep several things going at once and start on whichever appeals at the moment.",
    ),
    Question(
        28,
        J,
        "約束の時刻には、余裕をもって着くようにしている。",
        "I make a point of arriving well ahead of an agreed time.",
    ),
    Question(
        32,
        P,
        "決める前に、できるだけ多くの選択肢を残しておきたい。",
        "Before deciding, I want to keep as many options open as possible.",
    ),
    Question(
        36,
        J,
        "机の上や部屋は、物が決まった場所にないと落ち着かない。",
        "I feel uneasy unless my desk or room has everything in its place.",
    ),
    Question(
        40,
        P,
        "思いがけない予定の変更も、むしろ楽しめる。",
        "I can actually enjoy an unexpected change of plans.",
    ),
    Question(
        44,
        J,
        "大きな取り組みは、早めに計画を立てて段階的に進める。",
        "I plan a big undertaking early and carry it out in stages.",
    ),
    Question(
        48,
        P,
        "決まりや手順は、目安くらいに考えている。",
        "I treat rules and procedures as rough guidelines.",
    ),
    Question(
        52,
        J,
        "一度決めたことは、なるべく予定どおりにやり遂げたい。",
        "Once I have decided something, I want to see it through as planned.",
    ),
    Question(
        56,
        P,
        "その場の思いつきで動くことがよくある。",
        "I often act on the spur of the moment.",
    ),
    Question(
        60,
        J,
        "週の初めに、その週の予定をおおまかに組み立てる。",
        "At the start of each week, I sketch out what the week will hold.",
    ),
)
