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

EXPERIENCE = [
    {
        "company": "関西ロジテック株式会社",
        "title": "ソフトウェアエンジニア",
        "start": "2021-04",
        "end": None,
        "description": "自動搬送車（AGV）の経路計画・SLAM を ROS 2 / C++ で開発。",
    },
    {
        "company": "株式会社なにわシステムズ",
        "title": "組込みエンジニア",
        "start": "2018-04",
        "end": "2021-03",
        "description": "産業用コントローラのファームウェア開発（C、RTOS）。",
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
    """The candidate's published Japanese resume and an English draft, both held by the agency."""
    candidate = demo.candidate
    skills = ["C++", "Python", "ROS 2", "SLAM", "Linux", "Docker"]
    languages = [
        {"language": "日本語", "level": "ネイティブ"},
        {"language": "英語", "level": "ビジネス（TOEIC 820）"},
    ]
    education = [
        {"school": "大阪府立大学", "degree": "工学修士（機械系）", "start": "2016-04", "end": "2018-03"}
    ]
    session.add_all(
        [
            Resume(
                user_id=candidate.id,
                title=f"職務経歴書（{full_name(candidate)}）",
                status=ResumeStatus.PUBLISHED,
                visibility=ResumeVisibility.COMPANY,
                content={"format": "shokumu_keirekisho", "sections": ["summary", "experience", "skills"]},
                summary="ROS 2 による自律移動ロボットの開発経験6年。現場導入まで一貫して担当。",
                skills=skills,
                languages=languages,
                certifications=[{"name": "基本情報技術者", "year": 2017}],
                education=education,
                experience=EXPERIENCE,
                projects=[{"name": "倉庫内 AGV の経路最適化", "role": "リードエンジニア", "year": 2023}],
                references=[],
                company_id=demo.agency.id,
            ),
            Resume(
                user_id=candidate.id,
                title="Resume (English)",
                status=ResumeStatus.DRAFT,
                visibility=ResumeVisibility.PRIVATE,
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
            answers={"1": 2, "2": 0, "3": 3},
            score=70,
            passed=True,
            feedback="非言語分野は良好です。",
            attempt_number=1,
            company_id=agency.id,
        )
    )
    await session.flush()


async def add_mbti(session: AsyncSession, demo: Demo) -> None:
    """The candidate's completed personality test (INFJ)."""
    session.add(
        MbtiTestSession(
            user_id=demo.candidate.id,
            session_token=secrets.token_urlsafe(32),
            status=MbtiStatus.COMPLETED,
            current_question=60,
            answers={str(n): (n * 7) % 5 + 1 for n in range(1, 61)},
            e_score=11,
            i_score=19,
            s_score=12,
            n_score=18,
            t_score=13,
            f_score=17,
            j_score=18,
            p_score=12,
            result_type="INFJ",
            started_at=demo.at(-9, 21),
            completed_at=demo.at(-9, 21, 14),
            company_id=demo.agency.id,
        )
    )
    await session.flush()
