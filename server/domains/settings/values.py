"""Typed setting values to and from the text column `user_settings.setting_value`."""

from __future__ import annotations

from typing import Any

import msgspec

from models.enums import SettingDataType

MAX_STORED_BYTES = 65_535
"""`setting_value` is TEXT: 65,535 bytes (not characters) of utf8mb4 on MySQL."""
INT_RANGE = range(-(2**63), 2**63)


def check(value: Any, data_type: SettingDataType) -> str | None:
    """Why `value` is not a valid `data_type` value, or None when it is (null always is)."""
    if value is None:
        return None
    match data_type:
        case SettingDataType.STRING if not isinstance(value, str):
            return "must be a string"
        case SettingDataType.INT if isinstance(value, bool) or not isinstance(value, int):
            return "must be an integer"
        case SettingDataType.INT if value not in INT_RANGE:
            return "must fit in 64 bits"
        case SettingDataType.BOOL if not isinstance(value, bool):
            return "must be true or false"
    return None


def encode(value: Any, data_type: SettingDataType) -> str | None:
    if value is None:
        return None
    match data_type:
        case SettingDataType.STRING:
            return str(value)
        case SettingDataType.INT:
            return str(int(value))
        case SettingDataType.BOOL:
            return "true" if value else "false"
        case SettingDataType.JSON:
            return msgspec.json.encode(value).decode()


def decode(text: str | None, data_type: SettingDataType) -> Any:
    if text is None:
        return None
    match data_type:
        case SettingDataType.STRING:
            return text
        case SettingDataType.INT:
            return int(text)
        case SettingDataType.BOOL:
            return text == "true"
        case SettingDataType.JSON:
            return msgspec.json.decode(text)
