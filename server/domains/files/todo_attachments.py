"""`todo_attachments`: a todo's files, through the same mechanism as `attachments`.

The todo decides (its registered owner check, entity type "todo"): who may see it may list,
read and download its files; who may change it may upload and delete them. Content is kept
in the todo's company namespace, so it is shared with identical files of that company.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import Todo, TodoAttachment
from server.domains.files import schemas
from server.domains.files.intake import UploadBody
from server.domains.files.naming import hash_of_key
from server.domains.files.schemas import TodoAttachmentForm
from server.domains.files.services import Download, FileKeeper, parse_form
from server.errors import NotFound
from server.listing import order_by, paginate
from server.schemas import Page

ENTITY_TYPE = "todo"
SORTS: dict[str, Any] = {
    "created_at": TodoAttachment.created_at,
    "filename": TodoAttachment.filename,
    "file_size": TodoAttachment.file_size,
    "id": TodoAttachment.id,
}


def todo_attachment_out(row: TodoAttachment) -> schemas.TodoAttachment:
    return schemas.TodoAttachment(
        id=row.id,
        todo_id=row.todo_id,
        filename=row.filename,
        mime_type=row.mime_type,
        file_size=row.file_size,
        file_hash=hash_of_key(row.file_path),
        description=row.description,
        uploaded_by=row.uploaded_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        download_url=f"/api/todos/{row.todo_id}/attachments/{row.id}/download",
    )


class TodoAttachmentsService:
    def __init__(self, files: FileKeeper) -> None:
        self.files = files
        self.db = files.db
        self.principal = files.principal

    async def upload(self, todo_id: int, body: UploadBody) -> schemas.TodoAttachment:
        async with self.files.receive(body) as form:
            data = parse_form(form, TodoAttachmentForm)
            await self.files.check(ENTITY_TYPE, todo_id, write=True)
            company_id = await self.db.scalar(select(Todo.company_id).where(Todo.id == todo_id))
            if company_id is None:
                raise NotFound(f"Todo {todo_id} was not found.")
            stored = await self.files.keep(form, company_id)
        row = TodoAttachment(
            todo_id=todo_id,
            filename=stored.filename,
            stored_filename=stored.stored_filename,
            file_path=stored.file_path,
            file_size=stored.file_size,
            mime_type=stored.mime_type,
            description=data.description,
            uploaded_by=self.principal.user_id,
        )
        self.db.add(row)
        await self.db.flush()
        await self.db.refresh(row)
        return todo_attachment_out(row)

    async def list(
        self, todo_id: int, uploaded_by: int | None, sort: str, limit: int, offset: int
    ) -> Page[schemas.TodoAttachment]:
        await self.files.check(ENTITY_TYPE, todo_id, write=False)
        statement = select(TodoAttachment).where(
            TodoAttachment.todo_id == todo_id, TodoAttachment.is_deleted.is_(False)
        )
        if uploaded_by is not None:
            statement = statement.where(TodoAttachment.uploaded_by == uploaded_by)
        rows, total = await paginate(self.db, order_by(statement, sort, SORTS), limit, offset)
        return Page(items=[todo_attachment_out(row) for row in rows], total=total)

    async def get(self, todo_id: int, attachment_id: int) -> schemas.TodoAttachment:
        return todo_attachment_out(await self._visible(todo_id, attachment_id, write=False))

    async def download(self, todo_id: int, attachment_id: int) -> Download:
        row = await self._visible(todo_id, attachment_id, write=False)
        return await self.files.download(row.file_path, row.filename, row.mime_type)

    async def delete(self, todo_id: int, attachment_id: int) -> None:
        row = await self._visible(todo_id, attachment_id, write=True)
        row.mark_deleted(self.principal.user_id)
        await self.db.flush()

    async def _visible(self, todo_id: int, attachment_id: int, *, write: bool) -> TodoAttachment:
        """The todo's check first (its 404 / 403), then the live row of that todo or 404."""
        await self.files.check(ENTITY_TYPE, todo_id, write=write)
        row = await self.db.scalar(
            select(TodoAttachment).where(
                TodoAttachment.id == attachment_id,
                TodoAttachment.todo_id == todo_id,
                TodoAttachment.is_deleted.is_(False),
            )
        )
        if row is None:
            raise NotFound(f"Attachment {attachment_id} was not found.")
        return row
