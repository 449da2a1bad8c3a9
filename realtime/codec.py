"""The JSON codec Socket.IO uses: msgspec, so structs and datetimes go out as the REST API sends them.

A packet whose JSON cannot be decoded (malformed, or nested deeper than the decoder goes, the
rule REST answers 400 for) decodes to `[Undecodable(...)]`: an event no client can name, which
the envelope answers with a `bad_request` ack when the packet asked for one
(`realtime.protocol`), instead of python-socketio logging a traceback and answering nothing.
An event packet that decodes to anything but `[name, ...]` (`{}`, `[]`, `5`, nothing) is
turned into the same by `SocketServer`, and so is one named like the server's own lifecycle
events (`connect`, `disconnect`). A packet without an ack id asked for no answer and gets
none; a connect packet whose auth cannot be decoded is refused like one without a token.
"""

from __future__ import annotations

from typing import Any

import msgspec
import socketio

_encoder = msgspec.json.Encoder()


class Undecodable(str):
    """The "event name" of a packet that could not be decoded; its text says why."""

    __slots__ = ()


TOO_DEEP = Undecodable("The event payload is nested too deeply.")
MALFORMED = Undecodable("The event payload is not valid JSON.")
NOT_AN_EVENT = Undecodable("An event is a JSON array: its name, then its payload.")


def dumps(obj: Any, **_: Any) -> str:
    return _encoder.encode(obj).decode()


def loads(data: str | bytes, **_: Any) -> Any:
    try:
        return msgspec.json.decode(data)
    except RecursionError:
        return [TOO_DEEP]
    except msgspec.DecodeError:
        return [MALFORMED]


class SocketServer(socketio.AsyncServer):  # type: ignore[misc]
    """python-socketio's server, whose event handling assumes `[name, ...]` and raises (a
    traceback, no ack) on anything else."""

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: int | None, data: Any) -> None:
        if not (isinstance(data, list) and data and isinstance(data[0], str)):
            data = [NOT_AN_EVENT]
        elif data[0] in self.reserved_events:
            # python-socketio would run its own connect or disconnect handler for it: a socket
            # could mark itself offline while connected, or log a traceback and get no ack.
            data = [Undecodable(f"{data[0]!r} is the server's own event; a client cannot send it.")]
        await super()._handle_event(eio_sid, namespace, id, data)
