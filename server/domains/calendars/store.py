"""What the calendar tables have no column for, kept in `user_settings` rows of the connection's user.

The schema (`docs/db-definition.md`) is not ours to change, so per-user state the calendars domain
needs lives in typed, audited (value redacted) `user_settings` rows of category `calendar`:

| key | type | sealed | what |
|---|---|---|---|
| `calendar.<connection_id>.cursor` | string | yes | Google's `nextSyncToken` or Graph's `@odata.deltaLink` |
| `calendar.<connection_id>.state` | json | no | the last sync's outcome: status, detail, at, retry_at |
| `calendar.<connection_id>.event.<interview_id>` | string | no | provider's id of the interview's event |
| `calendar.oauth.<provider>.nonce` | string | no | SHA-256 of the pending authorization's nonce |
| `calendar.feed_token` | string | no | SHA-256 of the private ICS feed's secret |

Sealing is the settings domain's (`SecretBox` with its purpose), so the owner reads these rows
through `/api/settings` like any other; a user who deletes or edits them only hurts their own
sync (a missing cursor means a full resync, a missing link an event pushed again under the same
deterministic marker). Disconnecting deletes every `calendar.<connection_id>.*` row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import UserSetting
from models.enums import SettingDataType
from server.crypto import SecretBox
from server.domains.settings import values
from server.domains.settings.services import PURPOSE

CATEGORY = "calendar"
FEED_KEY = "calendar.feed_token"


def cursor_key(connection_id: int) -> str:
    return f"calendar.{connection_id}.cursor"


def state_key(connection_id: int) -> str:
    return f"calendar.{connection_id}.state"


def link_key(connection_id: int, interview_id: int) -> str:
    return f"calendar.{connection_id}.event.{interview_id}"


def nonce_key(provider: str) -> str:
    return f"calendar.oauth.{provider}.nonce"


class Store:
    def __init__(self, db: AsyncSession, secret_key: str) -> None:
        self.db = db
        self.box = SecretBox(secret_key, PURPOSE)

    async def _row(self, user_id: int, key: str) -> UserSetting | None:
        row: UserSetting | None = await self.db.scalar(
            select(UserSetting).where(UserSetting.user_id == user_id, UserSetting.setting_key == key)
        )
        return row

    async def get(self, user_id: int, key: str) -> Any:
        row = await self._row(user_id, key)
        if row is None or row.setting_value is None:
            return None
        text = row.setting_value
        if row.is_encrypted:
            try:
                text = self.box.open(text)
            except ValueError:
                return None  # sealed with another SECRET_KEY: as good as missing
        return values.decode(text, row.data_type)

    async def put(
        self,
        user_id: int,
        key: str,
        value: Any,
        *,
        data_type: SettingDataType = SettingDataType.STRING,
        sealed: bool = False,
        description: str | None = None,
    ) -> None:
        text = values.encode(value, data_type)
        if text is not None and sealed:
            text = self.box.seal(text)
        row = await self._row(user_id, key)
        if row is None:
            row = UserSetting(user_id=user_id, setting_key=key, category=CATEGORY, description=description)
            self.db.add(row)
        if (row.setting_value, row.data_type, row.is_encrypted) != (text, data_type, sealed):
            row.setting_value, row.data_type, row.is_encrypted = text, data_type, sealed
        await self.db.flush()

    async def delete(self, user_id: int, key: str) -> None:
        row = await self._row(user_id, key)
        if row is not None:
            await self.db.delete(row)
            await self.db.flush()

    async def forget_connection(self, user_id: int, connection_id: int) -> None:
        """Every row of one connection (cursor, state, links), in one statement."""
        await self.db.execute(
            delete(UserSetting).where(
                UserSetting.user_id == user_id,
                UserSetting.setting_key.like(f"calendar.{connection_id}.%"),
            )
        )

    async def links(self, interview_id: int) -> dict[int, tuple[int, str]]:
        return await links(self.db, interview_id)

    async def linked_interviews(self, user_id: int, connection_id: int) -> dict[str, int]:
        """{external event id: interview id} of the events pushed through one connection."""
        rows = await self.db.execute(
            select(UserSetting.setting_key, UserSetting.setting_value).where(
                UserSetting.user_id == user_id,
                UserSetting.setting_key.like(f"calendar.{connection_id}.event.%"),
            )
        )
        return {
            value: int(key.rsplit(".", 1)[1])
            for key, value in rows.tuples()
            if value and key.rsplit(".", 1)[1].isdigit()
        }


async def links(db: AsyncSession, interview_id: int) -> dict[int, tuple[int, str]]:
    """Every event pushed for the interview: {connection_id: (user_id, external event id)}."""
    rows = await db.execute(
        select(UserSetting.user_id, UserSetting.setting_key, UserSetting.setting_value).where(
            UserSetting.category == CATEGORY,
            UserSetting.setting_key.like(f"calendar.%.event.{interview_id}"),
        )
    )
    found = {}
    for user_id, key, value in rows.tuples():
        parts = key.split(".")
        if len(parts) == 4 and parts[1].isdigit() and parts[3] == str(interview_id) and value:
            found[int(parts[1])] = (user_id, value)
    return found
