"""Public links: `/api/public/resumes/{slug}` and its PDFs, for anyone holding the link (no login).

A link lives exactly while its resume is live, `public` and holds that slug (`services`); an
unknown, private or deleted one answers 404 in the one error shape, like a missing id.

- The JSON (`PublicResumeOut`) shows the title, the name, the summary, skills, languages,
  certifications, education, experience and projects: never contact details, birth date,
  address, the profile's other entries, or references.
- The PDFs (`rirekisho`, `shokumu`, `resume`) print the resume as its owner wrote it, since
  they made it public: the profile entries they put in it are printed (a 履歴書 carries its
  address and phone), but never the account's own email or phone (only those the owner typed
  into the profile), and never references. Each download counts in `download_count`.
- Views count in `view_count`, atomically; a reload from the same client (client IP and
  User-Agent, hashed) within `VIEW_WINDOW_SECONDS` counts once. The window is the app's shared
  short-lived counter (`ctx.limiter`: Redis when configured, so it holds across processes; the
  process's memory otherwise). A request retried for database contention after its view was
  noted does not count it twice (nor, in that rare case, at all).
"""

from __future__ import annotations

import hashlib

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Resume, User
from models.enums import ResumeVisibility
from server.auth.dependencies import RequestMeta
from server.context import AppContext
from server.domains.files.naming import content_disposition
from server.domains.resumes.documents.model import DocumentKind
from server.domains.resumes.documents_source import (
    RenderedDocument,
    document_of,
    public_document,
    rendered,
)
from server.domains.resumes.schemas import PublicResumeOut, read_rows
from server.domains.resumes.sections import (
    Certification,
    Education,
    Experience,
    Language,
    Project,
    Skill,
)
from server.domains.resumes.services import bump
from server.errors import NotFound, TooManyRequests
from server.ratelimit import Limit, RateLimiter
from server.storage import Storage

VIEW_WINDOW_SECONDS = 60
ONCE_A_WINDOW = Limit(hits=1, seconds=VIEW_WINDOW_SECONDS)
SLUG_MAX = 100
"""`public_slug` is VARCHAR(100): a longer slug names no resume (404, not 422)."""


def client_key(meta: RequestMeta) -> str:
    """One client as the view counter knows it: its address and User-Agent, hashed."""
    raw = f"{meta.ip or ''}\x00{meta.user_agent or ''}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def unknown_link() -> NotFound:
    return NotFound("This resume link does not exist or is no longer shared.")


class PublicResumesService:
    def __init__(self, db: AsyncSession, limiter: RateLimiter, storage: Storage) -> None:
        self.db = db
        self.limiter = limiter
        self.storage = storage

    async def _find(self, slug: str) -> Resume:
        if len(slug) > SLUG_MAX:
            raise unknown_link()
        resume = await self.db.scalar(
            select(Resume).where(
                Resume.public_slug == slug,
                Resume.is_public.is_(True),
                Resume.visibility == ResumeVisibility.PUBLIC,
                Resume.is_deleted.is_(False),
            )
        )
        if resume is None:
            raise unknown_link()
        return resume

    async def view(self, slug: str, meta: RequestMeta) -> PublicResumeOut:
        resume = await self._find(slug)
        user = await self.db.get(User, resume.user_id)
        if user is None:
            raise unknown_link()
        if await self._first_view(resume, meta):
            await bump(self.db, resume.id, "view_count")
        return PublicResumeOut(
            title=resume.title,
            name=f"{user.last_name} {user.first_name}",
            summary=resume.summary,
            skills=read_rows(resume.skills, Skill),
            languages=read_rows(resume.languages, Language),
            certifications=read_rows(resume.certifications, Certification),
            education=read_rows(resume.education, Education),
            experience=read_rows(resume.experience, Experience),
            projects=read_rows(resume.projects, Project),
            updated_at=resume.updated_at,
        )

    async def _first_view(self, resume: Resume, meta: RequestMeta) -> bool:
        try:
            await self.limiter.check(f"resume-view:{resume.id}:{client_key(meta)}", ONCE_A_WINDOW)
        except TooManyRequests:
            return False
        return True

    async def download(self, slug: str, kind: DocumentKind) -> RenderedDocument:
        resume = await self._find(slug)
        document = await document_of(self.db, resume, storage=self.storage)
        result = await rendered(kind, public_document(document))
        await bump(self.db, resume.id, "download_count")
        return result


def pdf_response(document: RenderedDocument) -> Response[bytes]:
    """A PDF as an attachment named in UTF-8 (`filename*=UTF-8''履歴書_山田太郎.pdf`)."""
    return Response(
        document.content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": content_disposition(document.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def provide_public_resumes(state: State, db: AsyncSession) -> PublicResumesService:
    ctx: AppContext = state.ctx
    return PublicResumesService(db, ctx.limiter, ctx.storage)


class PublicResumesController(Controller):
    path = "/api/public/resumes"
    tags = ["resumes"]
    dependencies = {"public_resumes": Provide(provide_public_resumes, sync_to_thread=False)}

    @get("/{slug:str}", summary="A publicly shared resume (no login; no contact details)")
    async def read_public_resume(
        self, slug: str, public_resumes: PublicResumesService, meta: RequestMeta
    ) -> PublicResumeOut:
        return await public_resumes.view(slug, meta)

    @get("/{slug:str}/rirekisho.pdf", summary="The shared resume's 履歴書 (JIS-style, PDF; no login)")
    async def public_rirekisho(self, slug: str, public_resumes: PublicResumesService) -> Response[bytes]:
        return pdf_response(await public_resumes.download(slug, DocumentKind.RIREKISHO))

    @get("/{slug:str}/shokumu.pdf", summary="The shared resume's 職務経歴書 (PDF; no login)")
    async def public_shokumu(self, slug: str, public_resumes: PublicResumesService) -> Response[bytes]:
        return pdf_response(await public_resumes.download(slug, DocumentKind.SHOKUMU))

    @get("/{slug:str}/resume.pdf", summary="The shared resume as an English CV (PDF; no login)")
    async def public_resume_pdf(self, slug: str, public_resumes: PublicResumesService) -> Response[bytes]:
        return pdf_response(await public_resumes.download(slug, DocumentKind.RESUME))
