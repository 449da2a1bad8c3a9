"""/api/attachments and /api/todos/{todo_id}/attachments: uploads, lists, metadata, downloads.

Uploads are multipart/form-data read straight from the request stream (the app-wide body cap
does not apply; the file cap `MAX_UPLOAD_BYTES` does). Downloads stream the stored bytes with
the original name in Content-Disposition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.context import AppContext
from server.domains.files import schemas
from server.domains.files.attachments import AttachmentsService
from server.domains.files.intake import UploadBody
from server.domains.files.naming import content_disposition
from server.domains.files.schemas import AttachmentFilters, FileSort
from server.domains.files.services import Download, FileKeeper
from server.domains.files.todo_attachments import TodoAttachmentsService
from server.listing import Limit, Offset
from server.schemas import Page, parse


def provide_files(state: State, db: AsyncSession, principal: Principal) -> FileKeeper:
    ctx: AppContext = state.ctx
    return FileKeeper(db, principal, ctx.storage, ctx.settings)


def provide_attachments(files: FileKeeper) -> AttachmentsService:
    return AttachmentsService(files)


def provide_todo_attachments(files: FileKeeper) -> TodoAttachmentsService:
    return TodoAttachmentsService(files)


def upload_body(request: Request[Any, Any, Any]) -> UploadBody:
    length = request.headers.get("content-length")
    return UploadBody(
        content_type=request.headers.get("content-type", ""),
        content_length=int(length) if length and length.isdigit() else None,
        stream=request.stream(),
    )


def download_response(download: Download) -> Stream:
    return Stream(
        download.chunks,
        media_type=download.mime_type,  # Litestar adds `charset=utf-8` to text types
        headers={
            "Content-Disposition": content_disposition(download.filename),
            "Content-Length": str(download.size),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def _upload_form(*, entity: bool) -> RequestBody:
    """The multipart form for the OpenAPI document (the handler reads the stream itself)."""
    properties: dict[str, Schema | Reference] = {
        "file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
    }
    required = ["file"]
    if entity:
        properties["entity_type"] = Schema(type=OpenAPIType.STRING, description="a registered entity type")
        properties["entity_id"] = Schema(type=OpenAPIType.INTEGER, minimum=1)
        required += ["entity_type", "entity_id"]
    properties["description"] = Schema(type=OpenAPIType.STRING, max_length=2000)
    form = Schema(type=OpenAPIType.OBJECT, properties=properties, required=required)
    return RequestBody(required=True, content={"multipart/form-data": OpenAPIMediaType(schema=form)})


@dataclass
class AttachmentUpload(Operation):
    def __post_init__(self) -> None:
        self.request_body = _upload_form(entity=True)


@dataclass
class TodoAttachmentUpload(Operation):
    def __post_init__(self) -> None:
        self.request_body = _upload_form(entity=False)


_UPLOAD_NOTE = (
    "multipart/form-data with one `file` part. The type is sniffed from the content: PDF, PNG, JPEG, "
    "GIF, WebP, DOCX, XLSX, PPTX, UTF-8 text or CSV; anything else is 415, a file over MAX_UPLOAD_BYTES "
    "413, an empty file 422."
)


class AttachmentsController(Controller):
    path = "/api/attachments"
    tags = ["files"]
    dependencies = {
        "files": Provide(provide_files, sync_to_thread=False),
        "attachments": Provide(provide_attachments, sync_to_thread=False),
    }

    @post(
        "/",
        summary="Upload a file onto an entity you may change",
        description=_UPLOAD_NOTE,
        request_max_body_size=None,
        operation_class=AttachmentUpload,
    )
    async def upload_attachment(
        self, request: Request[Any, Any, Any], attachments: AttachmentsService
    ) -> schemas.Attachment:
        return await attachments.upload(upload_body(request))

    @get("/", summary="The files of one entity you may see")
    async def list_attachments(
        self,
        attachments: AttachmentsService,
        entity_type: str,
        entity_id: int,
        uploaded_by: int | None = None,
        sort: FileSort = "-created_at",
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> Page[schemas.Attachment]:
        filters = parse(
            AttachmentFilters, entity_type=entity_type, entity_id=entity_id, uploaded_by=uploaded_by
        )
        return await attachments.list(filters, sort, limit, offset)

    @get("/{attachment_id:int}", summary="A file's details")
    async def read_attachment(
        self, attachment_id: int, attachments: AttachmentsService
    ) -> schemas.Attachment:
        return await attachments.get(attachment_id)

    @get("/{attachment_id:int}/download", summary="A file's content, with its original name")
    async def download_attachment(self, attachment_id: int, attachments: AttachmentsService) -> Stream:
        return download_response(await attachments.download(attachment_id))

    @delete("/{attachment_id:int}", summary="Delete a file (soft) of an entity you may change")
    async def delete_attachment(self, attachment_id: int, attachments: AttachmentsService) -> None:
        await attachments.delete(attachment_id)


class TodoAttachmentsController(Controller):
    path = "/api/todos/{todo_id:int}/attachments"
    tags = ["files", "todos"]
    dependencies = {
        "files": Provide(provide_files, sync_to_thread=False),
        "todo_files": Provide(provide_todo_attachments, sync_to_thread=False),
    }

    @post(
        "/",
        summary="Upload a file onto a todo you may change",
        description=_UPLOAD_NOTE,
        request_max_body_size=None,
        operation_class=TodoAttachmentUpload,
    )
    async def upload_todo_attachment(
        self, todo_id: int, request: Request[Any, Any, Any], todo_files: TodoAttachmentsService
    ) -> schemas.TodoAttachment:
        return await todo_files.upload(todo_id, upload_body(request))

    @get("/", summary="The files of a todo you may see")
    async def list_todo_attachments(
        self,
        todo_id: int,
        todo_files: TodoAttachmentsService,
        uploaded_by: int | None = None,
        sort: FileSort = "-created_at",
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> Page[schemas.TodoAttachment]:
        return await todo_files.list(todo_id, uploaded_by, sort, limit, offset)

    @get("/{attachment_id:int}", summary="A todo file's details")
    async def read_todo_attachment(
        self, todo_id: int, attachment_id: int, todo_files: TodoAttachmentsService
    ) -> schemas.TodoAttachment:
        return await todo_files.get(todo_id, attachment_id)

    @get("/{attachment_id:int}/download", summary="A todo file's content, with its original name")
    async def download_todo_attachment(
        self, todo_id: int, attachment_id: int, todo_files: TodoAttachmentsService
    ) -> Stream:
        return download_response(await todo_files.download(todo_id, attachment_id))

    @delete("/{attachment_id:int}", summary="Delete a todo's file (soft)")
    async def delete_todo_attachment(
        self, todo_id: int, attachment_id: int, todo_files: TodoAttachmentsService
    ) -> None:
        await todo_files.delete(todo_id, attachment_id)
