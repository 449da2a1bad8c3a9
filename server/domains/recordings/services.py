"""Recordings of both room kinds read, downloaded and deleted through `access`; bytes through
the file storage.

Deleting soft-deletes the row (the seed's columns) and removes its bytes after the commit,
unless another row still points at the same object: a live recording row, or any attachment
row (whose objects stay while any row, deleted or not, names them; `files.services`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, MeetingRecording, TodoAttachment
from server import audit, effects
from server.auth.principal import Principal
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings import access
from server.domains.recordings.ranges import byte_range
from server.domains.recordings.schemas import Recording, recording_out
from server.domains.recordings.takes import CALL_ENTITY, MEETING_FILE_ENTITY, Ref, Take
from server.errors import Conflict, NotFound
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


def own_file(take: Take) -> Select[tuple[Attachment]]:
    """The recording's own attachment rows: the call's recording itself, or a meeting's file."""
    if isinstance(take.row, Attachment):
        return select(Attachment).where(Attachment.id == take.row.id)
    return select(Attachment).where(
        Attachment.entity_type == MEETING_FILE_ENTITY, Attachment.entity_id == take.row.id
    )


class RecordingsService:
    def __init__(self, db: AsyncSession, principal: Principal, storage: Storage) -> None:
        self.db = db
        self.principal = principal
        self.storage = storage

    async def list(self, kind: RoomKind, room_id: int, limit: int, offset: int) -> Page[Recording]:
        seen = await access.readable(self.db, self.principal, kind, room_id)
        model: type[MeetingRecording | Attachment]
        if kind is RoomKind.MEETING:
            model, of_room = MeetingRecording, MeetingRecording.meeting_id == room_id
        else:
            model = Attachment
            of_room = and_(Attachment.entity_type == CALL_ENTITY, Attachment.entity_id == room_id)
        statement = select(model).where(of_room, model.is_deleted.is_(False), seen)
        total = await self.db.scalar(select(func.count()).select_from(statement.subquery()))
        page = statement.order_by(model.created_at.desc(), model.id.desc()).limit(limit).offset(offset)
        rows: list[MeetingRecording | Attachment] = list(await self.db.scalars(page))
        items = [recording_out(Take(Ref(kind, row.id), row)) for row in rows]
        return Page(items=items, total=total or 0)

    async def get(self, ref: Ref, room_id: int | None = None) -> Recording:
        return recording_out(await self._load(ref, room_id))

    async def download(self, ref: Ref, range_header: str | None, room_id: int | None = None) -> Served:
        take = await self._load(ref, room_id)
        key = take.file_path
        if key is None:
            raise NotFound("This recording has no file (yet).", code="recording_not_stored")
        filename = f"recording-{take.room_key.replace(':', '-')}-{ref.id}.webm"
        mime = take.row.mime_type or "application/octet-stream"
        try:
            whole = await self.storage.open(key)
            span = byte_range(range_header, whole.size)
            if span is None:
                return Served(filename, mime, whole.size, None, whole.chunks)
            if isinstance(whole.chunks, AsyncGenerator):
                await whole.chunks.aclose()
            part = await self.storage.open_range(key, *span)
        except MissingObject:
            raise NotFound("The content of this recording is not available.") from None
        return Served(filename, mime, whole.size, span, part.chunks)

    async def delete(self, ref: Ref, room_id: int | None = None) -> None:
        take = await self._load(ref, room_id, write=True)
        if take.live:
            raise Conflict("This recording is still being recorded or stored.", code="recording_in_progress")
        take.row.mark_deleted(self.principal.user_id)
        for file_row in await self.db.scalars(own_file(take)):
            file_row.mark_deleted(self.principal.user_id)
        entity_type, entity_id = take.audit_entity()
        audit.note(self.db, f"{entity_type}.delete", entity_type, entity_id, company_id=take.company_id)
        key = take.file_path
        if key and not await self._shared(key, take):
            storage = self.storage

            async def remove() -> None:
                await storage.delete(key)

            effects.after_commit(self.db, remove, "recording bytes")

    async def _load(self, ref: Ref, room_id: int | None, *, write: bool = False) -> Take:
        """The recording through `access`; 404 alike when it is not of the room in the path."""
        take = await access.load(self.db, self.principal, ref, write=write)
        if room_id is not None and take.room_id != room_id:
            raise access.not_found()
        return take

    async def _shared(self, key: str, take: Take) -> bool:
        """Whether another row still names the object (content is stored once per company)."""
        meeting_row = MeetingRecording.id != take.row.id if isinstance(take.row, MeetingRecording) else true()
        others = [
            select(MeetingRecording.id).where(
                MeetingRecording.file_path == key, meeting_row, MeetingRecording.is_deleted.is_(False)
            ),
            select(Attachment.id).where(
                Attachment.file_path == key,
                Attachment.id.not_in(own_file(take).with_only_columns(Attachment.id)),
            ),
            select(TodoAttachment.id).where(TodoAttachment.file_path == key),
        ]
        for other in others:
            if await self.db.scalar(other.limit(1)) is not None:
                return True
        return False
