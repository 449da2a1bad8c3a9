"""`attachments`: files hung on any entity type that registered an owner check.

Who may do what is exactly what the owning entity allows (`owners.check_owner`): seeing the
entity lets one list, read and download its files; changing it lets one upload and delete.
Rows of an entity type no domain registered (older rows, demo data) are visible to their
uploader and a system_admin only. A row belongs to its uploader's company, the namespace in
which identical content is stored once; an account without a company cannot upload here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import Attachment
from models.enums import UploadStatus
from server.domains.files import owners, schemas
from server.domains.files.intake import UploadBody
from server.domains.files.schemas import AttachmentFilters, AttachmentForm
from server.domains.files.services import Download, FileKeeper, parse_form
from server.errors import FieldError, Forbidden, InvalidInput, NotFound
from server.listing import order_by, paginate
from server.schemas import Page

DEDICATED_ROUTES = {"todo": "/api/todos/{todo_id}/attachments"}
"""Entity types whose files live in a table of their own, not in `attachments`."""

SORTS: dict[str, Any] = {
    "created_at": Attachment.created_at,
    "filename": Attachment.filename,
    "file_size": Attachment.file_size,
    "id": Attachment.id,
}


def attachment_out(row: Attachment) -> schemas.Attachment:
    return schemas.Attachment(
        id=row.id,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        filename=row.filename,
        mime_type=row.mime_type,
        file_size=row.file_size,
        file_hash=row.file_hash,
        description=row.description,
        upload_status=row.upload_status,
        uploaded_by=row.uploaded_by,
        company_id=row.company_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        download_url=f"/api/attachments/{row.id}/download",
    )


def _general(entity_type: str) -> None:
    if entity_type in DEDICATED_ROUTES:
        message = f"{entity_type} files go to {DEDICATED_ROUTES[entity_type]}"
        raise InvalidInput(errors=[FieldError(field="entity_type", message=message)])


class AttachmentsService:
    def __init__(self, files: FileKeeper) -> None:
        self.files = files
        self.db = files.db
        self.principal = files.principal

    async def upload(self, body: UploadBody) -> schemas.Attachment:
        async with self.files.receive(body) as form:
            data = parse_form(form, AttachmentForm)
            _general(data.entity_type)
            await self.files.check(data.entity_type, data.entity_id, write=True)
            company_id = self.principal.company_id
            if company_id is None:
                raise Forbidden("Files belong to a company; an account without one cannot upload them.")
            stored = await self.files.keep(form, company_id)
        row = Attachment(
            entity_type=data.entity_type,
            entity_id=data.entity_id,
            filename=stored.filename,
            stored_filename=stored.stored_filename,
            file_path=stored.file_path,
            file_size=stored.file_size,
            mime_type=stored.mime_type,
            file_hash=stored.file_hash,
            description=data.description,
            upload_status=UploadStatus.COMPLETED,
            uploaded_by=self.principal.user_id,
            company_id=company_id,
        )
        self.db.add(row)
        await self.db.flush()
        await self.db.refresh(row)
        return attachment_out(row)

    async def list(
        self, filters: AttachmentFilters, sort: str, limit: int, offset: int
    ) -> Page[schemas.Attachment]:
        _general(filters.entity_type)
        await self.files.check(filters.entity_type, filters.entity_id, write=False)
        statement = select(Attachment).where(
            Attachment.entity_type == filters.entity_type,
            Attachment.entity_id == filters.entity_id,
            Attachment.is_deleted.is_(False),
        )
        if filters.uploaded_by is not None:
            statement = statement.where(Attachment.uploaded_by == filters.uploaded_by)
        rows, total = await paginate(self.db, order_by(statement, sort, SORTS), limit, offset)
        return Page(items=[attachment_out(row) for row in rows], total=total)

    async def get(self, attachment_id: int) -> schemas.Attachment:
        return attachment_out(await self._visible(attachment_id, write=False))

    async def download(self, attachment_id: int) -> Download:
        row = await self._visible(attachment_id, write=False)
        return await self.files.download(row.file_path, row.filename, row.mime_type)

    async def delete(self, attachment_id: int) -> None:
        row = await self._visible(attachment_id, write=True)
        row.mark_deleted(self.principal.user_id)
        await self.db.flush()

    async def _visible(self, attachment_id: int, *, write: bool) -> Attachment:
        """The live row, or 404 alike for a missing, deleted or unseeable one (403: may see, not change)."""
        missing = f"Attachment {attachment_id} was not found."
        row = await self.db.scalar(
            select(Attachment).where(Attachment.id == attachment_id, Attachment.is_deleted.is_(False))
        )
        if row is None:
            raise NotFound(missing)
        try:
            if row.entity_type in owners.entity_types():
                await self.files.check(row.entity_type, row.entity_id, write=write)
            elif not (self.principal.is_system_admin or row.uploaded_by == self.principal.user_id):
                raise NotFound(missing)
        except NotFound:
            raise NotFound(missing) from None
        return row
