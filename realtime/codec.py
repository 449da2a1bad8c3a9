"""The JSON codec Socket.IO uses: msgspec, so structs and datetimes go out as the REST API sends them."""

from __future__ import annotations

from typing import Any

import msgspec

_encoder = msgspec.json.Encoder()


def dumps(obj: Any, **_: Any) -> str:
    return _encoder.encode(obj).decode()


def loads(data: str | bytes, **_: Any) -> Any:
    return msgspec.json.decode(data)
