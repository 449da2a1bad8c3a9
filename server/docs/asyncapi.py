"""The Socket.IO events as an AsyncAPI 3.0 document, generated from what the code declares.

One channel, Socket.IO's default namespace on `/socket.io/` (same origin as the API). Every
client event the domains' manifests declare (`server.sockets.SocketEvents`) and every event
the transport answers itself (`server.docs.events.TRANSPORT_EVENTS`) is a `receive` operation
whose payload schema is its msgspec struct (plus the envelope's optional `request_id`) and
whose reply is the ack; every push (`server.docs.events.PUSHES`) is a `send` operation.
Rate limits come from each event's `EventLimit`.

AsyncAPI names may not contain `:`, so `message:send` is `event.message.send` (its ack
`ack.message.send`, a push `push.message.new`); each message keeps the event's real name in
`name`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from server.docs.events import ACKS, PUSHES, SUMMARIES, TRANSPORT_EVENTS
from server.manifest import Domain
from server.ratelimit import Limit
from server.sockets import EventLimit

CHANNEL = "socket"
REF = "#/components/schemas/{name}"
MAX_EVENT_BYTES = 64 * 1024
"""As `realtime.protocol.MAX_EVENT_BYTES` (a test holds them together)."""

REQUEST_ID: dict[str, Any] = {
    "anyOf": [{"type": "string", "maxLength": 64}, {"type": "integer"}],
    "description": "Optional; echoed in the ack.",
}
ACK_ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "request_id", "error"],
    "properties": {
        "ok": {"const": False},
        "request_id": {"anyOf": [*REQUEST_ID["anyOf"], {"type": "null"}]},
        "error": {
            "type": "object",
            "required": ["code", "message", "errors"],
            "properties": {
                "code": {"type": "string", "description": "As in REST: `validation_error`, `not_found`, …"},
                "message": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class ClientEvent:
    name: str
    payload: type[msgspec.Struct]
    summary: str
    source: str
    """The domain that declares it, or `realtime` for the transport's own."""
    limit: EventLimit | None = None


def client_events(domains: Sequence[Domain]) -> list[ClientEvent]:
    events: dict[str, ClientEvent] = {}
    for domain in domains:
        for event in domain.sockets or ():
            summary = " ".join((event.handler.__doc__ or "").strip().split("\n\n")[0].split())
            summary = summary or SUMMARIES.get(event.name, "")
            events[event.name] = ClientEvent(event.name, event.payload, summary, domain.name, event.limit)
    for transport in TRANSPORT_EVENTS:
        events.setdefault(
            transport.name, ClientEvent(transport.name, transport.payload, transport.summary, "realtime")
        )
    return list(events.values())


def key(name: str) -> str:
    """An AsyncAPI-safe id for an event name (`message:send` -> `message.send`)."""
    return re.sub(r"[^A-Za-z0-9.\-_]", ".", name)


def _rate(limit: Limit) -> str:
    return f"{limit.hits} per {limit.seconds} s"


def _schemas(types: list[type[Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    refs, components = msgspec.json.schema_components(types, ref_template=REF)
    return list(refs), dict(components)


def asyncapi_document(domains: Sequence[Domain], version: str = "1.0.0") -> dict[str, Any]:
    events = client_events(domains)
    acks = [ACKS.get(e.name) for e in events]
    types: list[type[Any]] = [e.payload for e in events]
    types += [a for a in acks if a is not None]
    types += [p.payload for p in PUSHES]
    refs, schemas = _schemas(types)
    payload_refs = refs[: len(events)]
    ack_refs = iter(refs[len(events) : len(refs) - len(PUSHES)])
    push_refs = refs[len(refs) - len(PUSHES) :]

    # The envelope takes `request_id` off before validating, so every event payload allows it.
    for ref in payload_refs:
        name = ref["$ref"].rsplit("/", 1)[1]
        schemas[name] = copy.deepcopy(schemas[name])
        schemas[name].setdefault("properties", {})["request_id"] = REQUEST_ID
    schemas["AckError"] = ACK_ERROR

    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for event, payload_ref, ack_type in zip(events, payload_refs, acks, strict=True):
        ident = key(event.name)
        ok: dict[str, Any] = {
            "type": "object",
            "required": ["ok", "request_id"],
            "properties": {"ok": {"const": True}, "request_id": ACK_ERROR["properties"]["request_id"]},
        }
        if ack_type is not None:
            ok = {"allOf": [ok, next(ack_refs)]}
        messages[f"event.{ident}"] = {
            "name": event.name,
            "title": event.name,
            "summary": event.summary or f"`{event.name}` ({event.source})",
            "payload": payload_ref,
        }
        messages[f"ack.{ident}"] = {
            "name": f"{event.name} ack",
            "title": f"ack of {event.name}",
            "payload": {"oneOf": [ok, {"$ref": REF.format(name="AckError")}]},
        }
        operation: dict[str, Any] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{CHANNEL}"},
            "summary": event.summary or event.name,
            "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/event.{ident}"}],
            "reply": {
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/ack.{ident}"}],
            },
            "x-declared-by": event.source,
        }
        if event.limit is not None:
            operation["x-rate-limit"] = {
                "per_socket": _rate(event.limit.per_socket),
                "per_user": _rate(event.limit.per_user),
            }
        operations[f"receive.{ident}"] = operation

    for push, push_ref in zip(PUSHES, push_refs, strict=True):
        ident = key(push.name)
        messages[f"push.{ident}"] = {
            "name": push.name,
            "title": push.name,
            "summary": push.summary,
            "payload": push_ref,
        }
        operations[f"send.{ident}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{CHANNEL}"},
            "summary": push.summary,
            "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/push.{ident}"}],
        }

    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "MiraiWorks realtime (Socket.IO)",
            "version": version,
            "description": (
                "Socket.IO on the API's origin and port, default path `/socket.io/`, default namespace. "
                'Connect with `auth: {"token": "<access token>"}`; a refused connect\'s `connect_error` '
                "carries `data: {code, message}` (`token_expired`: refresh and reconnect; `invalid_token`: "
                "sign in again). Every client event may carry `request_id` and always gets one ack, "
                "`{ok: true, request_id, ...}` or `{ok: false, request_id, error: {code, message, errors}}`; "
                f"payloads are capped at {MAX_EVENT_BYTES} bytes and rate-limited per socket and per user. "
                "An event nobody declared is answered `unknown_event`, one sent with more than one "
                "argument `bad_request`."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "app": {
                "host": "same-origin",
                "pathname": "/socket.io/",
                "protocol": "wss",
                "description": "The API's own origin (ws:// without TLS); WebSocket, polling as a fallback.",
                "security": [{"$ref": "#/components/securitySchemes/accessToken"}],
            }
        },
        "channels": {
            CHANNEL: {
                "address": "/",
                "title": "default namespace",
                "description": "Every event travels on the default namespace of one connection.",
                "messages": messages,
            }
        },
        "operations": operations,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "accessToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "The REST access token, sent in the Socket.IO `auth` payload "
                    '(`{"token": ...}`), never in the query string.',
                }
            },
        },
    }
