"""Resumes: list, read, create, change, soft-delete and restore, under the `access` rules.

Visibility `public` gives the resume `is_public` and a fresh unguessable `public_slug`; leaving
`public`, or deleting the resume, clears both at once, so an old link dies with it. Becoming
public again (a restore of a public resume included) gives a new slug, never the old one.
Counters (`download_count`, `view_count`) only ever move by one atomic
`UPDATE ... SET n = n + 1`, never by read-modify-write.
"""

from __future__ import annotations

import secrets
from typing import Any

import msgspec
from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Resume, Role, User, UserRole
from models.enums import ResumeVisibility
from server import audit
from server.auth.principal import Principal, RoleName
from server.domains.resumes import access
from server.domains.resumes.access import is_agency_staff, is_employer_side
from server.domains.resumes.schemas import (
    SECTION_FIELDS,
    ResumeCreate,
    ResumeFilters,
    ResumeOut,
    ResumeUpdate,
    read_profile,
    read_rows,
    stored,
)
from server.domains.resumes.sections import SECTIONS, Profile, check_periods
from server.errors import Conflict, FieldError, Forbidden, InvalidInput
from server.listing import order_by, paginate, where_given
from server.schemas import Page
from server.settings import Settings

SORTABLE = {
    "id": Resume.id,
    "title": Resume.title,
    "status": Resume.status,
    "created_at": Resume.created_at,
    "updated_at": Resume.updated_at,
}
PERIODS = ("education", "experience", "projects")
"""Sections whose rows are periods: each ends on or after it starts (422 otherwise)."""
SLUG_BYTES = 24
"""`secrets.token_urlsafe(24)`: 32 characters, 192 bits, well within VARCHAR(100)."""


def public_url(settings: Settings, slug: str) -> str:
    return f"{settings.public_base_url}/api/public/resumes/{slug}"


def resume_out(resume: Resume, settings: Settings, *, copy: bool = False) -> ResumeOut:
    """The resume's answer; `copy`: as shared with an employer (`access.receives_copy`), no references."""
    profile = read_profile(resume.content)
    sections: dict[str, Any] = {
        name: read_rows(getattr(resume, name), item) for name, item in SECTIONS.items()
    }
    if copy:
        sections["references"] = []
    slug = resume.public_slug if resume.is_public else None
    return ResumeOut(
        id=resume.id,
        user_id=resume.user_id,
        company_id=resume.company_id,
        title=resume.title,
        status=resume.status,
        visibility=resume.visibility,
        summary=resume.summary,
        profile=profile,
        **sections,
        is_public=resume.is_public,
        public_url=public_url(settings, slug) if slug else None,
        photo=profile.photo_attachment_id,
        download_count=resume.download_count,
        view_count=resume.view_count,
        created_at=resume.created_at,
        updated_at=resume.updated_at,
    )


def set_visibility(db: AsyncSession, resume: Resume, visibility: ResumeVisibility) -> None:
    """Public: a fresh slug unless already public; anything else: no link at all."""
    if visibility is ResumeVisibility.PUBLIC:
        if not resume.is_public or resume.public_slug is None:
            resume.is_public = True
            resume.public_slug = secrets.token_urlsafe(SLUG_BYTES)
            if resume.id is not None:
                audit.label(db, resume, "resumes.publish")
    elif resume.is_public or resume.public_slug is not None:
        resume.is_public = False
        resume.public_slug = None
        audit.label(db, resume, "resumes.unpublish")
    resume.visibility = visibility


def check_sections(data: ResumeCreate | ResumeUpdate) -> None:
    for name in PERIODS:
        value = getattr(data, name)
        if value is not msgspec.UNSET:
            check_periods(name, value)


async def bump(db: AsyncSession, resume_id: int, counter: str) -> None:
    """One atomic increment of a counter column; `updated_at` stays as it was."""
    column = getattr(Resume, counter)
    await db.execute(
        update(Resume)
        .where(Resume.id == resume_id)
        .values({counter: column + 1, "updated_at": Resume.updated_at})
        .execution_options(synchronize_session=False)
    )


class ResumesService:
    def __init__(self, db: AsyncSession, principal: Principal, settings: Settings) -> None:
        self.db = db
        self.principal = principal
        self.settings = settings

    async def _out(self, resume: Resume) -> ResumeOut:
        await self.db.flush()
        await self.db.refresh(resume)
        return resume_out(resume, self.settings)

    # Reading

    async def search(self, filters: ResumeFilters, *, limit: int, offset: int, sort: str) -> Page[ResumeOut]:
        statement = select(Resume).where(access.readable(self.principal))
        statement = where_given(
            statement,
            (Resume.user_id, filters.user_id),
            (Resume.status, filters.status),
            (Resume.visibility, filters.visibility),
        )
        if filters.q:
            words = filters.q.lower()
            statement = statement.where(
                or_(
                    func.lower(Resume.title).contains(words, autoescape=True),
                    func.lower(Resume.summary).contains(words, autoescape=True),
                )
            )
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[self._shown(row) for row in rows], total=total)

    async def get(self, resume_id: int) -> ResumeOut:
        return self._shown(await access.load(self.db, self.principal, resume_id))

    def _shown(self, resume: Resume) -> ResumeOut:
        return resume_out(resume, self.settings, copy=access.receives_copy(self.principal, resume))

    # Writing

    async def create(self, data: ResumeCreate) -> ResumeOut:
        user_id, company_id = await self._owner_for(data.user_id)
        check_sections(data)
        resume = Resume(
            user_id=user_id,
            company_id=company_id,
            title=data.title,
            status=data.status,
            summary=data.summary,
            content=stored(msgspec.structs.replace(data.profile, photo_attachment_id=None)),
            **{name: stored(getattr(data, name)) for name in SECTION_FIELDS},
            download_count=0,
            view_count=0,
        )
        set_visibility(self.db, resume, data.visibility)
        self.db.add(resume)
        return await self._out(resume)

    async def update(self, resume_id: int, data: ResumeUpdate) -> ResumeOut:
        resume = await access.load(self.db, self.principal, resume_id, write=True)
        check_sections(data)
        for name in ("title", "status", "summary"):
            value = getattr(data, name)
            if value is not msgspec.UNSET:
                setattr(resume, name, value)
        for name in SECTION_FIELDS:
            value = getattr(data, name)
            if value is not msgspec.UNSET:
                setattr(resume, name, stored(value))
        if isinstance(data.profile, Profile):
            photo = read_profile(resume.content).photo_attachment_id
            resume.content = stored(msgspec.structs.replace(data.profile, photo_attachment_id=photo))
        if data.visibility is not msgspec.UNSET:
            set_visibility(self.db, resume, data.visibility)
        return await self._out(resume)

    async def delete(self, resume_id: int) -> None:
        resume = await access.load(self.db, self.principal, resume_id, write=True)
        resume.is_public = False
        resume.public_slug = None
        resume.mark_deleted(self.principal.user_id)
        await self.db.flush()

    async def restore(self, resume_id: int) -> ResumeOut:
        resume = await access.load(self.db, self.principal, resume_id, deleted=True)
        resume.restore()
        if resume.visibility is ResumeVisibility.PUBLIC:
            # The link died with the deletion: a restored public resume gets a new one.
            resume.is_public = True
            resume.public_slug = secrets.token_urlsafe(SLUG_BYTES)
        return await self._out(resume)

    # Whose resume

    async def _owner_for(self, user_id: int | None) -> tuple[int, int]:
        """(user_id, company_id) of the resume to create, under the creating rule of `access`."""
        principal = self.principal
        if principal.is_system_admin or (is_agency_staff(principal) and user_id is not None):
            if user_id is None:
                raise InvalidInput(errors=[FieldError(field="user_id", message="whose resume: required")])
            return user_id, await self._candidate_company(user_id)
        if is_employer_side(principal):
            raise Forbidden("Employers do not create resumes.")
        if is_agency_staff(principal):
            raise InvalidInput(errors=[FieldError(field="user_id", message="a candidate of your company")])
        if RoleName.CANDIDATE not in principal.roles:
            raise Forbidden("Only candidates and their agency's staff create resumes.")
        if user_id is not None and user_id != principal.user_id:
            raise Forbidden("A candidate creates resumes for themselves only.")
        if principal.company_id is None:
            raise Conflict(
                "A resume is held by your agency, and your account belongs to no company.",
                code="no_company",
            )
        return principal.user_id, principal.company_id

    async def _candidate_company(self, user_id: int) -> int:
        """The company of a live candidate (for staff: of their own company); else 422 on user_id."""
        statement = (
            select(User.company_id)
            .join(UserRole, UserRole.user_id == User.id)
            .join(Role, Role.id == UserRole.role_id)
            .where(
                User.id == user_id,
                User.is_deleted.is_(False),
                User.company_id.is_not(None),
                Role.name == RoleName.CANDIDATE.value,
            )
        )
        if not self.principal.is_system_admin:
            statement = statement.where(User.company_id == self.principal.company_id)
        company_id = await self.db.scalar(statement.limit(1))
        if company_id is None:
            message = (
                "no such candidate" if self.principal.is_system_admin else "no such candidate in your company"
            )
            raise InvalidInput(errors=[FieldError(field="user_id", message=message)])
        return int(company_id)
