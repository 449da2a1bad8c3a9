"""Authoring exams: create, change, publish, archive, delete (soft) and copy as a new version.

The workflow is draft -> published -> archived, an archived exam publishable again; another
move is 409 `illegal_transition`, and publishing an exam without questions 409 `no_questions`.
`total_questions` always equals the number of questions. Once a session exists, what the
session depends on (questions, duration, randomization) no longer changes: 409 `exam_in_use`,
and `new_version` copies the exam as a draft to edit instead. Who may: `access`.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Exam, ExamSession
from models.enums import ExamStatus
from server import audit
from server.auth.principal import Principal
from server.domains.exams import access
from server.domains.exams import questions as q
from server.domains.exams.questions import invalid
from server.domains.exams.schemas import ExamCreate, ExamOut, ExamUpdate
from server.domains.exams.views import exam_out
from server.errors import Conflict, Forbidden
from server.listing import order_by, paginate, where_given
from server.schemas import Page, apply

COPIED = (
    "title",
    "description",
    "instructions",
    "category",
    "difficulty",
    "duration_minutes",
    "total_questions",
    "passing_score",
    "max_attempts",
    "is_randomized",
    "show_results",
    "show_correct_answers",
    "questions",
    "company_id",
)
SORTABLE = {"id": Exam.id, "title": Exam.title, "created_at": Exam.created_at}
MOVES: dict[ExamStatus, frozenset[ExamStatus]] = {
    ExamStatus.DRAFT: frozenset({ExamStatus.PUBLISHED, ExamStatus.ARCHIVED}),
    ExamStatus.PUBLISHED: frozenset({ExamStatus.ARCHIVED}),
    ExamStatus.ARCHIVED: frozenset({ExamStatus.PUBLISHED}),
}
LABELS = {ExamStatus.PUBLISHED: "exams.publish", ExamStatus.ARCHIVED: "exams.archive"}


def _settings(value: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(value.get("proctoring_enabled", False), bool):
        raise invalid("settings.proctoring_enabled", "is true or false")
    return value


class ExamsService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def search(
        self, *, status: ExamStatus | None, category: str | None, limit: int, offset: int, sort: str
    ) -> Page[ExamOut]:
        access.require_staff(self.principal)
        statement = select(Exam).where(access.readable(self.principal))
        statement = where_given(statement, (Exam.status, status), (Exam.category, category))
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[exam_out(row) for row in rows], total=total)

    async def get(self, exam_id: int) -> ExamOut:
        return exam_out(await access.load(self.db, self.principal, exam_id))

    async def create(self, data: ExamCreate) -> ExamOut:
        access.require_staff(self.principal)
        questions = q.checked(list(data.questions))
        exam = Exam(
            title=data.title,
            description=data.description,
            instructions=data.instructions,
            category=data.category,
            difficulty=data.difficulty,
            duration_minutes=data.duration_minutes,
            passing_score=data.passing_score,
            max_attempts=data.max_attempts,
            is_randomized=data.is_randomized,
            show_results=data.show_results,
            show_correct_answers=data.show_correct_answers,
            status=ExamStatus.DRAFT,
            questions=q.dump(questions),
            total_questions=len(questions),
            settings=_settings(data.settings),
            company_id=await self._company_for(data.company_id),
            created_by=self.principal.user_id,
        )
        return await self._saved(exam)

    async def _company_for(self, requested: int | None) -> int:
        if not self.principal.is_system_admin:
            assert self.principal.company_id is not None  # staff are in a company
            if requested is not None and requested != self.principal.company_id:
                raise Forbidden("You may only create exams of your own company.")
            return self.principal.company_id
        company = await self.db.get(Company, requested) if requested is not None else None
        if company is None or company.is_deleted:
            raise invalid("company_id", "a system_admin names a company")
        return company.id

    async def _saved(self, exam: Exam) -> ExamOut:
        self.db.add(exam)
        await self.db.flush()
        await self.db.refresh(exam)
        return exam_out(exam)

    async def _taken(self, exam: Exam) -> bool:
        count = await self.db.scalar(select(func.count(ExamSession.id)).where(ExamSession.exam_id == exam.id))
        return bool(count)

    async def update(self, exam_id: int, data: ExamUpdate) -> ExamOut:
        exam = await access.load(self.db, self.principal, exam_id, lock=True)
        if exam.status is ExamStatus.ARCHIVED:
            raise Conflict("An archived exam no longer changes; publish it or copy it.", code="exam_archived")
        questions = None
        if isinstance(data.questions, list):
            questions = q.dump(q.checked(list(data.questions), q.load(exam.questions)))
        proposed = {
            "questions": msgspec.UNSET if questions is None else questions,
            "duration_minutes": data.duration_minutes,
            "is_randomized": data.is_randomized,
        }
        changing = [k for k, v in proposed.items() if v is not msgspec.UNSET and v != getattr(exam, k)]
        if changing and await self._taken(exam):
            raise Conflict(
                f"Sessions of this exam exist, so its {', '.join(changing)} no longer change; "
                f"create a new version (POST /api/exams/{exam.id}/versions).",
                code="exam_in_use",
            )
        if isinstance(data.settings, dict):
            _settings(data.settings)
        apply(exam, data)
        if questions is not None:
            if exam.status is ExamStatus.PUBLISHED and not questions:
                raise Conflict("A published exam keeps at least one question.", code="no_questions")
            exam.questions = questions
            exam.total_questions = len(questions)
        return await self._saved(exam)

    async def change_status(self, exam_id: int, status: ExamStatus) -> ExamOut:
        exam = await access.load(self.db, self.principal, exam_id, lock=True)
        if status not in MOVES[exam.status]:
            raise Conflict(f"A {exam.status} exam cannot become {status}.", code="illegal_transition")
        if status is ExamStatus.PUBLISHED and not exam.total_questions:
            raise Conflict("An exam without questions cannot be published.", code="no_questions")
        exam.status = status
        audit.label(self.db, exam, LABELS[status])
        return await self._saved(exam)

    async def new_version(self, exam_id: int) -> ExamOut:
        """A draft copy of the exam (questions and ids included) to edit and publish instead."""
        source = await access.load(self.db, self.principal, exam_id)
        copy = Exam(
            **{column: getattr(source, column) for column in COPIED},
            status=ExamStatus.DRAFT,
            settings={**(source.settings or {}), "version_of": source.id},
            created_by=self.principal.user_id,
        )
        return await self._saved(copy)

    async def delete(self, exam_id: int) -> None:
        """Soft delete: its sessions stay (results are records), the exam leaves every list."""
        exam = await access.load(self.db, self.principal, exam_id, lock=True)
        exam.mark_deleted(self.principal.user_id)
        await self.db.flush()
