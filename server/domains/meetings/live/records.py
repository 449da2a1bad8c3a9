"""What the database keeps of a room's life: participants' join and leave times and status,
media state where the table has columns for it, the room's actual start and end, and the
recording state and consent answers (audited like every ORM change)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingParticipant, VideoCall, VideoCallParticipant
from models.enums import ConnectionQuality, MeetingStatus, ParticipantStatus, RecordingStatus, VideoCallStatus
from server import audit
from server.domains.meetings.live.state import Member
from server.domains.meetings.rooms import Room, RoomKind


def _now() -> datetime:
    return datetime.now(UTC)


async def _participant(
    db: AsyncSession, room: Room, participant_id: int
) -> MeetingParticipant | VideoCallParticipant:
    model = MeetingParticipant if room.kind is RoomKind.MEETING else VideoCallParticipant
    return await db.get_one(model, participant_id)


async def _room(db: AsyncSession, room: Room) -> Meeting | VideoCall:
    model = Meeting if room.kind is RoomKind.MEETING else VideoCall
    return await db.get_one(model, room.id)


async def waiting(db: AsyncSession, room: Room, participant_id: int) -> None:
    row = await _participant(db, room, participant_id)
    row.status = ParticipantStatus.WAITING


async def joined(db: AsyncSession, room: Room, participant_id: int) -> None:
    row = await _participant(db, room, participant_id)
    if row.status is not ParticipantStatus.JOINED:
        row.status = ParticipantStatus.JOINED
        row.joined_at = _now()
        row.left_at = None
    live = await _room(db, room)
    if live.actual_start is None:
        live.actual_start = _now()
    live.status = MeetingStatus.IN_PROGRESS if isinstance(live, Meeting) else VideoCallStatus.IN_PROGRESS


async def left(db: AsyncSession, room: Room, participant_id: int, status: ParticipantStatus) -> None:
    row = await _participant(db, room, participant_id)
    if row.status is not ParticipantStatus.JOINED and status is ParticipantStatus.LEFT:
        row.status = ParticipantStatus.LEFT
        return
    row.status = status
    row.left_at = _now()
    if isinstance(row, VideoCallParticipant) and row.joined_at is not None:
        minutes = int((row.left_at - row.joined_at).total_seconds() // 60)
        row.duration_minutes = (row.duration_minutes or 0) + minutes


async def idle(db: AsyncSession, room: Room) -> None:
    """The last participant left before the scheduled end: the room waits for people again."""
    live = await _room(db, room)
    live.status = MeetingStatus.SCHEDULED if isinstance(live, Meeting) else VideoCallStatus.SCHEDULED


async def ended(db: AsyncSession, room: Room) -> None:
    live = await _room(db, room)
    if live.actual_start is not None:
        live.actual_end = _now()
    if isinstance(live, Meeting):
        live.status = MeetingStatus.COMPLETED
        if live.recording_status in (RecordingStatus.RECORDING, RecordingStatus.PENDING_CONSENT):
            live.recording_status = RecordingStatus.STOPPED
    else:
        live.status = VideoCallStatus.ENDED
    if room.kind is RoomKind.MEETING:
        still_in = select(MeetingParticipant.id).where(
            MeetingParticipant.meeting_id == room.id, MeetingParticipant.status == ParticipantStatus.JOINED
        )
    else:
        still_in = select(VideoCallParticipant.id).where(
            VideoCallParticipant.video_call_id == room.id,
            VideoCallParticipant.status == ParticipantStatus.JOINED,
        )
    for participant_id in list(await db.scalars(still_in)):
        await left(db, room, participant_id, ParticipantStatus.LEFT)


async def media(db: AsyncSession, room: Room, member: Member) -> None:
    if room.kind is not RoomKind.CALL:
        return  # meeting_participants has no media columns; the room state holds them
    row = await db.get_one(VideoCallParticipant, member.participant_id)
    row.is_muted = member.muted
    row.is_video_enabled = member.video
    row.connection_quality = ConnectionQuality(member.quality) if member.quality else None


async def recording_status(db: AsyncSession, room: Room, status: RecordingStatus) -> None:
    if room.kind is RoomKind.MEETING:
        live = await db.get_one(Meeting, room.id)
        live.recording_status = status
    else:
        audit.note(db, f"video_calls.recording_{status}", "video_calls", room.id)


async def consent(db: AsyncSession, room: Room, participant_id: int, granted: bool) -> None:
    if room.kind is RoomKind.MEETING:
        row = await db.get_one(MeetingParticipant, participant_id)
        row.recording_consent = granted
    else:
        audit.note(
            db,
            "video_calls.recording_consent",
            "video_call_participants",
            participant_id,
            {"granted": granted},
        )
