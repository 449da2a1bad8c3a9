"""Factories for test data: a company, a user with roles, signed-in clients, the recruiting pipeline."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Attachment,
    Company,
    Interview,
    Meeting,
    MeetingParticipant,
    Message,
    Position,
    Resume,
    Role,
    Todo,
    User,
    UserRole,
    VideoCall,
    VideoCallParticipant,
)
from models.enums import CallRole, CompanyType, MeetingRole, MeetingType
from server.auth.passwords import Passwords
from server.auth.principal import RoleName

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


async def make_company(db: AsyncSession, type: CompanyType = CompanyType.EMPLOYER, **fields: Any) -> Company:
    n = next(_seq)
    company = Company(
        name=fields.pop("name", f"Company {n}"),
        type=type,
        email=fields.pop("email", f"contact{n}@company{n}.example.jp"),
        phone=fields.pop("phone", "03-1234-5678"),
        **fields,
    )
    db.add(company)
    await db.flush()
    return company


async def make_user(
    db: AsyncSession,
    passwords: Passwords,
    company: Company | None,
    *roles: RoleName,
    password: str | None = PASSWORD,
    **fields: Any,
) -> User:
    n = next(_seq)
    user = User(
        email=fields.pop("email", f"user{n}@example.jp"),
        first_name=fields.pop("first_name", "Taro"),
        last_name=fields.pop("last_name", f"Yamada{n}"),
        company_id=company.id if company else None,
        hashed_password=passwords.hash(password) if password else None,
        is_active=fields.pop("is_active", True),
        **fields,
    )
    db.add(user)
    await db.flush()
    for role in roles:
        role_id = await db.scalar(select(Role.id).where(Role.name == role.value))
        db.add(UserRole(user_id=user.id, role_id=role_id))
    await db.flush()
    return user


async def make_position(db: AsyncSession, company: Company, created_by: User, **fields: Any) -> Position:
    """A job position of `company` (an employer's, in real life)."""
    n = next(_seq)
    position = Position(
        company_id=company.id,
        title=fields.pop("title", f"ソフトウェアエンジニア {n}"),
        created_by=created_by.id,
        **fields,
    )
    db.add(position)
    await db.flush()
    return position


async def make_interview(
    db: AsyncSession,
    company: Company,
    created_by: User,
    *,
    candidate: User | None = None,
    recruiter: User | None = None,
    position: Position | None = None,
    **fields: Any,
) -> Interview:
    """An interview held by `company`, optionally for a candidate, a recruiter and a position."""
    n = next(_seq)
    interview = Interview(
        company_id=company.id,
        title=fields.pop("title", f"一次面接 {n}"),
        candidate_id=candidate.id if candidate else None,
        recruiter_id=recruiter.id if recruiter else None,
        position_id=position.id if position else None,
        created_by=created_by.id,
        **fields,
    )
    db.add(interview)
    await db.flush()
    return interview


async def make_meeting(
    db: AsyncSession, company: Company, created_by: User, interview: Interview | None = None, **fields: Any
) -> Meeting:
    """A video meeting of `company`, for `interview` when given, starting tomorrow for an hour."""
    start = fields.pop("scheduled_start", datetime.now(UTC) + timedelta(days=1))
    meeting = Meeting(
        interview_id=interview.id if interview else None,
        title=fields.pop("title", interview.title if interview else "打ち合わせ"),
        meeting_type=fields.pop("meeting_type", MeetingType.INTERVIEW if interview else MeetingType.TEAM),
        scheduled_start=start,
        scheduled_end=fields.pop("scheduled_end", start + timedelta(hours=1)),
        room_id=fields.pop("room_id", secrets.token_urlsafe(16)),
        company_id=company.id,
        created_by=created_by.id,
        **fields,
    )
    db.add(meeting)
    await db.flush()
    return meeting


async def make_meeting_participant(
    db: AsyncSession, meeting: Meeting, user: User, role: MeetingRole, **fields: Any
) -> MeetingParticipant:
    participant = MeetingParticipant(meeting_id=meeting.id, user_id=user.id, role=role, **fields)
    db.add(participant)
    await db.flush()
    return participant


async def make_attachment(db: AsyncSession, uploaded_by: User, **fields: Any) -> Attachment:
    """A stored file's record, uploaded by `uploaded_by` (in their company unless `company_id` says)."""
    n = next(_seq)
    company_id = fields.pop("company_id", uploaded_by.company_id)
    attachment = Attachment(
        entity_type=fields.pop("entity_type", "message"),
        entity_id=fields.pop("entity_id", 0),
        filename=fields.pop("filename", f"職務経歴書{n}.pdf"),
        stored_filename=fields.pop("stored_filename", f"{secrets.token_hex(16)}.pdf"),
        file_path=fields.pop("file_path", f"attachments/{n}.pdf"),
        file_size=fields.pop("file_size", 1024),
        mime_type=fields.pop("mime_type", "application/pdf"),
        uploaded_by=uploaded_by.id,
        company_id=company_id,
        **fields,
    )
    db.add(attachment)
    await db.flush()
    return attachment


async def make_message(
    db: AsyncSession, sender: User, recipient: User, content: str, **fields: Any
) -> Message:
    """A direct message stored as is, without the messages policy (arrange a history quickly)."""
    company_id = fields.pop("company_id", sender.company_id or recipient.company_id)
    message = Message(
        sender_id=sender.id,
        recipient_id=recipient.id,
        content=content,
        thread_id=fields.pop("thread_id", secrets.token_hex(16)),
        company_id=company_id,
        **fields,
    )
    db.add(message)
    await db.flush()
    return message


async def make_video_call(db: AsyncSession, company: Company, host: User, **fields: Any) -> VideoCall:
    """A video call of `company` hosted by `host`, starting tomorrow for half an hour (no password)."""
    start = fields.pop("scheduled_start", datetime.now(UTC) + timedelta(days=1))
    call = VideoCall(
        room_code=fields.pop("room_code", secrets.token_hex(6)),
        title=fields.pop("title", "週次すり合わせ"),
        host_id=host.id,
        scheduled_start=start,
        scheduled_end=fields.pop("scheduled_end", start + timedelta(minutes=30)),
        company_id=company.id,
        **fields,
    )
    db.add(call)
    await db.flush()
    return call


async def make_call_participant(
    db: AsyncSession, call: VideoCall, user: User, role: CallRole = CallRole.PARTICIPANT, **fields: Any
) -> VideoCallParticipant:
    participant = VideoCallParticipant(
        video_call_id=call.id,
        user_id=user.id,
        display_name=fields.pop("display_name", f"{user.last_name} {user.first_name}"),
        role=role,
        **fields,
    )
    db.add(participant)
    await db.flush()
    return participant


async def make_todo(db: AsyncSession, created_by: User, **fields: Any) -> Todo:
    """A todo stored as is, without the todos service (no notification): arrange lists quickly."""
    n = next(_seq)
    todo = Todo(
        title=fields.pop("title", f"Todo {n}"),
        created_by=created_by.id,
        company_id=fields.pop("company_id", created_by.company_id),
        **fields,
    )
    db.add(todo)
    await db.flush()
    return todo


async def make_resume(db: AsyncSession, owner: User, **fields: Any) -> Resume:
    """A resume of `owner` (a candidate) held by their company, stored as is (no service, no slug).

    Sections default to one typed row each where the documents need one; pass any column to change it.
    """
    n = next(_seq)
    resume = Resume(
        user_id=owner.id,
        company_id=fields.pop("company_id", owner.company_id),
        title=fields.pop("title", f"職務経歴書 {n}"),
        summary=fields.pop("summary", "組込みソフトウェア開発の経験5年。"),
        content=fields.pop("content", {"name_kana": "やまだ たろう", "date_style": "seireki"}),
        skills=fields.pop("skills", [{"name": "Python"}, {"name": "C++", "years": 5}]),
        languages=fields.pop("languages", [{"language": "日本語", "level": "ネイティブ"}]),
        certifications=fields.pop("certifications", [{"name": "基本情報技術者", "obtained": "2017-10"}]),
        education=fields.pop("education", [{"school": "大阪大学", "start": "2012-04", "end": "2016-03"}]),
        experience=fields.pop(
            "experience",
            [{"company": "株式会社なにわシステムズ", "title": "エンジニア", "start": "2016-04", "end": None}],
        ),
        projects=fields.pop("projects", []),
        references=fields.pop("references", [{"name": "佐藤 一郎", "phone": "03-1111-2222"}]),
        **fields,
    )
    db.add(resume)
    await db.flush()
    return resume
