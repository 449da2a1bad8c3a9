"""/api/presence: online, away or offline, with last seen, for people you may message."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.presence.services import PresenceService
from server.presence import UserPresence


def provide_presence(db: AsyncSession, principal: Principal, state: State) -> PresenceService:
    return PresenceService(db, principal, state.ctx)


class PresenceController(Controller):
    path = "/api/presence"
    tags = ["messages"]
    dependencies = {"presence": Provide(provide_presence, sync_to_thread=False)}

    @get("/", summary="Presence of up to 100 users (`?user_id=1&user_id=2`)")
    async def read_presence(
        self,
        presence: PresenceService,
        user_id: Annotated[list[int], Parameter(min_items=1, max_items=100)],
    ) -> list[UserPresence]:
        return await presence.of(user_id)
