"""Files as clients see them: metadata and a download link; storage paths never leave the server."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from models.enums import UploadStatus
from server.schemas import Id

EntityType = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^[a-z][a-z0-9_]*$")]
Description = Annotated[str, msgspec.Meta(max_length=2000)]
FileSort = Literal[
    "created_at", "-created_at", "filename", "-filename", "file_size", "-file_size", "id", "-id"
]


class AttachmentForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The text fields of `POST /api/attachments` (the file travels as the `file` part)."""

    entity_type: EntityType
    entity_id: Id
    description: Description | None = None


class TodoAttachmentForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    description: Description | None = None


class AttachmentFilters(msgspec.Struct, kw_only=True):
    entity_type: EntityType
    entity_id: Id
    uploaded_by: int | None = None


class Attachment(msgspec.Struct, kw_only=True):
    id: int
    entity_type: str
    entity_id: int
    filename: str
    mime_type: str
    file_size: int
    file_hash: str | None
    description: str | None
    upload_status: UploadStatus
    uploaded_by: int
    company_id: int
    created_at: datetime
    updated_at: datetime
    download_url: str


class TodoAttachment(msgspec.Struct, kw_only=True):
    id: int
    todo_id: int
    filename: str
    mime_type: str
    file_size: int
    file_hash: str | None
    """sha256 of the content (from the object key; the table has no column of its own)."""
    description: str | None
    uploaded_by: int
    created_at: datetime
    updated_at: datetime
    download_url: str
