"""The candidate's side: a resume, the agency's aptitude exam with a graded attempt, and an MBTI test."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import Exam, ExamSession, MbtiTestSession, Resume
from models.enums import (
    ExamDifficulty,
    ExamSessionStatus,
    ExamStatus,
    MbtiStatus,
    ResumeStatus,
    ResumeVisibility,
)
from server.demo.common import Demo, full_name
from server.domains.personality.bank import QUESTIONS as QUESTIONS_16
from server.domains.personality.poles import Pole
from server.domains.personality.scoring import score

EXPERIENCE = [
    {
        "company": "関西ロジテック株式会社",
        "title": "ソフトウェアエンジニア",
        "start": "2021-04",
        "end": None,
        "description": "自動搬送車（AGV）の経路計画・SLAM を ROS 2 / C++ で開発。",
        "achievements": ["倉庫 3 拠点への AGV 導入を主導", "経路計画の計算時間を 40% 短縮"],
    },
    {
        "company": "株式会社なにわシステムズ",
        "title": "組込みエンジニア",
        "start": "2018-04",
        "end": "2021-03",
        "description": "産業用コントローラのファームウェア開発（C、RTOS）。",
        "achievements": [],
    },
]

QUESTIONS: list[dict[str, Any]] = [
    {
        "id": 1,
        "type": "single_choice",
        "question": "ある商品を定価の2割引で販売すると1,600円でした。定価はいくらですか。",
        "options": ["1,800円", "1,920円", "2,000円", "2,200円"],
        "answer": 2,
        "points": 40,
    },
    {
        "id": 2,
        "type": "single_choice",
        "question": "「慎重」の対義語として最も適切なものはどれですか。",
        "options": ["軽率", "丁寧", "冷静", "厳格"],
        "answer": 0,
        "points": 30,
    },
    {
        "id": 3,
        "type": "single_choice",
        "question": "A は B より年上で、C は A より年上です。最も若いのは誰ですか。",
        "options": ["A", "B", "C", "判断できない"],
        "answer": 1,
        "points": 30,
    },
]


async def add_resumes(session: AsyncSession, demo: Demo) -> None:
    """The candidate's active Japanese resume and an English draft, both held by the agency.

    Every section has the shape of `server.domains.resumes.sections` (the API reads them back).
    """
    candidate = demo.candidate
    skills = [{"name": name} for name in ("C++", "Python", "ROS 2", "SLAM", "Linux", "Docker")]
    languages = [
        {"language": "日本語", "level": "ネイティブ"},
        {"language": "英語", "level": "ビジネス（TOEIC 820）"},
    ]
    education = [
        {
            "school": "大阪府立大学",
            "department": "工学部 機械工学科",
            "start": "2012-04",
            "end": "2016-03",
            "outcome": "graduated",
        },
        {
            "school": "大阪府立大学大学院",
            "department": "工学研究科 機械系専攻",
            "degree": "工学修士",
            "start": "2016-04",
            "end": "2018-03",
            "outcome": "completed",
        },
    ]
    profile = {
        "name_kana": "たかはし ひな",
        "birth_date": "1994-06-15",
        "postal_code": "530-0001",
        "address": "大阪府大阪市北区梅田1-1-1",
        "address_kana": "おおさかふおおさかしきたくうめだ",
        "phone": "080-5555-0004",
        "motivation": (
            "ROS 2 による自律移動ロボットの開発経験を、貴社の物流自動化事業で活かしたいと考えております。"
        ),
        "wishes": "貴社の規定に従います。",
        "date_style": "wareki",
        "photo_attachment_id": None,
    }
    session.add_all(
        [
            Resume(
                user_id=candidate.id,
                title=f"職務経歴書（{full_name(candidate)}）",
                status=ResumeStatus.ACTIVE,
                visibility=ResumeVisibility.COMPANY,
                content=profile,
                summary="ROS 2 による自律移動ロボットの開発経験6年。現場導入まで一貫して担当。",
                skills=skills,
                languages=languages,
                certifications=[{"name": "基本情報技術者", "obtained": "2017-10"}],
                education=education,
                experience=EXPERIENCE,
                projects=[
                    {
                        "name": "倉庫内 AGV の経路最適化",
                        "role": "リードエンジニア",
                        "start": "2023-01",
                        "end": "2023-12",
                        "technologies": ["ROS 2", "C++"],
                    }
                ],
                references=[],
                company_id=demo.agency.id,
            ),
            Resume(
                user_id=candidate.id,
                title="Resume (English)",
                status=ResumeStatus.DRAFT,
                visibility=ResumeVisibility.PRIVATE,
                content={"date_style": "seireki"},
                summary="Robotics software engineer: six years of ROS 2 navigation and embedded C.",
                skills=skills,
                languages=languages,
                company_id=demo.agency.id,
            ),
        ]
    )
    await session.flush()


async def add_exams(session: AsyncSession, demo: Demo) -> None:
    """The agency's published aptitude test (passed by the candidate) and a technical test in draft."""
    agency, recruiter = demo.agency, demo.recruiter
    aptitude = Exam(
        title="基礎適性検査（言語・非言語）",
        description="選考前に受検いただく基礎的な適性検査です。",
        instructions="制限時間は20分です。電卓の使用は可能です。",
        category="aptitude",
        difficulty=ExamDifficulty.EASY,
        duration_minutes=20,
        total_questions=len(QUESTIONS),
        passing_score=70,
        max_attempts=2,
        is_randomized=True,
        status=ExamStatus.PUBLISHED,
        questions=QUESTIONS,
        settings={"allow_calculator": True},
        company_id=agency.id,
        created_by=recruiter.id,
    )
    technical = Exam(
        title="ロボティクス技術テスト",
        description="座標変換・経路計画に関する記述式テスト（作成中）。",
        category="technical",
        difficulty=ExamDifficulty.HARD,
        duration_minutes=60,
        status=ExamStatus.DRAFT,
        questions=[],
        company_id=agency.id,
        created_by=recruiter.id,
    )
    session.add_all([aptitude, technical])
    await session.flush()

    session.add(
        ExamSession(
            exam_id=aptitude.id,
            candidate_id=demo.candidate.id,
            session_token=secrets.token_urlsafe(32),
            status=ExamSessionStatus.GRADED,
            started_at=demo.at(-10, 20),
            submitted_at=demo.at(-10, 20, 16),
            time_remaining=240,
            current_question=len(QUESTIONS),
            # The shape of `server.domains.exams.views`: one entry per question id, scored.
            answers={
                "1": {"answer": 2, "points": 40, "correct": True, "feedback": None},
                "2": {"answer": 0, "points": 30, "correct": True, "feedback": None},
                "3": {"answer": 3, "points": 0, "correct": False, "feedback": None},
            },
            score=70,
            passed=True,
            feedback="非言語分野は良好です。",
            attempt_number=1,
            company_id=agency.id,
        )
    )
    await session.flush()


async def add_mbti(session: AsyncSession, demo: Demo) -> None:
    """The candidate's completed personality test (INFJ), scored as the personality domain scores it."""
    leaning = {Pole.I, Pole.N, Pole.F, Pole.J}
    answers = {q.id: 3 if q.id % 3 == 0 else 4 if q.pole in leaning else 2 for q in QUESTIONS_16}
    result = score(answers)
    scores = {f"{pole.value.lower()}_score": result.percentages[pole] for pole in Pole}
    session.add(
        MbtiTestSession(
            user_id=demo.candidate.id,
            session_token=secrets.token_urlsafe(32),
            status=MbtiStatus.COMPLETED,
            current_question=len(QUESTIONS_16),
            answers={str(question_id): value for question_id, value in answers.items()},
            **scores,
            result_type=result.result_type,
            started_at=demo.at(-9, 21),
            completed_at=demo.at(-9, 21, 14),
            company_id=demo.agency.id,
        )
    )
    await session.flush()
