"""A recording of either room kind, as the recorder's lifecycle sees it: its reference, and its
row behind one interface.

- A **meeting**'s recording is a `meeting_recordings` row (every column it needs).
- A **video call**'s recording is an `attachments` row of entity type `video_call_recording`
  hung on the call (`video_calls` and `meeting_recordings` have nowhere else to keep it; the
  latter's `meeting_id` is a required foreign key). What the attachment has no column for (the
  five statuses, started/ended, duration) is a typed JSON document in its `description`
  (`TakeInfo`); `upload_status` mirrors the status (`pending` while pending or processing,
  `completed` once ready or partial, `failed`), so the generic files API tells the truth too.

A `Ref` names one recording across kinds (row ids of the two tables overlap): the recorder's
job, lease, spool file and mailbox are keyed by its `name` (`meeting-5`, `video_call-3`), while
inside a room (`recording:state`, the room's recording state) the row id alone is unambiguous.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, MeetingRecording, VideoCall
from models.enums import ProcessingStatus, UploadStatus
from server.domains.meetings.rooms import RoomKind

CALL_ENTITY = "video_call_recording"
"""`attachments.entity_type` of a video call's recording (its `entity_id` is the call's id)."""
MEETING_FILE_ENTITY = "meeting_recording"
"""`attachments.entity_type` of a meeting recording's stored file (its `entity_id` is the
`meeting_recordings` row's id): every recorded file is an attachment, read-only there."""
MIME_TYPE = "video/webm"
ACTIVE = (ProcessingStatus.PENDING, ProcessingStatus.PROCESSING)


@dataclass(frozen=True, slots=True)
class Ref:
    kind: RoomKind
    id: int

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.id}"

    @classmethod
    def parse(cls, name: str) -> Ref:
        kind, _, raw = name.rpartition("-")
        return cls(RoomKind(kind), int(raw))


class TakeInfo(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A recording's status and times: the `description` of a video call's recording
    attachment, the columns of a meeting's `meeting_recordings` row."""

    status: ProcessingStatus
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration_seconds: int | None = None


def call_info(row: Attachment) -> TakeInfo:
    try:
        return msgspec.json.decode(row.description or "", type=TakeInfo)
    except msgspec.DecodeError:  # written by hand: treat as finished and unusable
        return TakeInfo(status=ProcessingStatus.FAILED)


_UPLOAD_STATUS = {
    ProcessingStatus.PENDING: UploadStatus.PENDING,
    ProcessingStatus.PROCESSING: UploadStatus.PENDING,
    ProcessingStatus.READY: UploadStatus.COMPLETED,
    ProcessingStatus.PARTIAL: UploadStatus.COMPLETED,
    ProcessingStatus.FAILED: UploadStatus.FAILED,
}


class Take:
    """One recording's row, whichever table holds it; changes are made through its setters."""

    def __init__(self, ref: Ref, row: MeetingRecording | Attachment) -> None:
        self.ref, self.row = ref, row
        self._info = call_info(row) if isinstance(row, Attachment) else None

    @property
    def room_key(self) -> str:
        return f"{self.ref.kind}:{self.room_id}"

    @property
    def company_id(self) -> int:
        return self.row.company_id

    @property
    def room_id(self) -> int:
        return self.row.meeting_id if isinstance(self.row, MeetingRecording) else self.row.entity_id

    @property
    def meeting_id(self) -> int | None:
        return self.row.meeting_id if isinstance(self.row, MeetingRecording) else None

    @property
    def info(self) -> TakeInfo:
        """Status and times, whichever table keeps them (a copy: change them with `update`)."""
        if isinstance(self.row, MeetingRecording):
            row = self.row
            return TakeInfo(
                status=row.status,
                started_at=row.started_at,
                ended_at=row.ended_at,
                duration_seconds=row.duration_seconds,
            )
        return msgspec.structs.replace(self._call_info())

    @property
    def status(self) -> ProcessingStatus:
        return self.info.status

    @property
    def started_by(self) -> int | None:
        return self.row.started_by if isinstance(self.row, MeetingRecording) else self.row.uploaded_by

    @property
    def file_path(self) -> str | None:
        return self.row.file_path or None

    def _call_info(self) -> TakeInfo:
        assert self._info is not None
        return self._info

    @property
    def live(self) -> bool:
        return not self.row.is_deleted and self.status in ACTIVE

    def update(
        self,
        status: ProcessingStatus,
        *,
        started_at: datetime | None = None,
        ended_at: datetime | None = None,
        duration_seconds: int | None = None,
    ) -> None:
        """Set the status and the times given (None leaves a time as it is)."""
        if isinstance(self.row, MeetingRecording):
            row = self.row
            row.status = status
            row.started_at = started_at or row.started_at
            row.ended_at = ended_at or row.ended_at
            row.duration_seconds = duration_seconds if duration_seconds is not None else row.duration_seconds
            return
        info = self._call_info()
        info.status = status
        info.started_at = started_at or info.started_at
        info.ended_at = ended_at or info.ended_at
        info.duration_seconds = duration_seconds if duration_seconds is not None else info.duration_seconds
        self.row.description = msgspec.json.encode(info).decode()
        self.row.upload_status = _UPLOAD_STATUS[status]

    def store(self, db: AsyncSession, stored: tuple[str, int, str], owner: int) -> None:
        """Point the row at its stored object (key, size, sha256); a meeting's file also becomes
        its attachment (a call's recording is one already), uploaded by whoever started the
        recording, else the room's `owner`."""
        key, size, digest = stored
        self.row.file_path, self.row.file_size = key, size
        if isinstance(self.row, Attachment):
            self.row.file_hash = digest
            return
        db.add(
            Attachment(
                entity_type=MEETING_FILE_ENTITY,
                entity_id=self.row.id,
                filename=f"recording-meeting-{self.row.meeting_id}-{self.row.id}.webm",
                stored_filename=f"recording-{secrets.token_hex(16)}.webm",
                file_path=key,
                file_size=size,
                mime_type=MIME_TYPE,
                file_hash=digest,
                upload_status=UploadStatus.COMPLETED,
                uploaded_by=self.row.started_by or owner,
                company_id=self.row.company_id,
            )
        )

    def audit_entity(self) -> tuple[str, int]:
        """The audit trail's (entity_type, entity_id) of this recording."""
        table = "meeting_recordings" if isinstance(self.row, MeetingRecording) else "attachments"
        return table, self.row.id


async def load(db: AsyncSession, ref: Ref) -> Take | None:
    if ref.kind is RoomKind.MEETING:
        meeting_row = await db.get(MeetingRecording, ref.id)
        return Take(ref, meeting_row) if meeting_row is not None else None
    call_row = await db.get(Attachment, ref.id)
    if call_row is None or call_row.entity_type != CALL_ENTITY:
        return None
    return Take(ref, call_row)


async def create(db: AsyncSession, kind: RoomKind, room_id: int, company_id: int, user_id: int | None) -> Ref:
    """The row of a room's new recording, pending its recorder."""
    if kind is RoomKind.MEETING:
        meeting_row = MeetingRecording(
            meeting_id=room_id,
            company_id=company_id,
            started_by=user_id,
            status=ProcessingStatus.PENDING,
            mime_type=MIME_TYPE,
        )
        db.add(meeting_row)
        await db.flush()
        return Ref(kind, meeting_row.id)
    call = await db.get_one(VideoCall, room_id)
    stored_filename = f"recording-{secrets.token_hex(16)}.webm"
    call_row = Attachment(
        entity_type=CALL_ENTITY,
        entity_id=room_id,
        filename=stored_filename,
        stored_filename=stored_filename,
        file_path="",
        file_size=0,
        mime_type=MIME_TYPE,
        description=msgspec.json.encode(TakeInfo(status=ProcessingStatus.PENDING)).decode(),
        upload_status=UploadStatus.PENDING,
        uploaded_by=user_id or call.host_id,
        company_id=company_id,
    )
    db.add(call_row)
    await db.flush()
    call_row.filename = f"recording-call-{room_id}-{call_row.id}.webm"
    return Ref(kind, call_row.id)


async def unfinished(db: AsyncSession) -> list[Ref]:
    """Every recording still pending or processing, of both kinds (found after a crash)."""
    meetings = await db.scalars(select(MeetingRecording.id).where(MeetingRecording.status.in_(ACTIVE)))
    found = [Ref(RoomKind.MEETING, recording_id) for recording_id in meetings]
    calls = await db.scalars(
        select(Attachment).where(
            Attachment.entity_type == CALL_ENTITY,
            Attachment.upload_status == UploadStatus.PENDING,
            Attachment.is_deleted.is_(False),
        )
    )
    found += [Ref(RoomKind.CALL, row.id) for row in calls if call_info(row).status in ACTIVE]
    return found
