"""What the API says about a user's settings, and what it accepts.

A value travels as JSON of its `data_type` (a string, an integer, a boolean, any JSON); the
database keeps it as text, sealed when `is_encrypted`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from models.enums import SettingDataType

KEY_PATTERN = r"^[A-Za-z0-9_.:\-]+$"
SettingKey = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=KEY_PATTERN)]
Category = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Description = Annotated[str, msgspec.Meta(max_length=1000)]


class SettingOut(msgspec.Struct, kw_only=True):
    key: str
    value: Any
    data_type: SettingDataType
    is_encrypted: bool
    category: str | None
    description: str | None
    created_at: datetime
    updated_at: datetime


class SettingCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    key: SettingKey
    value: Any = None
    data_type: SettingDataType = SettingDataType.STRING
    is_encrypted: bool = False
    category: Category | None = None
    description: Description | None = None


class SettingUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    value: Any = msgspec.UNSET
    data_type: SettingDataType | msgspec.UnsetType = msgspec.UNSET
    is_encrypted: bool | msgspec.UnsetType = msgspec.UNSET
    category: Category | msgspec.UnsetType | None = msgspec.UNSET
    description: Description | msgspec.UnsetType | None = msgspec.UNSET
