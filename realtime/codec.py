"""The JSON codec Socket.IO uses: msgspec, so structs and datetimes go out as the REST API sends them.

A packet whose JSON cannot be decoded (malformed, or nested deeper than the decoder goes, the
rule REST answers 400 for) decodes to `[Undecodable(...)]`: an event no client can name, which
the envelope answers with a `bad_request` ack when the packet asked for one
(`realtime.protocol`), instead of python-socketio logging a traceback and answering nothing.
"""

from __future__ import annotations

from typing import Any

import msgspec

_encoder = msgspec.json.Encoder()


class Undecodable(str):
    """The "event name" of a packet that could not be decoded; its text says why."""

    __slots__ = ()


TOO_DEEP = Undecodable("The event payload is nested too deeply.")
MALFORMED = Undecodable("The event payload is not valid JSON.")


def dumps(obj: Any, **_: Any) -> str:
    return _encoder.encode(obj).decode()


def loads(data: str | bytes, **_: Any) -> Any:
    try:
        return msgspec.json.decode(data)
    except RecursionError:
        return [TOO_DEEP]
    except msgspec.DecodeError:
        return [MALFORMED]
