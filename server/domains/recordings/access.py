"""Who may see a recording: the room's hosts, its company's admins, and the participants who
were recorded in it (their media reached the recorder: `rows.RECORDED` audit rows). Anyone else
gets 404, exactly as for a recording that does not exist; another tenant above all.

Hosts are the people `rooms.Rooms` seats as hosts: of a meeting, its creator and its
participants in the host role; of a video call, its host and its participants in the host or
co-host role; of either, its company's company_admins and system_admins. A recorded participant
reads and downloads; deleting is for hosts (403 for the recorded, who can see it). Participants
may come from another company (a candidate's agency), so the rule is this relation, not the
tenant scope of the principal's company.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ColumnElement, Select, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Attachment,
    AuditLog,
    Meeting,
    MeetingParticipant,
    MeetingRecording,
    VideoCall,
    VideoCallParticipant,
)
from models.enums import CallRole, MeetingRole
from server.auth.principal import Principal
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings import takes
from server.domains.recordings.rows import RECORDED
from server.domains.recordings.takes import CALL_ENTITY, Ref, Take
from server.errors import Forbidden, NotFound

Standing = Literal["host", "participant"]
Room = Meeting | VideoCall


def not_found() -> NotFound:
    return NotFound("No such recording.", code="recording_not_found")


def room_not_found(kind: RoomKind) -> NotFound:
    if kind is RoomKind.MEETING:
        return NotFound("No such meeting.", code="meeting_not_found")
    return NotFound("No such video call.", code="video_call_not_found")


async def standing(db: AsyncSession, principal: Principal, room: Room) -> Standing | None:
    """What the principal is to a room's recordings: a host, a participant, or nothing."""
    owner = room.created_by if isinstance(room, Meeting) else room.host_id
    company_admin = principal.company_id == room.company_id and principal.is_company_admin
    if principal.is_system_admin or company_admin or owner == principal.user_id:
        return "host"
    if isinstance(room, Meeting):
        role = await db.scalar(
            select(MeetingParticipant.role).where(
                MeetingParticipant.meeting_id == room.id, MeetingParticipant.user_id == principal.user_id
            )
        )
        return None if role is None else "host" if role is MeetingRole.HOST else "participant"
    call_role = await db.scalar(
        select(VideoCallParticipant.role).where(
            VideoCallParticipant.video_call_id == room.id, VideoCallParticipant.user_id == principal.user_id
        )
    )
    if call_role is None:
        return None
    return "host" if call_role in (CallRole.HOST, CallRole.CO_HOST) else "participant"


def _room_recordings(kind: RoomKind, room_id: int) -> tuple[str, Select[tuple[int]]]:
    """The audit entity type of a room's recordings, and their ids."""
    if kind is RoomKind.MEETING:
        return "meeting_recordings", select(MeetingRecording.id).where(MeetingRecording.meeting_id == room_id)
    ids = select(Attachment.id).where(Attachment.entity_type == CALL_ENTITY, Attachment.entity_id == room_id)
    return "attachments", ids


async def recorded_in(db: AsyncSession, user_id: int, kind: RoomKind, room_id: int) -> set[int]:
    """The recordings of a room in which this user's media was recorded."""
    entity_type, ids = _room_recordings(kind, room_id)
    notes = await db.execute(
        select(AuditLog.entity_id, AuditLog.metadata_).where(
            AuditLog.action == RECORDED, AuditLog.entity_type == entity_type, AuditLog.entity_id.in_(ids)
        )
    )
    return {
        entity_id
        for entity_id, about in notes
        if entity_id is not None and isinstance(about, dict) and about.get("user_id") == user_id
    }


async def room(db: AsyncSession, kind: RoomKind, room_id: int) -> Room | None:
    return await db.get(Meeting if kind is RoomKind.MEETING else VideoCall, room_id)


async def readable(
    db: AsyncSession, principal: Principal, kind: RoomKind, room_id: int
) -> ColumnElement[bool]:
    """The SQL condition on the room's recording ids the principal may see; 404 for a stranger."""
    found_room = await room(db, kind, room_id)
    found = await standing(db, principal, found_room) if found_room is not None else None
    if found is None:
        raise room_not_found(kind)
    if found == "host":
        return true()
    column = MeetingRecording.id if kind is RoomKind.MEETING else Attachment.id
    return column.in_(await recorded_in(db, principal.user_id, kind, room_id))


async def load(db: AsyncSession, principal: Principal, ref: Ref, *, write: bool = False) -> Take:
    take = await takes.load(db, ref)
    if take is None or take.row.is_deleted:
        raise not_found()
    found_room = await room(db, ref.kind, take.room_id)
    found = await standing(db, principal, found_room) if found_room is not None else None
    if found == "participant" and ref.id not in await recorded_in(
        db, principal.user_id, ref.kind, take.room_id
    ):
        found = None
    if found is None:
        raise not_found()
    if write and found != "host":
        raise Forbidden("Only the room's hosts may delete its recordings.", code="not_host")
    return take


def _read_only(where: str) -> Forbidden:
    return Forbidden(
        f"Recordings are made by the recorder and deleted at {where}.", code="recording_read_only"
    )


async def check_meeting_file(db: AsyncSession, principal: Principal, recording_id: int, write: bool) -> None:
    """The files API's owner check of a meeting recording's file (`meeting_recording`
    attachments, by the recording): whoever may see the recording reads it there."""
    await load(db, principal, Ref(RoomKind.MEETING, recording_id))
    if write:
        raise _read_only(f"/api/recordings/{recording_id}")


async def check_call_recording(db: AsyncSession, principal: Principal, call_id: int, write: bool) -> None:
    """The files API's owner check of `video_call_recording` attachments, which names only the
    call: there its hosts read them (a participant sees only the recordings they are in, which
    only `/api/video-calls/{id}/recordings` can tell); nobody uploads or deletes one there."""
    found_room = await room(db, RoomKind.CALL, call_id)
    if found_room is None or await standing(db, principal, found_room) != "host":
        raise not_found()
    if write:
        raise _read_only(f"/api/video-calls/{call_id}/recordings")
