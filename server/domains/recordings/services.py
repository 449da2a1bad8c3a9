"""Recordings read, downloaded and deleted through `access`; bytes through the file storage.

Deleting soft-deletes the row (the seed's columns) and removes its bytes after the commit,
unless another row still points at the same object: a live recording row, or any attachment
row (whose objects stay while any row, deleted or not, names them; `files.services`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, Meeting, MeetingRecording, TodoAttachment
from server import audit, effects
from server.auth.principal import Principal
from server.domains.recordings import access
from server.domains.recordings.ranges import byte_range
from server.domains.recordings.schemas import Recording, recording_out
from server.errors import NotFound
from server.schemas import Page
from server.storage import MissingObject, Storage


@dataclass(frozen=True, slots=True)
class Served:
    """A download: the slice served (None: the whole file), of how many bytes in all."""

    filename: str
    mime_type: str
    size: int
    span: tuple[int, int] | None
    chunks: AsyncIterator[bytes]


class RecordingsService:
    def __init__(self, db: AsyncSession, principal: Principal, storage: Storage) -> None:
        self.db = db
        self.principal = principal
        self.storage = storage

    async def list(self, meeting_id: int, limit: int, offset: int) -> Page[Recording]:
        meeting = await self.db.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound("No such meeting.", code="meeting_not_found")
        seen = await access.readable(self.db, self.principal, meeting)
        where = (MeetingRecording.meeting_id == meeting_id, MeetingRecording.is_deleted.is_(False), seen)
        total = await self.db.scalar(select(func.count()).select_from(MeetingRecording).where(*where))
        rows = await self.db.scalars(
            select(MeetingRecording)
            .where(*where)
            .order_by(MeetingRecording.created_at.desc(), MeetingRecording.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return Page(items=[recording_out(row) for row in rows], total=total or 0)

    async def get(self, recording_id: int) -> Recording:
        return recording_out(await access.load(self.db, self.principal, recording_id))

    async def download(self, recording_id: int, range_header: str | None) -> Served:
        row = await access.load(self.db, self.principal, recording_id)
        if not row.file_path:
            raise NotFound("This recording has no file (yet).", code="recording_not_stored")
        filename = f"recording-{row.meeting_id}-{row.id}.webm"
        mime = row.mime_type or "application/octet-stream"
        try:
            whole = await self.storage.open(row.file_path)
            span = byte_range(range_header, whole.size)
            if span is None:
                return Served(filename, mime, whole.size, None, whole.chunks)
            if isinstance(whole.chunks, AsyncGenerator):
                await whole.chunks.aclose()
            part = await self.storage.open_range(row.file_path, *span)
        except MissingObject:
            raise NotFound("The content of this recording is not available.") from None
        return Served(filename, mime, whole.size, span, part.chunks)

    async def delete(self, recording_id: int) -> None:
        row = await access.load(self.db, self.principal, recording_id, write=True)
        row.mark_deleted(self.principal.user_id)
        audit.note(
            self.db, "meeting_recordings.delete", "meeting_recordings", row.id, company_id=row.company_id
        )
        key = row.file_path
        if key and not await self._shared(key, row.id):
            storage = self.storage

            async def remove() -> None:
                await storage.delete(key)

            effects.after_commit(self.db, remove, "recording bytes")

    async def _shared(self, key: str, recording_id: int) -> bool:
        others = [
            select(MeetingRecording.id).where(
                MeetingRecording.file_path == key,
                MeetingRecording.id != recording_id,
                MeetingRecording.is_deleted.is_(False),
            ),
            select(Attachment.id).where(Attachment.file_path == key),
            select(TodoAttachment.id).where(TodoAttachment.file_path == key),
        ]
        for other in others:
            if await self.db.scalar(other.limit(1)) is not None:
                return True
        return False
