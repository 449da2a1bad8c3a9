"""The current user's own settings: one row per key, typed, sealed at rest when asked.

Settings belong to a user, not to a company, so the scope is the principal's own user id;
nobody reads or writes another user's settings, not even an admin.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import UserSetting
from server.auth.principal import Principal
from server.crypto import SecretBox
from server.domains.settings import values
from server.domains.settings.schemas import SettingCreate, SettingOut, SettingUpdate
from server.errors import Conflict, FieldError, InvalidInput, NotFound
from server.listing import order_by, paginate
from server.schemas import Page

SORTABLE = {"id": UserSetting.id, "key": UserSetting.setting_key, "updated_at": UserSetting.updated_at}
PURPOSE = "user-settings"


class SettingsService:
    def __init__(self, db: AsyncSession, principal: Principal, secret_key: str) -> None:
        self.db = db
        self.principal = principal
        self.box = SecretBox(secret_key, PURPOSE)

    def _own(self) -> Select[tuple[UserSetting]]:
        return select(UserSetting).where(UserSetting.user_id == self.principal.user_id)

    @staticmethod
    def _named(key: str) -> ColumnElement[bool]:
        # Keys match case-insensitively on every backend, as MySQL's utf8mb4_unicode_ci unique
        # key (user_id, setting_key) already does: "Theme" and "theme" are one setting.
        return func.lower(UserSetting.setting_key) == key.lower()

    async def _get(self, key: str) -> UserSetting:
        setting = await self.db.scalar(self._own().where(self._named(key)))
        if setting is None:
            raise NotFound(f"Setting {key!r} was not found.")
        return setting

    def _read(self, setting: UserSetting) -> Any:
        stored = setting.setting_value
        if stored is not None and setting.is_encrypted:
            try:
                stored = self.box.open(stored)
            except ValueError:
                raise Conflict(
                    f"Setting {setting.setting_key!r} was sealed with another SECRET_KEY.",
                    code="setting_unreadable",
                ) from None
        return values.decode(stored, setting.data_type)

    def _out(self, setting: UserSetting) -> SettingOut:
        return SettingOut(
            key=setting.setting_key,
            value=self._read(setting),
            data_type=setting.data_type,
            is_encrypted=setting.is_encrypted,
            category=setting.category,
            description=setting.description,
            created_at=setting.created_at,
            updated_at=setting.updated_at,
        )

    def _store(self, setting: UserSetting, value: Any) -> None:
        problem = values.check(value, setting.data_type)
        if problem is not None:
            raise InvalidInput(errors=[FieldError(field="value", message=f"{problem} ({setting.data_type})")])
        text = values.encode(value, setting.data_type)
        if text is not None and setting.is_encrypted:
            text = self.box.seal(text)
        if text is not None and len(text.encode()) > values.MAX_STORED_BYTES:
            raise InvalidInput(errors=[FieldError(field="value", message="is too large")])
        setting.setting_value = text

    async def search(self, *, limit: int, offset: int, sort: str, category: str | None) -> Page[SettingOut]:
        statement = self._own()
        if category is not None:
            statement = statement.where(UserSetting.category == category)
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[self._out(s) for s in rows], total=total)

    async def get(self, key: str) -> SettingOut:
        return self._out(await self._get(key))

    async def create(self, data: SettingCreate) -> SettingOut:
        if await self.db.scalar(self._own().where(self._named(data.key))) is not None:
            raise Conflict(f"Setting {data.key!r} already exists.", code="setting_exists")
        setting = UserSetting(
            user_id=self.principal.user_id,
            setting_key=data.key,
            data_type=data.data_type,
            is_encrypted=data.is_encrypted,
            category=data.category,
            description=data.description,
        )
        self._store(setting, data.value)
        self.db.add(setting)
        await self.db.flush()
        await self.db.refresh(setting)
        return self._out(setting)

    async def update(self, key: str, data: SettingUpdate) -> SettingOut:
        setting = await self._get(key)
        value = self._read(setting) if data.value is msgspec.UNSET else data.value
        # Re-seal only when the value, its type or its encryption changes: sealing again gives
        # new ciphertext, which would show up as a change of the value in the audit trail.
        reseal = (
            data.value is not msgspec.UNSET
            or data.data_type not in (msgspec.UNSET, setting.data_type)
            or data.is_encrypted not in (msgspec.UNSET, setting.is_encrypted)
        )
        if data.data_type is not msgspec.UNSET:
            setting.data_type = data.data_type
        if data.is_encrypted is not msgspec.UNSET:
            setting.is_encrypted = data.is_encrypted
        if data.category is not msgspec.UNSET:
            setting.category = data.category
        if data.description is not msgspec.UNSET:
            setting.description = data.description
        if reseal:
            self._store(setting, value)
        await self.db.flush()
        await self.db.refresh(setting)
        return self._out(setting)

    async def delete(self, key: str) -> None:
        await self.db.delete(await self._get(key))
        await self.db.flush()
