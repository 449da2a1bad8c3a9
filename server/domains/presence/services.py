"""Presence over REST: whether people you may talk to are online, away or offline.

Presence is shown only for users the principal may message (the messages policy), so it never
reveals anyone of another tenant; anyone else reads as not found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.messages.services import MessagesService
from server.presence import Presence, UserPresence

if TYPE_CHECKING:
    from server.context import AppContext


class PresenceService:
    def __init__(self, db: AsyncSession, principal: Principal, ctx: AppContext) -> None:
        self.messages = MessagesService(db, principal, ctx.principals)
        self.principal = principal
        self.presence: Presence = ctx.presence

    async def of(self, user_ids: list[int]) -> list[UserPresence]:
        wanted = list(dict.fromkeys(user_ids))
        for user_id in wanted:
            if user_id != self.principal.user_id:
                await self.messages.recipient(user_id)
        found = await self.presence.status(wanted)
        return [found[user_id] for user_id in wanted]
