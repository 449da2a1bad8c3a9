"""Between API values and rows: the people and position an interview names, and its answers."""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Interview, InterviewNote, Position, User
from server.auth.principal import RoleName, role_names
from server.domains.interviews.access import STAFF_ROLES
from server.domains.interviews.scheduling import DEFAULT_TIMEZONE, invalid
from server.domains.interviews.schemas import InterviewAction, InterviewOut, NoteOut
from server.domains.positions.search import publicly_listed

_SHARED_FIELDS = [
    field
    for field in InterviewOut.__struct_fields__
    if field
    not in {"meeting_id", "room_id", "notes", "feedback", "rating", "decision", "timezone", "actions"}
]


def interview_out(
    interview: Interview,
    *,
    candidate_view: bool,
    room: tuple[int, str] | None,
    actions: list[InterviewAction],
) -> InterviewOut:
    values = {field: getattr(interview, field) for field in _SHARED_FIELDS}
    if not candidate_view:
        values.update(
            notes=interview.notes,
            feedback=interview.feedback,
            rating=interview.rating,
            decision=interview.decision,
        )
    return InterviewOut(
        **values,
        timezone=interview.timezone or DEFAULT_TIMEZONE,
        meeting_id=room[0] if room else None,
        room_id=room[1] if room else None,
        actions=actions,
    )


def note_out(note: InterviewNote) -> NoteOut:
    return NoteOut(**{field: getattr(note, field) for field in NoteOut.__struct_fields__})


async def _live_user(db: AsyncSession, user_id: int, company_id: int) -> User | None:
    user: User | None = await db.scalar(
        select(User).where(User.id == user_id, User.company_id == company_id, User.is_deleted.is_(False))
    )
    return user


async def check_candidate(db: AsyncSession, user_id: int, company_id: int) -> None:
    """The candidate is a live user of the interview's company with the candidate role (422 otherwise)."""
    user = await _live_user(db, user_id, company_id)
    if user is None or RoleName.CANDIDATE not in await role_names(db, user.id):
        raise invalid("candidate_id", "no candidate of the interview's company")


async def check_recruiter(db: AsyncSession, user_id: int, company_id: int) -> None:
    """The recruiter is a live staff member of the interview's company (422 otherwise)."""
    user = await _live_user(db, user_id, company_id)
    if user is None or not (await role_names(db, user.id)).intersection(STAFF_ROLES):
        raise invalid("recruiter_id", "no staff member of the interview's company")


async def check_position(db: AsyncSession, position_id: int, company_id: int) -> None:
    """A live position of the interview's company, or a publicly listed one of another (422 otherwise)."""
    found = await db.scalar(
        select(Position.id)
        .join(Company, Company.id == Position.company_id)
        .where(
            Position.id == position_id,
            Position.is_deleted.is_(False),
            (Position.company_id == company_id) | publicly_listed(),
        )
    )
    if found is None:
        raise invalid("position_id", "no position of the interview's company nor a published one")


def payload(data: msgspec.Struct) -> dict[str, object]:
    """The fields a PATCH body sets."""
    return {
        field: value
        for field in data.__struct_fields__
        if (value := getattr(data, field)) is not msgspec.UNSET
    }
