"""/api/exams (authoring and assignment, company staff) and /api/exam-sessions (staff views and
grading; the candidate's own session: start, answer, move, submit, retake).

Who may call what: `server.domains.exams.access`; the session rules: `sessions`.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import ExamSessionStatus, ExamStatus
from server.auth.dependencies import RequestMeta
from server.auth.principal import Principal
from server.domains.exams.schemas import (
    AnswerIn,
    Assignment,
    ExamCreate,
    ExamOut,
    ExamSessionOut,
    ExamSessionState,
    ExamUpdate,
    Grades,
    Move,
    SessionFilters,
    SessionSummary,
)
from server.domains.exams.services import ExamsService
from server.domains.exams.sessions import SessionsService
from server.listing import Limit, Offset, PathId, QueryId
from server.schemas import Page, parse

Words = Annotated[str | None, Parameter(max_length=50)]


def provide_exams(db: AsyncSession, principal: Principal) -> ExamsService:
    return ExamsService(db, principal)


def provide_sessions(db: AsyncSession, principal: Principal) -> SessionsService:
    return SessionsService(db, principal)


class ExamsController(Controller):
    path = "/api/exams"
    tags = ["exams"]
    dependencies = {
        "exams": Provide(provide_exams, sync_to_thread=False),
        "sessions": Provide(provide_sessions, sync_to_thread=False),
    }

    @get("/", summary="Exams of your company (staff)")
    async def list_exams(
        self,
        exams: ExamsService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        status: ExamStatus | None = None,
        category: Words = None,
    ) -> Page[ExamOut]:
        return await exams.search(status=status, category=category, limit=limit, offset=offset, sort=sort)

    @post("/", summary="Create a draft exam with typed questions")
    async def create_exam(self, data: ExamCreate, exams: ExamsService) -> ExamOut:
        return await exams.create(data)

    @get("/{exam_id:int}")
    async def read_exam(self, exam_id: PathId, exams: ExamsService) -> ExamOut:
        return await exams.get(exam_id)

    @patch("/{exam_id:int}", summary="Change an exam (questions fixed once sessions exist: 409 exam_in_use)")
    async def update_exam(self, exam_id: PathId, data: ExamUpdate, exams: ExamsService) -> ExamOut:
        return await exams.update(exam_id, data)

    @delete("/{exam_id:int}", summary="Soft-delete an exam (its sessions stay)")
    async def delete_exam(self, exam_id: PathId, exams: ExamsService) -> None:
        await exams.delete(exam_id)

    @post("/{exam_id:int}/publish", status_code=HTTP_200_OK, summary="Publish: candidates may be assigned")
    async def publish_exam(self, exam_id: PathId, exams: ExamsService) -> ExamOut:
        return await exams.change_status(exam_id, ExamStatus.PUBLISHED)

    @post("/{exam_id:int}/archive", status_code=HTTP_200_OK, summary="Archive: no new sessions")
    async def archive_exam(self, exam_id: PathId, exams: ExamsService) -> ExamOut:
        return await exams.change_status(exam_id, ExamStatus.ARCHIVED)

    @post("/{exam_id:int}/versions", summary="Copy the exam as a new draft to edit")
    async def copy_exam(self, exam_id: PathId, exams: ExamsService) -> ExamOut:
        return await exams.new_version(exam_id)

    @post("/{exam_id:int}/assignments", summary="Assign the exam to a candidate (notified with a link)")
    async def assign_exam(
        self, exam_id: PathId, data: Assignment, sessions: SessionsService
    ) -> ExamSessionOut:
        return await sessions.assign(exam_id, data.candidate_id)


class ExamSessionsController(Controller):
    path = "/api/exam-sessions"
    tags = ["exams"]
    dependencies = {"sessions": Provide(provide_sessions, sync_to_thread=False)}

    @get("/", summary="Sessions of your company's exams (staff)")
    async def list_sessions(
        self,
        sessions: SessionsService,
        limit: Limit = 20,
        offset: Offset = 0,
        exam_id: QueryId = None,
        candidate_id: QueryId = None,
        status: ExamSessionStatus | None = None,
    ) -> Page[ExamSessionOut]:
        filters = parse(SessionFilters, exam_id=exam_id, candidate_id=candidate_id, status=status)
        return await sessions.search(filters, limit=limit, offset=offset)

    @get("/mine", summary="Your own exam sessions (candidate)")
    async def list_my_sessions(
        self, sessions: SessionsService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[SessionSummary]:
        return await sessions.mine(limit=limit, offset=offset)

    @get("/{session_id:int}", summary="A session with answers, results and proctoring (staff)")
    async def read_session(self, session_id: PathId, sessions: SessionsService) -> ExamSessionOut:
        return await sessions.get(session_id)

    @post("/{session_id:int}/grades", status_code=HTTP_200_OK, summary="Grade essays (staff)")
    async def grade_session(
        self, session_id: PathId, data: Grades, sessions: SessionsService
    ) -> ExamSessionOut:
        return await sessions.grade(session_id, data)

    @get("/{session_id:int}/state", summary="Your session: questions without keys, answers, time left")
    async def read_state(self, session_id: PathId, sessions: SessionsService) -> ExamSessionState:
        return await sessions.state(session_id)

    @post("/{session_id:int}/start", status_code=HTTP_200_OK, summary="Start (or resume) your session")
    async def start_session(
        self, session_id: PathId, sessions: SessionsService, meta: RequestMeta
    ) -> ExamSessionState:
        return await sessions.start(session_id, ip=meta.ip, user_agent=meta.user_agent)

    @post("/{session_id:int}/answers", status_code=HTTP_200_OK, summary="Save an answer by question id")
    async def save_answer(
        self, session_id: PathId, data: AnswerIn, sessions: SessionsService
    ) -> ExamSessionState:
        return await sessions.answer(session_id, data)

    @post("/{session_id:int}/current-question", status_code=HTTP_200_OK, summary="Go to another question")
    async def move_to(self, session_id: PathId, data: Move, sessions: SessionsService) -> ExamSessionState:
        return await sessions.move(session_id, data.current_question)

    @post("/{session_id:int}/submit", status_code=HTTP_200_OK, summary="Hand your session in")
    async def submit_session(self, session_id: PathId, sessions: SessionsService) -> ExamSessionState:
        return await sessions.submit(session_id)

    @post("/{session_id:int}/retake", summary="Begin your next attempt (within max_attempts)")
    async def retake_session(self, session_id: PathId, sessions: SessionsService) -> ExamSessionState:
        return await sessions.retake(session_id)
