"""/api/settings: the current user's own settings, addressed by key."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.settings.schemas import KEY_PATTERN, SettingCreate, SettingOut, SettingUpdate
from server.domains.settings.services import SettingsService
from server.listing import Limit, Offset
from server.schemas import Page

# A key in the path is checked like SettingCreate.key: Litestar ignores msgspec.Meta on path parameters.
SettingKey = Annotated[str, Parameter(min_length=1, max_length=100, pattern=KEY_PATTERN)]


def provide_settings(db: AsyncSession, principal: Principal, state: State) -> SettingsService:
    return SettingsService(db, principal, state.ctx.settings.secret_key)


class SettingsController(Controller):
    path = "/api/settings"
    tags = ["settings"]
    dependencies = {"user_settings": Provide(provide_settings, sync_to_thread=False)}

    @get("/", summary="Your settings")
    async def list_settings(
        self,
        user_settings: SettingsService,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: str = "key",
        category: str | None = Parameter(default=None, max_length=50),
    ) -> Page[SettingOut]:
        return await user_settings.search(limit=limit, offset=offset, sort=sort, category=category)

    @post("/", summary="Create a setting (409 when the key exists)")
    async def create_setting(self, data: SettingCreate, user_settings: SettingsService) -> SettingOut:
        return await user_settings.create(data)

    @get("/{key:str}")
    async def read_setting(self, key: SettingKey, user_settings: SettingsService) -> SettingOut:
        return await user_settings.get(key)

    @patch("/{key:str}", summary="Change a setting's value, type, encryption or description")
    async def update_setting(
        self, key: SettingKey, data: SettingUpdate, user_settings: SettingsService
    ) -> SettingOut:
        return await user_settings.update(key, data)

    @delete("/{key:str}")
    async def delete_setting(self, key: SettingKey, user_settings: SettingsService) -> None:
        await user_settings.delete(key)
