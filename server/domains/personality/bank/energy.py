"""Extraversion (E) and Introversion (I): where a person draws energy from and turns attention to.

Written for this project. Ids 1, 5, 9, … so that the four dichotomies take turns.
"""

from __future__ import annotations

from server.domains.personality.poles import Pole, Question

E, I = Pole.E, Pole.I  # noqa: E741 - the letter of the pole

QUESTIONS: tuple[Question, ...] = (
    Question(
        1,
        E,
        "初対面の人が多い集まりでも、自分から話しかけに行くほうだ。",
        "At a gathering full of unfamiliar faces, I tend to be the one who starts conversations.",
    ),
    Question(
        5,
        I,
        "忙しい一週間の後は、一人で静かに過ごして元気を取り戻したい。",
        "After a busy week, I recharge best by spending time quietly on my own.",
    ),
    Question(
        9,
        E,
        "考えをまとめるときは、誰かに話しながら整理するとはかどる。",
        "I sort out my thoughts fastest by talking them through with someone.",
    ),
    Question(
        13,
        I,
        "発言する前に、言いたいことを頭の中で十分に練っておきたい。",
        "Before I speak up, I like to have worked out in my head what I want to say.",
    ),
    Question(
        17,
        E,
        "休日に予定が何もないと、誰かを誘って出かけたくなる。",
        "When a day off has nothing planned, I feel like inviting someone out.",
    ),
    Question(
        21,
        I,
        "大人数での雑談より、少人数でじっくり話すほうが好きだ。",
        "I prefer a long talk with one or two people to chatting in a big group.",
    ),
    Question(
        25,
        E,
        "周りに人がいるにぎやかな場所のほうが、作業に集中しやすい。",
        "I focus more easily in a lively place with people around me.",
    ),
    Question(
        29,
        I,
        "突然の電話より、文章で連絡をもらうほうが気楽だ。",
        "I am more at ease receiving a written message than an unexpected phone call.",
    ),
    Question(
        33,
        E,
        "新しいグループに入ると、早いうちに多くの人と顔見知りになる。",
        "When I join a new group, I get to know many of its members early on.",
    ),
    Question(
        37,
        I,
        "興味のあることは、人と話すより一人で深く掘り下げたい。",
        "I would rather dig into my interests alone than talk them over with others.",
    ),
    Question(
        41,
        E,
        "会話が途切れると、自分から次の話題を出すことが多い。",
        "When a conversation stalls, I am usually the one who brings up a new topic.",
    ),
    Question(
        45,
        I,
        "一日中人と会っていると、夜にはすっかり疲れてしまう。",
        "A whole day of meeting people leaves me drained by the evening.",
    ),
    Question(
        49,
        E,
        "思いついたことは、すぐに口に出してみることが多い。",
        "I often say an idea out loud as soon as it occurs to me.",
    ),
    Question(
        53,
        I,
        "友人は多くなくても、深く付き合える人が数人いればいい。",
        "A few close friendships matter more to me than a wide circle of acquaintances.",
    ),
    Question(
        57,
        E,
        "人の注目を集める場面でも、あまり気後れしない。",
        "Being the centre of attention does not make me shrink back.",
    ),
)
