"""What a client reads before `room:join`: the room's kind, title, status, window and entry
rules, whether it may be entered now, and the ICE servers of this deployment.

Whether the caller may enter is decided by `rooms.Rooms.find`, the same rule signaling applies;
anyone who may not (another tenant, an uninvited colleague of a meeting, a code that does not
exist) gets the same 404 `room_not_found`, so a code's existence never leaks. `joinable` is
`windows.room_open`, the status and time rule of `room:join`. Reading writes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, VideoCall
from server.auth.principal import Principal
from server.domains.meetings.rooms import Room, RoomKind, Rooms
from server.domains.meetings.schemas import JoinInfo
from server.domains.meetings.windows import RoomStatus, room_open
from server.settings import Settings


class JoinInfoService:
    def __init__(self, db: AsyncSession, principal: Principal, settings: Settings) -> None:
        self.db = db
        self.principal = principal
        self.settings = settings

    async def join_info(self, code: str) -> JoinInfo:
        room = await Rooms(self.db, self.principal).find(code)
        status, actual_start, actual_end = await self._life(room)
        return JoinInfo(
            kind=room.kind,
            title=room.title,
            status=status,
            scheduled_start=room.scheduled_start,
            scheduled_end=room.scheduled_end,
            actual_start=actual_start,
            actual_end=actual_end,
            joinable=room_open(status, room.scheduled_end, datetime.now(UTC)),
            password_required=room.password_required,
            lobby=room.lobby,
            max_participants=room.max_participants,
            recording_enabled=room.recording_enabled,
            ice_servers=list(self.settings.ice_servers),
        )

    async def _life(self, room: Room) -> tuple[RoomStatus, datetime | None, datetime | None]:
        """The room's status and when it actually started and ended."""
        model: type[Meeting] | type[VideoCall] = Meeting if room.kind is RoomKind.MEETING else VideoCall
        row = (
            await self.db.execute(
                select(model.status, model.actual_start, model.actual_end).where(model.id == room.id)
            )
        ).one()
        return RoomStatus(row[0]), row[1], row[2]
