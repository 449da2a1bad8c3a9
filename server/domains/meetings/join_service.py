"""What a client reads before `room:join`: the room's kind, title, window and entry rules, and
the ICE servers of this deployment.

Whether the caller may enter is decided by `rooms.Rooms.find`, the same rule signaling applies;
anyone who may not (another tenant, an uninvited colleague of a meeting, a code that does not
exist) gets the same 404 `room_not_found`, so a code's existence never leaks.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.meetings.rooms import Rooms
from server.domains.meetings.schemas import JoinInfo
from server.settings import Settings


class JoinInfoService:
    def __init__(self, db: AsyncSession, principal: Principal, settings: Settings) -> None:
        self.db = db
        self.principal = principal
        self.settings = settings

    async def join_info(self, code: str) -> JoinInfo:
        room = await Rooms(self.db, self.principal).find(code)
        return JoinInfo(
            kind=room.kind,
            title=room.title,
            scheduled_start=room.scheduled_start,
            scheduled_end=room.scheduled_end,
            password_required=room.password_required,
            lobby=room.lobby,
            max_participants=room.max_participants,
            recording_enabled=room.recording_enabled,
            ice_servers=list(self.settings.ice_servers),
        )
