"""/api/resumes: resumes, their documents (PDF) and their photo.

Who may call what is decided in one place, `server.domains.resumes.access`: a resume you may
not see is 404, one you may see but not change is 403. Public links: `public.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import Parameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import ResumeStatus, ResumeVisibility
from server.auth.principal import Principal
from server.context import AppContext
from server.domains.files.controllers import download_response, upload_body
from server.domains.files.services import FileKeeper
from server.domains.resumes import access
from server.domains.resumes.documents.model import DocumentKind
from server.domains.resumes.documents_source import RenderedDocument, document_of, public_document, rendered
from server.domains.resumes.photo import PhotoService
from server.domains.resumes.public import pdf_response
from server.domains.resumes.schemas import ResumeCreate, ResumeFilters, ResumeOut, ResumeUpdate
from server.domains.resumes.services import ResumesService, bump
from server.listing import Limit, Offset, PathId, QueryId
from server.schemas import Page, parse

# Litestar ignores msgspec.Meta bounds on query and path parameters, so they are spelled out.
Words = Annotated[str | None, Parameter(max_length=100)]


class DocumentsService:
    """A resume's PDFs, for whoever sees it; each download counts once in `download_count`."""

    def __init__(self, db: AsyncSession, principal: Principal, ctx: AppContext) -> None:
        self.db = db
        self.principal = principal
        self.storage = ctx.storage

    async def download(self, resume_id: int, kind: DocumentKind) -> RenderedDocument:
        resume = await access.load(self.db, self.principal, resume_id)
        document = await document_of(self.db, resume, storage=self.storage)
        if access.receives_copy(self.principal, resume):
            document = public_document(document)
        result = await rendered(kind, document)
        await bump(self.db, resume.id, "download_count")
        return result


def provide_resumes(state: State, db: AsyncSession, principal: Principal) -> ResumesService:
    ctx: AppContext = state.ctx
    return ResumesService(db, principal, ctx.settings)


def provide_documents(state: State, db: AsyncSession, principal: Principal) -> DocumentsService:
    return DocumentsService(db, principal, state.ctx)


def provide_photos(state: State, db: AsyncSession, principal: Principal) -> PhotoService:
    ctx: AppContext = state.ctx
    return PhotoService(FileKeeper(db, principal, ctx.storage, ctx.settings), ctx.settings)


@dataclass
class PhotoUpload(Operation):
    """The multipart form for the OpenAPI document (the handler reads the stream itself)."""

    def __post_init__(self) -> None:
        form = Schema(
            type=OpenAPIType.OBJECT,
            properties={"file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)},
            required=["file"],
        )
        self.request_body = RequestBody(
            required=True, content={"multipart/form-data": OpenAPIMediaType(schema=form)}
        )


class ResumesController(Controller):
    path = "/api/resumes"
    tags = ["resumes"]
    dependencies = {
        "resumes": Provide(provide_resumes, sync_to_thread=False),
        "documents": Provide(provide_documents, sync_to_thread=False),
        "photos": Provide(provide_photos, sync_to_thread=False),
    }

    @get("/", summary="Resumes you may see (your own; your candidates'; those proposed to you)")
    async def list_resumes(
        self,
        resumes: ResumesService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        user_id: QueryId = None,
        status: ResumeStatus | None = None,
        visibility: ResumeVisibility | None = None,
        q: Words = None,
    ) -> Page[ResumeOut]:
        filters = parse(ResumeFilters, user_id=user_id, status=status, visibility=visibility, q=q)
        return await resumes.search(filters, limit=limit, offset=offset, sort=sort)

    @post("/", summary="Create a resume: your own (candidate) or a candidate's of your agency (user_id)")
    async def create_resume(self, data: ResumeCreate, resumes: ResumesService) -> ResumeOut:
        return await resumes.create(data)

    @get("/{resume_id:int}")
    async def read_resume(self, resume_id: PathId, resumes: ResumesService) -> ResumeOut:
        return await resumes.get(resume_id)

    @patch("/{resume_id:int}", summary="Change a resume (visibility public gives it a fresh public link)")
    async def update_resume(
        self, resume_id: PathId, data: ResumeUpdate, resumes: ResumesService
    ) -> ResumeOut:
        return await resumes.update(resume_id, data)

    @delete("/{resume_id:int}", summary="Soft-delete a resume (its public link dies at once)")
    async def delete_resume(self, resume_id: PathId, resumes: ResumesService) -> None:
        await resumes.delete(resume_id)

    @post("/{resume_id:int}/restore", status_code=HTTP_200_OK, summary="Restore a deleted resume")
    async def restore_resume(self, resume_id: PathId, resumes: ResumesService) -> ResumeOut:
        return await resumes.restore(resume_id)

    # Documents

    @get("/{resume_id:int}/rirekisho.pdf", summary="The 履歴書 (JIS-style) as a PDF")
    async def rirekisho(self, resume_id: PathId, documents: DocumentsService) -> Response[bytes]:
        return pdf_response(await documents.download(resume_id, DocumentKind.RIREKISHO))

    @get("/{resume_id:int}/shokumu.pdf", summary="The 職務経歴書 as a PDF")
    async def shokumu(self, resume_id: PathId, documents: DocumentsService) -> Response[bytes]:
        return pdf_response(await documents.download(resume_id, DocumentKind.SHOKUMU))

    @get("/{resume_id:int}/resume.pdf", summary="An English CV as a PDF")
    async def resume_pdf(self, resume_id: PathId, documents: DocumentsService) -> Response[bytes]:
        return pdf_response(await documents.download(resume_id, DocumentKind.RESUME))

    # Photo

    @put(
        "/{resume_id:int}/photo",
        summary="Set the resume's photo (JPEG or PNG, judged from the bytes; else 415)",
        description="multipart/form-data with one `file` part. The previous photo is deleted (soft).",
        request_max_body_size=None,
        operation_class=PhotoUpload,
    )
    async def put_photo(
        self, resume_id: PathId, request: Request[Any, Any, Any], photos: PhotoService
    ) -> ResumeOut:
        return await photos.put(resume_id, upload_body(request))

    @get("/{resume_id:int}/photo", summary="The resume's photo (404 when it has none)")
    async def get_photo(self, resume_id: PathId, photos: PhotoService) -> Stream:
        return download_response(await photos.get(resume_id))

    @delete("/{resume_id:int}/photo", summary="Remove the resume's photo")
    async def delete_photo(self, resume_id: PathId, photos: PhotoService) -> None:
        await photos.delete(resume_id)
