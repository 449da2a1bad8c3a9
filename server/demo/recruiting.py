"""The recruiting pipeline: the employer's positions, the agency's interviews for them and notes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, InterviewNote, Position
from models.enums import (
    EmploymentType,
    ExperienceLevel,
    InterviewDecision,
    InterviewStatus,
    InterviewType,
    NoteVisibility,
    PositionStatus,
)
from server.demo.common import TOKYO_TZ, Demo

BENEFITS = "各種社会保険完備、在宅勤務手当（月1万円）、書籍・資格取得支援、年間休日125日"


async def add_positions(session: AsyncSession, demo: Demo) -> None:
    """Two published positions and one draft, all the employer's."""
    employer, author = demo.employer, demo.employer_admin
    demo.positions = [
        Position(
            company_id=employer.id,
            title="ロボットソフトウェアエンジニア（ROS 2）",
            description="物流倉庫向け協働ロボットの自律移動・マニピュレーション機能を開発します。",
            requirements="C++ または Python による3年以上の開発経験、Linux 環境での開発経験",
            location="大阪府大阪市北区（週2日まで在宅勤務可）",
            employment_type=EmploymentType.FULL_TIME,
            salary_range="年収600万〜900万円",
            experience_level=ExperienceLevel.MID,
            status=PositionStatus.PUBLISHED,
            posted_date=demo.today - timedelta(days=14),
            application_deadline=demo.today + timedelta(days=30),
            benefits=BENEFITS,
            skills_required=["C++", "ROS 2", "Linux"],
            skills_preferred=["Python", "Docker", "ビジネスレベルの英語"],
            created_by=author.id,
        ),
        Position(
            company_id=employer.id,
            title="フィールドサービスエンジニア",
            description="導入先の物流センターでロボットの設置・保守・お客様へのトレーニングを担当します。",
            requirements="機械・電気設備の保守経験、普通自動車免許",
            location="大阪府大阪市北区（関西圏への出張あり）",
            employment_type=EmploymentType.FULL_TIME,
            salary_range="年収450万〜600万円",
            experience_level=ExperienceLevel.JUNIOR,
            status=PositionStatus.PUBLISHED,
            posted_date=demo.today - timedelta(days=7),
            application_deadline=demo.today + timedelta(days=45),
            benefits=BENEFITS,
            skills_required=["設備保守", "普通自動車免許"],
            skills_preferred=["PLC", "第二種電気工事士"],
            created_by=demo.employer_user.id,
        ),
        Position(
            company_id=employer.id,
            title="プロダクトマネージャー（協働ロボット）",
            description="次世代ピッキングロボットの製品企画からリリースまでを推進します。",
            requirements="ハードウェアを含む製品のプロダクトマネジメント経験",
            location="大阪府大阪市北区",
            employment_type=EmploymentType.FULL_TIME,
            salary_range="年収800万〜1,100万円",
            experience_level=ExperienceLevel.SENIOR,
            status=PositionStatus.DRAFT,
            is_remote=False,
            skills_required=["プロダクトマネジメント", "要件定義"],
            skills_preferred=["ロボティクス", "英語"],
            created_by=author.id,
        ),
    ]
    session.add_all(demo.positions)
    await session.flush()


async def add_interviews(session: AsyncSession, demo: Demo) -> None:
    """The agency's candidate in three stages: a past casual talk, a scheduled interview, one to schedule."""
    agency, recruiter, candidate = demo.agency, demo.recruiter, demo.candidate
    engineer, field_service = demo.positions[0], demo.positions[1]
    demo.interviews = [
        Interview(
            position_id=engineer.id,
            candidate_id=candidate.id,
            recruiter_id=recruiter.id,
            title="カジュアル面談：ロボットソフトウェアエンジニア",
            description="業務内容と開発体制のご紹介、候補者のご経験のヒアリング。",
            scheduled_start=demo.at(-7, 10),
            scheduled_end=demo.at(-7, 10, 45),
            actual_start=demo.at(-7, 10, 2),
            actual_end=demo.at(-7, 10, 44),
            status=InterviewStatus.COMPLETED,
            interview_type=InterviewType.ONLINE,
            timezone=TOKYO_TZ,
            duration_minutes=45,
            feedback="ROS 2 での実務経験が豊富で、チームの技術スタックとの相性が良い。",
            rating=4,
            decision=InterviewDecision.NEXT_ROUND,
            company_id=agency.id,
            created_by=recruiter.id,
        ),
        Interview(
            position_id=engineer.id,
            candidate_id=candidate.id,
            recruiter_id=recruiter.id,
            title="一次面接：ロボットソフトウェアエンジニア",
            description="技術面接（システム設計・コードレビュー）。面接官：中村（Sakura Robotics）",
            scheduled_start=demo.at(3, 14),
            scheduled_end=demo.at(3, 15),
            status=InterviewStatus.SCHEDULED,
            interview_type=InterviewType.ONLINE,
            timezone=TOKYO_TZ,
            duration_minutes=60,
            notes="事前にポートフォリオ（GitHub）を面接官へ共有済み。",
            company_id=agency.id,
            created_by=recruiter.id,
        ),
        Interview(
            position_id=field_service.id,
            candidate_id=candidate.id,
            recruiter_id=recruiter.id,
            title="職場見学・面接：フィールドサービスエンジニア",
            description="大阪本社での職場見学と面接。日程調整中。",
            status=InterviewStatus.PENDING_SCHEDULE,
            interview_type=InterviewType.IN_PERSON,
            location="Sakura Robotics 大阪本社（大阪市北区梅田）",
            timezone=TOKYO_TZ,
            duration_minutes=90,
            company_id=agency.id,
            created_by=recruiter.id,
        ),
    ]
    session.add_all(demo.interviews)
    await session.flush()


async def add_interview_notes(session: AsyncSession, demo: Demo) -> None:
    """A note the recruiter shares with the agency and a private one of the employer's interviewer."""
    casual = demo.interviews[0]
    session.add_all(
        [
            InterviewNote(
                interview_id=casual.id,
                author_id=demo.recruiter.id,
                company_id=demo.agency.id,
                content="転職理由は「現場で動くロボットに携わりたい」。希望年収は750万円、入社は3か月後を希望。",
                visibility=NoteVisibility.COMPANY,
            ),
            InterviewNote(
                interview_id=casual.id,
                author_id=demo.employer_user.id,
                company_id=demo.employer.id,
                content="一次面接ではナビゲーションスタックの設計経験を深掘りする。",
                visibility=NoteVisibility.PRIVATE,
            ),
        ]
    )
    await session.flush()
