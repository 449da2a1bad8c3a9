"""One view of the two room kinds (meetings by `room_id`, video calls by `room_code`) and the
rule of who may enter one. Signaling and the join-info endpoint both decide through here.

May enter:
- a meeting: its invited participants (their row's role), and its company's company_admins and
  its creator (as host);
- a video call: its host, users with a participant row, and the staff of its company (not its
  candidates, who need an invitation).
Anyone else, another tenant above all, gets "not found", exactly as for a code that does not
exist. Passwords (a call's `room_password`, a meeting's `access_code`) bind everyone but hosts.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from enum import StrEnum

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingParticipant, User, VideoCall, VideoCallParticipant
from models.enums import CallRole, MeetingRole
from server.auth.passwords import Passwords
from server.auth.principal import Principal, RoleName
from server.domains.meetings.windows import room_open
from server.errors import AppError, Conflict, NotFound


class RoomKind(StrEnum):
    MEETING = "meeting"
    CALL = "video_call"


class Seat(StrEnum):
    """What a person is in a room: hosts run it; everyone else takes part."""

    HOST = "host"
    PARTICIPANT = "participant"


class WrongPassword(AppError):
    status = 403
    code = "wrong_password"
    detail = "The room password is wrong."


class Room(msgspec.Struct, frozen=True, kw_only=True):
    kind: RoomKind
    id: int
    code: str
    title: str
    company_id: int
    scheduled_start: datetime
    scheduled_end: datetime
    password_required: bool
    lobby: bool
    max_participants: int | None
    recording_enabled: bool
    recording_consent_required: bool

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """Who enters: their seat, their participant row, and whether they may ask to record."""

    room: Room
    participant_id: int
    user_id: int
    display_name: str
    seat: Seat
    role: str
    can_record: bool


def meeting_room(meeting: Meeting) -> Room:
    return Room(
        kind=RoomKind.MEETING,
        id=meeting.id,
        code=meeting.room_id,
        title=meeting.title,
        company_id=meeting.company_id,
        scheduled_start=meeting.scheduled_start,
        scheduled_end=meeting.scheduled_end,
        password_required=bool(meeting.access_code),
        lobby=False,
        max_participants=None,
        recording_enabled=meeting.recording_enabled,
        recording_consent_required=meeting.recording_consent_required,
    )


def call_room(call: VideoCall) -> Room:
    return Room(
        kind=RoomKind.CALL,
        id=call.id,
        code=call.room_code,
        title=call.title,
        company_id=call.company_id,
        scheduled_start=call.scheduled_start,
        scheduled_end=call.scheduled_end,
        password_required=call.password_required,
        lobby=call.waiting_room,
        max_participants=call.max_participants,
        recording_enabled=call.recording_enabled,
        recording_consent_required=True,
    )


class Rooms:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def find(self, code: str) -> Room:
        """The room behind a code, if the principal may enter it; 404 otherwise."""
        entry = await self._entry(code, seat_taken=False)
        return entry.room

    async def enter(self, code: str, password: str | None, passwords: Passwords) -> Entry:
        """The principal's entry into a room, after every check but the live ones (lobby, capacity)."""
        entry = await self._entry(code, seat_taken=True)
        await self._check_open(entry.room)
        if entry.seat is not Seat.HOST and entry.room.password_required:
            await self._check_password(entry.room, password or "", passwords)
        return entry

    async def _entry(self, code: str, *, seat_taken: bool) -> Entry:
        """`seat_taken`: give a host without a participant row one (entering, not just looking)."""
        if len(code) > 255:
            raise self._missing()
        meeting = await self.db.scalar(select(Meeting).where(Meeting.room_id == code))
        if meeting is not None:
            return await self._meeting_entry(meeting, seat_taken)
        call = await self.db.scalar(select(VideoCall).where(VideoCall.room_code == code))
        if call is not None:
            return await self._call_entry(call, seat_taken)
        raise self._missing()

    @staticmethod
    def _missing() -> NotFound:
        return NotFound("No room has this code.", code="room_not_found")

    async def _user(self) -> User:
        return await self.db.get_one(User, self.principal.user_id)

    def _company_admin_of(self, company_id: int) -> bool:
        p = self.principal
        return p.is_system_admin or (p.company_id == company_id and p.is_company_admin)

    async def _meeting_entry(self, meeting: Meeting, seat_taken: bool) -> Entry:
        me = self.principal.user_id
        row = await self.db.scalar(
            select(MeetingParticipant).where(
                MeetingParticipant.meeting_id == meeting.id, MeetingParticipant.user_id == me
            )
        )
        hosting = meeting.created_by == me or self._company_admin_of(meeting.company_id)
        if row is None and not hosting:
            raise self._missing()
        if row is None:
            row = MeetingParticipant(
                meeting_id=meeting.id, user_id=me, role=MeetingRole.HOST, can_record=True
            )
            if seat_taken:
                self.db.add(row)
                await self.db.flush()
        user = await self._user()
        host = row.role is MeetingRole.HOST or hosting
        return Entry(
            room=meeting_room(meeting),
            participant_id=row.id or 0,
            user_id=me,
            display_name=f"{user.last_name} {user.first_name}",
            seat=Seat.HOST if host else Seat.PARTICIPANT,
            role=row.role,
            can_record=row.can_record,
        )

    async def _call_entry(self, call: VideoCall, seat_taken: bool) -> Entry:
        me = self.principal.user_id
        row = await self.db.scalar(
            select(VideoCallParticipant).where(
                VideoCallParticipant.video_call_id == call.id, VideoCallParticipant.user_id == me
            )
        )
        # Candidates belong to their agency's company but are not its staff: they need an invitation.
        staff = self.principal.company_id == call.company_id and not self.principal.is_candidate_only
        colleague = staff or self.principal.is_system_admin
        if row is None and not colleague and call.host_id != me:
            raise self._missing()
        user = await self._user()
        if row is None:
            role = CallRole.HOST if call.host_id == me else CallRole.PARTICIPANT
            row = VideoCallParticipant(
                video_call_id=call.id,
                user_id=me,
                display_name=f"{user.last_name} {user.first_name}"[:100],
                role=role,
            )
            if seat_taken:
                self.db.add(row)
                await self.db.flush()
        host = call.host_id == me or row.role in (CallRole.HOST, CallRole.CO_HOST)
        return Entry(
            room=call_room(call),
            participant_id=row.id or 0,
            user_id=me,
            display_name=row.display_name,
            seat=Seat.HOST if host else Seat.PARTICIPANT,
            role=row.role,
            can_record=host and call.recording_enabled,
        )

    async def _check_open(self, room: Room) -> None:
        if not room_open(await self._status(room), room.scheduled_end, datetime.now(UTC)):
            raise Conflict("This room has ended.", code="room_closed")

    async def _status(self, room: Room) -> str:
        model = Meeting if room.kind is RoomKind.MEETING else VideoCall
        status = await self.db.scalar(select(model.status).where(model.id == room.id))
        return str(status)

    async def _check_password(self, room: Room, given: str, passwords: Passwords) -> None:
        if room.kind is RoomKind.CALL:
            stored = await self.db.scalar(select(VideoCall.room_password).where(VideoCall.id == room.id))
            if not passwords.verify(stored, given):
                raise WrongPassword()
            return
        code = await self.db.scalar(select(Meeting.access_code).where(Meeting.id == room.id))
        if not hmac.compare_digest((code or "").encode(), given.encode()):
            raise WrongPassword()


def may_manage(principal: Principal, company_id: int, owner_id: int | None) -> bool:
    """Whether the principal runs a room's settings: its owner, its company's admins, a system_admin."""
    return (
        principal.is_system_admin
        or principal.user_id == owner_id
        or (principal.company_id == company_id and RoleName.COMPANY_ADMIN in principal.roles)
    )


async def load_room(db: AsyncSession, key: str) -> Room | None:
    """The room behind a state key (`meeting:5`, `video_call:7`), for work no principal drives."""
    kind, _, raw_id = key.partition(":")
    if kind == RoomKind.MEETING:
        meeting = await db.get(Meeting, int(raw_id))
        return meeting_room(meeting) if meeting is not None else None
    if kind == RoomKind.CALL:
        call = await db.get(VideoCall, int(raw_id))
        return call_room(call) if call is not None else None
    return None
