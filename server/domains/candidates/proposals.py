"""An agency proposes its candidate, with one of their resumes, to an employer's published position.

The proposal is an interview of the employer's company in `pending_schedule` (the employer's
staff schedule and run it, as any interview of theirs; whoever first schedules it without a
recruiter becomes its recruiter) plus the 職務経歴書 as sent, kept as the interview's
`proposed_resume` attachment (`server/auth/relations.py` says what that lets the employer see).
The candidate is told at once, and at every step after through the interview's own notices.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, Company, Interview, Position, Resume, User
from models.enums import CompanyType, InterviewStatus, ResumeStatus
from server import audit
from server.auth import relations
from server.auth.principal import Principal
from server.context import AppContext
from server.domains.candidates import access
from server.domains.candidates.schemas import ProposalCreate, ProposalOut
from server.domains.files.services import Download, FileKeeper
from server.domains.interviews import access as interview_access
from server.domains.interviews.answers import answer
from server.domains.interviews.schemas import InterviewOut
from server.domains.notifications.services import notify
from server.domains.positions.search import publicly_listed
from server.domains.resumes import access as resume_access
from server.domains.resumes.documents.model import DocumentKind
from server.domains.resumes.documents_source import document_of, public_document, rendered
from server.errors import Conflict, FieldError, InvalidInput, NotFound

TITLE_CHARS = 255


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(errors=[FieldError(field=field, message=message)])


def proposal_out(interview: Interview, sent: Attachment) -> ProposalOut:
    return ProposalOut(
        interview_id=interview.id,
        position_id=interview.position_id,
        candidate_id=interview.candidate_id,
        resume_id=int(sent.description or 0),
        proposed_by=sent.uploaded_by,
        proposed_at=sent.created_at,
        document=f"/api/interviews/{interview.id}/proposal/document",
    )


class ProposalsService:
    def __init__(self, db: AsyncSession, principal: Principal, ctx: AppContext) -> None:
        self.db = db
        self.principal = principal
        self.ctx = ctx
        self.files = FileKeeper(db, principal, ctx.storage, ctx.settings)

    async def propose(self, position_id: int, data: ProposalCreate) -> InterviewOut:
        access.require_agency_staff(self.principal)
        position, employer = await self._open_position(position_id)
        candidate = await self._own_candidate(data.candidate_id)
        resume = await self._proposable_resume(data.resume_id, candidate)
        await self._check_not_proposed(position.id, candidate.id)
        interview = Interview(
            title=f"{position.title}: {candidate.last_name} {candidate.first_name}"[:TITLE_CHARS],
            description=data.message,
            candidate_id=candidate.id,
            position_id=position.id,
            interview_type=data.interview_type,
            status=InterviewStatus.PENDING_SCHEDULE,
            company_id=employer.id,
            created_by=self.principal.user_id,
        )
        self.db.add(interview)
        await self.db.flush()
        await self._keep_document(interview, resume)
        audit.label(self.db, interview, "interviews.propose")
        await self._tell(interview, position, employer, candidate)
        await self.db.refresh(interview)
        return await answer(self.db, self.principal, interview)

    async def _open_position(self, position_id: int) -> tuple[Position, Company]:
        row = (
            await self.db.execute(
                select(Position, Company)
                .join(Company, Company.id == Position.company_id)
                .where(Position.id == position_id, publicly_listed(), Company.type == CompanyType.EMPLOYER)
            )
        ).one_or_none()
        if row is None:
            raise NotFound(f"Position {position_id} was not found.")
        position, employer = row
        return position, employer

    async def _own_candidate(self, candidate_id: int) -> User:
        statement = select(User).where(User.id == candidate_id, access.readable(self.principal))
        if not self.principal.is_system_admin:
            statement = statement.where(User.company_id == self.principal.company_id)
        candidate: User | None = await self.db.scalar(statement)
        if candidate is None or candidate.company_id is None:
            raise invalid("candidate_id", "no candidate of your agency")
        return candidate

    async def _proposable_resume(self, resume_id: int, candidate: User) -> Resume:
        resume: Resume | None = await self.db.scalar(
            select(Resume).where(
                Resume.id == resume_id,
                Resume.user_id == candidate.id,
                Resume.status == ResumeStatus.ACTIVE,
                resume_access.readable(self.principal),
            )
        )
        if resume is None:
            raise invalid("resume_id", "an active resume of the candidate that you see")
        return resume

    async def _check_not_proposed(self, position_id: int, candidate_id: int) -> None:
        open_one = await self.db.scalar(
            select(Interview.id).where(
                Interview.position_id == position_id,
                Interview.candidate_id == candidate_id,
                Interview.is_deleted.is_(False),
                Interview.status.in_(relations.OPEN),
                relations.is_proposal(),
            )
        )
        if open_one is not None:
            raise Conflict(
                f"This candidate is already proposed to this position (interview {open_one}).",
                code="already_proposed",
            )

    async def _keep_document(self, interview: Interview, resume: Resume) -> None:
        """The 職務経歴書 as the employer receives it: the resume as written, without references
        nor the account's own email and phone (the agency keeps the contact)."""
        document = await document_of(self.db, resume, storage=self.ctx.storage)
        sent = await rendered(DocumentKind.SHOKUMU, public_document(document))
        stored = await self.files.keep_generated(
            sent.content, sent.filename, sent.media_type, interview.company_id
        )
        self.db.add(
            Attachment(
                entity_type=relations.PROPOSED_RESUME,
                entity_id=interview.id,
                filename=stored.filename,
                stored_filename=stored.stored_filename,
                file_path=stored.file_path,
                file_size=stored.file_size,
                mime_type=stored.mime_type,
                file_hash=stored.file_hash,
                description=str(resume.id),
                uploaded_by=self.principal.user_id,
                company_id=interview.company_id,
            )
        )
        await self.db.flush()

    async def _tell(
        self, interview: Interview, position: Position, employer: Company, candidate: User
    ) -> None:
        told = {candidate.id: f"You were proposed to {employer.name} for {position.title}"}
        owner = await self.db.scalar(
            select(User.id).where(User.id == position.created_by, User.is_deleted.is_(False))
        )
        if owner is not None:
            told[owner] = f"New candidate for {position.title}: {candidate.last_name} {candidate.first_name}"
        for user_id, title in told.items():
            await notify(
                self.db,
                user_id=user_id,
                type="candidate_proposed",
                title=title[:TITLE_CHARS],
                message=interview.description or title,
                category="interview",
                data={"interview_id": interview.id, "position_id": position.id},
                action_url=f"/interviews/{interview.id}",
            )

    # Reading

    async def _sent(self, interview_id: int) -> tuple[Interview, Attachment]:
        interview, _ = await interview_access.load(self.db, self.principal, interview_id)
        sent: Attachment | None = await self.db.scalar(
            select(Attachment).where(
                Attachment.entity_type == relations.PROPOSED_RESUME,
                Attachment.entity_id == interview.id,
                Attachment.is_deleted.is_(False),
            )
        )
        if sent is None:
            raise NotFound(f"Interview {interview_id} is not a proposal.")
        return interview, sent

    async def get(self, interview_id: int) -> ProposalOut:
        interview, sent = await self._sent(interview_id)
        return proposal_out(interview, sent)

    async def document(self, interview_id: int) -> Download:
        """The 職務経歴書 as sent: the employer's staff have it while the interview is open."""
        interview, sent = await self._sent(interview_id)
        if relations.employer_side(self.principal, interview) and interview.status not in relations.OPEN:
            raise NotFound("The proposed resume is no longer shared: the interview is over.")
        return await self.files.download(sent.file_path, sent.filename, sent.mime_type)
