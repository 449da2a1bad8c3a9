"""Thinking (T) and Feeling (F): what a person weighs first when deciding.

Written for this project. Ids 3, 7, 11, … so that the four dichotomies take turns.
"""

from __future__ import annotations

from server.domains.personality.poles import Pole, Question

T, F = Pole.T, Pole.F

QUESTIONS: tuple[Question, ...] = (
    Question(
        3,
        T,
        "何かを決めるときは、気持ちより筋が通っているかを重く見る。",
        "When deciding, I give more weight to whether it is logical than to how people feel.",
    ),
    Question(
        7,
        F,
        "相手の気持ちを考えて、言い方を選ぶことが多い。",
        "I often choose my words with the other person's feelings in mind.",
    ),
    Question(
        11,
        T,
        "話し合いでは、相手が親しい人でも誤りははっきり指摘する。",
        "In a discussion I point out mistakes plainly, even to someone close to me.",
    ),
    Question(
        15,
        F,
        "意見がぶつかったときは、まず場の空気を和らげたい。",
        "When opinions clash, my first wish is to ease the atmosphere.",
    ),
    Question(
        19,
        T,
        "公平とは、誰にでも同じ基準を当てはめることだと思う。",
        "To me, fairness means applying the same standard to everyone.",
    ),
    Question(
        23,
        F,
        "相談を受けたときは、解決策より相手の気持ちに寄り添うことを優先する。",
        "When someone confides in me, I put listening to their feelings before offering solutions.",
    ),
    Question(
        27,
        T,
        "感情に訴える話より、データや根拠のある説明に納得する。",
        "Data and evidence persuade me more than emotional appeals.",
    ),
    Question(
        31,
        F,
        "自分の決断が周りの人にどう響くかを、長く考え込むことがある。",
        "I can spend a long time thinking about how a decision will land with the people around me.",
    ),
    Question(
        35,
        T,
        "批判されても、内容が正しければ個人的には受け止めない。",
        "When criticism is accurate, I do not take it personally.",
    ),
    Question(
        39,
        F,
        "困っている人を見ると、自分のことを後回しにしても手を貸したくなる。",
        "When someone is struggling, I want to help even if my own things must wait.",
    ),
    Question(
        43,
        T,
        "物事の良し悪しは、原因と結果を分析して判断したい。",
        "I like to judge whether something is good or bad by analysing causes and effects.",
    ),
    Question(
        47,
        F,
        "褒められたり感謝されたりすることが、大きな励みになる。",
        "Praise and thanks encourage me a great deal.",
    ),
    Question(
        51,
        T,
        "決まりに例外を作るのは、よほどの理由があるときだけだ。",
        "I make an exception to a rule only for a very good reason.",
    ),
    Question(
        55,
        F,
        "正しさよりも、人との調和を大切にしたい場面が多い。",
        "There are many situations where I value harmony with people over being right.",
    ),
    Question(
        59,
        T,
        "問題があるなら、遠回しにせず率直に伝えるほうがよいと思う。",
        "If there is a problem, I think it is better to say so directly than to hint at it.",
    ),
)
