"""/api/interviews: interviews, their schedule, status, feedback, notes and calendar invite.

Who may call what is decided in `server.domains.interviews.access`; the status machine is in
`lifecycle`, the scheduling rules in `scheduling`, notes in `notes`, the invite in `calendar`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import InterviewStatus, InterviewType, NoteVisibility
from server.auth.principal import Principal
from server.domains.interviews.lifecycle import InterviewLifecycle
from server.domains.interviews.notes import InterviewNotesService
from server.domains.interviews.schemas import (
    Feedback,
    InterviewCreate,
    InterviewFilters,
    InterviewOut,
    InterviewUpdate,
    NoteCreate,
    NoteFilters,
    NoteOut,
    NoteUpdate,
    Schedule,
    StatusChange,
)
from server.domains.interviews.services import InterviewsService
from server.listing import Limit, Offset, PathId, QueryId
from server.schemas import Page, parse

# Litestar ignores msgspec.Meta bounds on query and path parameters, so they are spelled out.
Words = Annotated[str | None, Parameter(max_length=100)]


def provide_interviews(db: AsyncSession, principal: Principal) -> InterviewsService:
    return InterviewsService(db, principal)


def provide_lifecycle(db: AsyncSession, principal: Principal) -> InterviewLifecycle:
    return InterviewLifecycle(db, principal)


def provide_note_service(db: AsyncSession, principal: Principal) -> InterviewNotesService:
    return InterviewNotesService(db, principal)


class InterviewsController(Controller):
    path = "/api/interviews"
    tags = ["interviews"]
    # Dependency names never equal a body field's (`notes` is one): Litestar would turn that
    # field's validation error into a 500.
    dependencies = {
        "interviews": Provide(provide_interviews, sync_to_thread=False),
        "lifecycle": Provide(provide_lifecycle, sync_to_thread=False),
        "note_service": Provide(provide_note_service, sync_to_thread=False),
    }

    @get(
        "/", summary="Interviews you may see: your company's, your own as candidate, those you interview for"
    )
    async def list_interviews(
        self,
        interviews: InterviewsService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        status: InterviewStatus | None = None,
        interview_type: InterviewType | None = None,
        candidate_id: QueryId = None,
        recruiter_id: QueryId = None,
        position_id: QueryId = None,
        company_id: QueryId = None,
        starts_from: datetime | None = None,
        starts_before: datetime | None = None,
        q: Words = None,
    ) -> Page[InterviewOut]:
        filters = parse(
            InterviewFilters,
            status=status,
            interview_type=interview_type,
            candidate_id=candidate_id,
            recruiter_id=recruiter_id,
            position_id=position_id,
            company_id=company_id,
            starts_from=starts_from,
            starts_before=starts_before,
            q=q,
        )
        return await interviews.search(filters, limit=limit, offset=offset, sort=sort)

    @post("/", summary="Create an interview of your company (scheduled when given a start)")
    async def create_interview(self, data: InterviewCreate, interviews: InterviewsService) -> InterviewOut:
        return await interviews.create(data)

    @get("/{interview_id:int}")
    async def read_interview(self, interview_id: PathId, interviews: InterviewsService) -> InterviewOut:
        return await interviews.get(interview_id)

    @patch("/{interview_id:int}", summary="Change an interview that is not completed or cancelled")
    async def update_interview(
        self, interview_id: PathId, data: InterviewUpdate, interviews: InterviewsService
    ) -> InterviewOut:
        return await interviews.update(interview_id, data)

    @delete(
        "/{interview_id:int}",
        summary="Soft-delete an interview that is not scheduled, confirmed or under way",
    )
    async def delete_interview(self, interview_id: PathId, interviews: InterviewsService) -> None:
        await interviews.delete(interview_id)

    @post(
        "/{interview_id:int}/restore",
        status_code=HTTP_200_OK,
        summary="Restore an interview deleted less than 90 days ago (its managers)",
    )
    async def restore_interview(self, interview_id: PathId, interviews: InterviewsService) -> InterviewOut:
        return await interviews.restore(interview_id)

    @post(
        "/{interview_id:int}/schedule",
        status_code=HTTP_200_OK,
        summary="Schedule a pending interview or move a scheduled or confirmed one (its people are told)",
    )
    async def schedule_interview(
        self, interview_id: PathId, data: Schedule, lifecycle: InterviewLifecycle
    ) -> InterviewOut:
        return await lifecycle.schedule(interview_id, data)

    @post(
        "/{interview_id:int}/status",
        status_code=HTTP_200_OK,
        summary="Confirm, start, complete or cancel (the candidate may confirm)",
    )
    async def change_status(
        self, interview_id: PathId, data: StatusChange, lifecycle: InterviewLifecycle
    ) -> InterviewOut:
        return await lifecycle.change_status(interview_id, data)

    @patch("/{interview_id:int}/feedback", summary="Feedback, rating and decision (the interviewers)")
    async def give_feedback(
        self, interview_id: PathId, data: Feedback, lifecycle: InterviewLifecycle
    ) -> InterviewOut:
        return await lifecycle.give_feedback(interview_id, data)

    @get(
        "/{interview_id:int}/invite.ics",
        summary="The iCalendar invite (same UID across updates; METHOD:CANCEL once cancelled)",
        media_type="text/calendar",
    )
    async def calendar_invite(self, interview_id: PathId, interviews: InterviewsService) -> Response[bytes]:
        content = await interviews.invite(interview_id)
        return Response(
            content,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="interview-{interview_id}.ics"'},
        )

    # Notes

    @get("/{interview_id:int}/notes", summary="The notes on an interview you may read")
    async def list_notes(
        self,
        interview_id: PathId,
        note_service: InterviewNotesService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        visibility: NoteVisibility | None = None,
        author_id: QueryId = None,
    ) -> Page[NoteOut]:
        filters = parse(NoteFilters, visibility=visibility, author_id=author_id)
        return await note_service.search(interview_id, filters, limit=limit, offset=offset, sort=sort)

    @post(
        "/{interview_id:int}/notes", summary="Write a note (private by default, or shared with your company)"
    )
    async def create_note(
        self, interview_id: PathId, data: NoteCreate, note_service: InterviewNotesService
    ) -> NoteOut:
        return await note_service.create(interview_id, data)

    @get("/{interview_id:int}/notes/{note_id:int}")
    async def read_note(
        self, interview_id: PathId, note_id: PathId, note_service: InterviewNotesService
    ) -> NoteOut:
        return await note_service.get(interview_id, note_id)

    @patch("/{interview_id:int}/notes/{note_id:int}", summary="Change your note")
    async def update_note(
        self, interview_id: PathId, note_id: PathId, data: NoteUpdate, note_service: InterviewNotesService
    ) -> NoteOut:
        return await note_service.update(interview_id, note_id, data)

    @delete("/{interview_id:int}/notes/{note_id:int}", summary="Delete your note (soft)")
    async def delete_note(
        self, interview_id: PathId, note_id: PathId, note_service: InterviewNotesService
    ) -> None:
        await note_service.delete(interview_id, note_id)
