"""Interviews every interviews test starts from, named for path templates.

The home agency's:
- `interview`: by `recruiter` (its recruiter) for `candidate`, scheduled 2030-04-01 10:00–11:00
  Asia/Tokyo, online, with its meeting `room`: `recruiter` host, `candidate` candidate, and
  `employer` (of Employer Co) seated as interviewer, so `employer` sees it and gives feedback;
- `pending`: by `recruiter` for `candidate`, not scheduled yet, in person;
- `completed`: by `recruiter` for `candidate`, held on 2030-03-01;
Notes on `interview`: `private_note` (recruiter's, private), `shared_note` (recruiter's, shared
with the home agency), `employer_note` (employer's, shared with Employer Co).
The other agency's: `foreign` (by `other_user`, no candidate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from models import Interview, InterviewNote, Meeting, Notification
from models.enums import InterviewStatus, InterviewType, MeetingRole, NoteVisibility
from server.context import AppContext
from tests.factories import make_interview, make_meeting, make_meeting_participant
from tests.server.tenants import Callers, Tenants

NOT_FOUND = "Interview {id} was not found."
NOTE_NOT_FOUND = "Interview note {id} was not found."
START = datetime.fromisoformat("2030-04-01T10:00:00+09:00")
END = datetime.fromisoformat("2030-04-01T11:00:00+09:00")


@dataclass(frozen=True)
class Desk:
    interviews: dict[str, Interview]
    room: Meeting
    notes: dict[str, InterviewNote]


def at(text: str) -> str:
    """An ISO instant in Japan: `at("2030-04-01 10:00")`."""
    return datetime.fromisoformat(f"{text}:00+09:00").isoformat()


@pytest.fixture
async def desk(ctx: AppContext, tenants: Tenants, callers: Callers) -> Desk:
    user = tenants.user
    recruiter, candidate = user("recruiter"), user("candidate")
    async with ctx.transaction() as db:
        interview = await make_interview(
            db,
            tenants.home,
            recruiter,
            candidate=candidate,
            recruiter=recruiter,
            title="一次面接",
            status=InterviewStatus.SCHEDULED,
            scheduled_start=START,
            scheduled_end=END,
            duration_minutes=60,
            notes="内部メモ",
        )
        room = await make_meeting(
            db, tenants.home, recruiter, interview, scheduled_start=START, scheduled_end=END
        )
        await make_meeting_participant(db, room, recruiter, MeetingRole.HOST, can_record=True)
        await make_meeting_participant(db, room, candidate, MeetingRole.CANDIDATE)
        await make_meeting_participant(db, room, user("employer"), MeetingRole.INTERVIEWER)
        pending = await make_interview(
            db,
            tenants.home,
            recruiter,
            candidate=candidate,
            recruiter=recruiter,
            title="職場見学",
            interview_type=InterviewType.IN_PERSON,
        )
        completed = await make_interview(
            db,
            tenants.home,
            recruiter,
            candidate=candidate,
            recruiter=recruiter,
            title="カジュアル面談",
            status=InterviewStatus.COMPLETED,
            scheduled_start=datetime.fromisoformat("2030-03-01T10:00:00+09:00"),
            scheduled_end=datetime.fromisoformat("2030-03-01T10:30:00+09:00"),
            duration_minutes=30,
        )
        foreign = await make_interview(db, tenants.other, user("other_user"), recruiter=user("other_user"))
        notes = {
            "private_note": InterviewNote(
                interview_id=interview.id,
                author_id=recruiter.id,
                company_id=tenants.home.id,
                content="私的メモ",
            ),
            "shared_note": InterviewNote(
                interview_id=interview.id,
                author_id=recruiter.id,
                company_id=tenants.home.id,
                content="共有メモ",
                visibility=NoteVisibility.COMPANY,
            ),
            "employer_note": InterviewNote(
                interview_id=interview.id,
                author_id=user("employer").id,
                company_id=tenants.employer_co.id,
                content="面接官メモ",
                visibility=NoteVisibility.COMPANY,
            ),
        }
        db.add_all(notes.values())
        await db.flush()
    interviews = {"interview": interview, "pending": pending, "completed": completed, "foreign": foreign}
    callers.names.update({name: row.id for name, row in interviews.items()})
    callers.names.update({name: note.id for name, note in notes.items()})
    callers.names["room"] = room.id
    return Desk(interviews=interviews, room=room, notes=notes)


async def notifications(ctx: AppContext, user_id: int) -> list[tuple[str, Any]]:
    """(type, interview id) of every notification of the user, oldest first."""
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        )
        return [(row.type, (row.data or {}).get("interview_id")) for row in rows]
