"""Interview notes: what an interviewer keeps about an interview (who may: `access`).

A note belongs to its author's company (a system_admin's notes to the interview's company). A
`private` note is read by its author alone, a system_admin included; a `company` note also by
the people of the author's company who see the interview. Only the author changes or deletes
(soft) a note. A candidate who sees the interview only as its candidate gets 403 on every notes
route; a note the principal may not read answers 404 like a missing one.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, InterviewNote
from models.enums import NoteVisibility
from server.auth.principal import Principal
from server.domains.interviews.access import load
from server.domains.interviews.schemas import NoteCreate, NoteFilters, NoteOut, NoteUpdate
from server.domains.interviews.values import note_out
from server.errors import Forbidden, NotFound
from server.listing import order_by, paginate
from server.schemas import Page, apply

SORTABLE = {
    "id": InterviewNote.id,
    "created_at": InterviewNote.created_at,
    "updated_at": InterviewNote.updated_at,
}


def readable(principal: Principal) -> ColumnElement[bool]:
    mine = InterviewNote.author_id == principal.user_id
    if principal.company_id is None:
        return mine
    shared = and_(
        InterviewNote.visibility == NoteVisibility.COMPANY, InterviewNote.company_id == principal.company_id
    )
    return or_(mine, shared)


class InterviewNotesService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def _interview(self, interview_id: int) -> Interview:
        interview, granted = await load(self.db, self.principal, interview_id)
        if granted.candidate:
            raise Forbidden("Interview notes are the interviewers' business.")
        return interview

    async def _note(self, interview_id: int, note_id: int) -> InterviewNote:
        interview = await self._interview(interview_id)
        note = await self.db.scalar(
            select(InterviewNote).where(
                InterviewNote.id == note_id,
                InterviewNote.interview_id == interview.id,
                InterviewNote.is_deleted.is_(False),
                readable(self.principal),
            )
        )
        if note is None:
            raise NotFound(f"Interview note {note_id} was not found.")
        return note

    async def _authored(self, interview_id: int, note_id: int) -> InterviewNote:
        note = await self._note(interview_id, note_id)
        if note.author_id != self.principal.user_id:
            raise Forbidden("Only the note's author changes it.")
        return note

    async def search(
        self, interview_id: int, filters: NoteFilters, *, limit: int, offset: int, sort: str
    ) -> Page[NoteOut]:
        interview = await self._interview(interview_id)
        statement = select(InterviewNote).where(
            InterviewNote.interview_id == interview.id,
            InterviewNote.is_deleted.is_(False),
            readable(self.principal),
        )
        if filters.visibility is not None:
            statement = statement.where(InterviewNote.visibility == filters.visibility)
        if filters.author_id is not None:
            statement = statement.where(InterviewNote.author_id == filters.author_id)
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[note_out(row) for row in rows], total=total)

    async def get(self, interview_id: int, note_id: int) -> NoteOut:
        return note_out(await self._note(interview_id, note_id))

    async def create(self, interview_id: int, data: NoteCreate) -> NoteOut:
        interview = await self._interview(interview_id)
        note = InterviewNote(
            interview_id=interview.id,
            author_id=self.principal.user_id,
            company_id=self.principal.company_id or interview.company_id,
            content=data.content,
            visibility=data.visibility,
        )
        self.db.add(note)
        await self.db.flush()
        await self.db.refresh(note)
        return note_out(note)

    async def update(self, interview_id: int, note_id: int, data: NoteUpdate) -> NoteOut:
        note = await self._authored(interview_id, note_id)
        apply(note, data)
        await self.db.flush()
        await self.db.refresh(note)
        return note_out(note)

    async def delete(self, interview_id: int, note_id: int) -> None:
        note = await self._authored(interview_id, note_id)
        note.mark_deleted(self.principal.user_id)
        await self.db.flush()
