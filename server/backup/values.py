"""Raw column values as JSON and back, exactly: what the driver returned is what is restored.

Rows are read and written below the ORM's column types (no time-zone conversion, no JSON
decoding, no enum checks), so a restored row holds the same bytes as the dumped one. JSON has
no date or bytes type: those travel as one-key objects (`{"$datetime": "…"}`).
"""

from __future__ import annotations

import base64
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any


def encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$seconds": value.total_seconds()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, set):  # MySQL SET columns
        return {"$set": sorted(value)}
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((tag, raw),) = value.items()
    match tag:
        case "$datetime":
            return datetime.fromisoformat(raw)
        case "$date":
            return date.fromisoformat(raw)
        case "$time":
            return time.fromisoformat(raw)
        case "$seconds":
            return timedelta(seconds=raw)
        case "$decimal":
            return Decimal(raw)
        case "$bytes":
            return base64.b64decode(raw)
        case "$set":
            return set(raw)
    raise ValueError(f"unknown value tag {tag!r}")
