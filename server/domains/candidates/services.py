"""The candidate directory: list, search, open and register candidates (who sees whom: `access`)."""

from __future__ import annotations

import msgspec
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Resume, User
from models.enums import CompanyType
from server.auth.principal import Principal, RoleName
from server.context import AppContext
from server.domains.candidates import access
from server.domains.candidates.schemas import CandidateCreate, CandidateOut
from server.domains.interviews.schemas import InterviewFilters, InterviewOut
from server.domains.interviews.services import InterviewsService
from server.domains.resumes import access as resume_access
from server.domains.resumes.schemas import ResumeFilters, ResumeOut
from server.domains.resumes.services import ResumesService
from server.domains.users.accounts import open_account
from server.domains.users.schemas import UserCreate
from server.errors import FieldError, InvalidInput
from server.listing import order_by, paginate
from server.schemas import Page

SORTABLE = {"id": User.id, "last_name": User.last_name, "created_at": User.created_at}


def candidate_out(principal: Principal, user: User) -> CandidateOut:
    contact = access.sees_contact(principal, user)
    return CandidateOut(
        id=user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email if contact else None,
        phone=user.phone if contact else None,
        company_id=user.company_id,
        is_active=user.is_active,
        created_at=user.created_at,
    )


def skill_named(principal: Principal, word: str) -> ColumnElement[bool]:
    """A resume the principal sees lists a skill whose name starts with the word (any case).

    Sections are stored as compact JSON (`{"name":"Python",...}`), so the skill's name is the
    text after `"name":"` inside the skills column, JSON-escaped as the word is here."""
    needle = '"name":' + msgspec.json.encode(word.lower()).decode()[:-1]
    return (
        select(Resume.id)
        .where(
            Resume.user_id == User.id,
            resume_access.readable(principal),
            func.lower(Resume.skills).contains(needle, autoescape=True),
        )
        .exists()
    )


class CandidatesService:
    def __init__(self, db: AsyncSession, principal: Principal, ctx: AppContext) -> None:
        self.db = db
        self.principal = principal
        self.ctx = ctx

    async def search(self, *, q: str | None, limit: int, offset: int, sort: str) -> Page[CandidateOut]:
        statement = select(User).where(access.readable(self.principal))
        if q and q.strip():
            statement = statement.where(
                or_(and_(*map(self._matching, q.split()[:5])), skill_named(self.principal, q.strip()))
            )
        users, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[candidate_out(self.principal, user) for user in users], total=total)

    def _matching(self, word: str) -> ColumnElement[bool]:
        """The word is in the name (either order), the email (for the agency) or starts a skill."""
        folded = word.lower()
        found = [
            func.lower(User.first_name + " " + User.last_name).contains(folded, autoescape=True),
            func.lower(User.last_name + User.first_name).contains(folded, autoescape=True),
            skill_named(self.principal, word),
        ]
        if access.sees_contacts_of_directory(self.principal):
            found.append(func.lower(User.email).contains(folded, autoescape=True))
        return or_(*found)

    async def get(self, candidate_id: int) -> CandidateOut:
        return candidate_out(self.principal, await access.load(self.db, self.principal, candidate_id))

    async def register(self, data: CandidateCreate) -> CandidateOut:
        access.require_agency_staff(self.principal)
        company = await self._agency_for(data.company_id)
        account = UserCreate(
            email=data.email,
            first_name=data.first_name,
            last_name=data.last_name,
            phone=data.phone,
            roles=[RoleName.CANDIDATE],
        )
        user = await open_account(self.db, self.ctx, self.principal, company, account)
        await self.db.refresh(user)
        return candidate_out(self.principal, user)

    async def _agency_for(self, requested: int | None) -> Company:
        wanted = requested if self.principal.is_system_admin else self.principal.company_id
        if requested is not None and not self.principal.is_system_admin and requested != wanted:
            raise InvalidInput(errors=[FieldError(field="company_id", message="only your own agency")])
        company = await self.db.get(Company, wanted) if wanted is not None else None
        if company is None or company.is_deleted or company.type is not CompanyType.RECRUITING_AGENCY:
            raise InvalidInput(errors=[FieldError(field="company_id", message="a recruiting agency")])
        return company

    async def resumes(self, candidate_id: int, *, limit: int, offset: int) -> Page[ResumeOut]:
        """The candidate's resumes that the principal sees (an employer: the one proposed)."""
        await access.load(self.db, self.principal, candidate_id)
        return await ResumesService(self.db, self.principal, self.ctx.settings).search(
            ResumeFilters(user_id=candidate_id), limit=limit, offset=offset, sort="id"
        )

    async def interviews(self, candidate_id: int, *, limit: int, offset: int) -> Page[InterviewOut]:
        """The candidate's interviews that the principal sees, soonest first."""
        await access.load(self.db, self.principal, candidate_id)
        return await InterviewsService(self.db, self.principal).search(
            InterviewFilters(candidate_id=candidate_id), limit=limit, offset=offset, sort="-scheduled_start"
        )
