"""The Socket.IO events are documented in the repository, and no event escapes the document."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from realtime.credentials import Renewal
from realtime.protocol import MAX_EVENT_BYTES
from server.asgi import create
from server.docs import asyncapi
from server.docs.events import ACKS, SUMMARIES, TRANSPORT_EVENTS
from server.domains.manifests import DOMAINS
from server.settings import Settings

ROOT = Path(__file__).parents[3]
SOCKETIO_OWN = {"connect", "disconnect", "*"}
"""Handlers python-socketio calls itself: the connect auth and the catch-all are in `info`."""
NAME = re.compile(r"^[A-Za-z0-9.\-_]+$")


@pytest.fixture
async def doc(client: AsyncTestClient) -> dict[str, Any]:  # type: ignore[type-arg]
    response = await client.get("/schema/asyncapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def documented(doc: dict[str, Any], action: str) -> set[str]:
    messages = doc["channels"]["socket"]["messages"]
    return {
        messages[op["messages"][0]["$ref"].rsplit("/", 1)[1]]["name"]
        for op in doc["operations"].values()
        if op["action"] == action
    }


def test_every_event_the_socket_server_answers_is_documented(settings: Settings, doc: dict[str, Any]) -> None:
    sio = create(settings).engineio_server
    registered = set(sio.handlers["/"]) - SOCKETIO_OWN
    declared = {event.name for domain in DOMAINS for event in domain.sockets or ()}
    assert declared <= registered
    assert "auth:renew" in registered
    missing = registered - documented(doc, "receive")
    assert not missing, f"client events missing from the AsyncAPI document: {sorted(missing)}"
    assert documented(doc, "receive") == registered  # and nothing documented that is gone


def _pushed_names() -> set[str]:
    """Every event name the code pushes: the first string literal (or module constant) given to a
    `push`, `emit` or `relay` call anywhere in the server, realtime and signaling packages."""
    names: set[str] = set()
    for package in ("server", "realtime", "signaling"):
        for path in (ROOT / package).rglob("*.py"):
            if "docs" in path.relative_to(ROOT).parts:
                continue
            tree = ast.parse(path.read_text())
            constants = {
                target.id: node.value.value
                for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                for target in node.targets
                if isinstance(target, ast.Name) and isinstance(node.value.value, str)
            }
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr not in {"push", "emit", "relay"}:
                    continue
                for arg in node.args:
                    value = arg.value if isinstance(arg, ast.Constant) else None
                    if isinstance(arg, ast.Name):
                        value = constants.get(arg.id)
                    if isinstance(value, str):
                        names.add(value)
                        break
    return names


def test_every_push_the_code_sends_is_documented(doc: dict[str, Any]) -> None:
    pushed = _pushed_names()
    assert {"message:new", "session:expired", "participant:joined", "rtc:ice"} <= pushed
    missing = pushed - documented(doc, "send")
    assert not missing, f"pushes missing from the AsyncAPI document: {sorted(missing)}"
    assert documented(doc, "send") == pushed


def test_payloads_are_the_declared_structs_plus_request_id(doc: dict[str, Any]) -> None:
    messages = doc["channels"]["socket"]["messages"]
    schemas = doc["components"]["schemas"]
    for domain in DOMAINS:
        for event in domain.sockets or ():
            ref = messages[f"event.{asyncapi.key(event.name)}"]["payload"]["$ref"]
            name = ref.rsplit("/", 1)[1]
            _, components = msgspec.json.schema_components([event.payload], ref_template=asyncapi.REF)
            expected = dict(components[event.payload.__name__])
            expected["properties"] = {**expected["properties"], "request_id": asyncapi.REQUEST_ID}
            assert schemas[name] == expected, event.name


def test_the_transport_events_match_what_realtime_validates(doc: dict[str, Any]) -> None:
    assert [t.name for t in TRANSPORT_EVENTS] == ["auth:renew"]
    assert msgspec.json.schema(TRANSPORT_EVENTS[0].payload) == msgspec.json.schema(Renewal)
    assert asyncapi.MAX_EVENT_BYTES == MAX_EVENT_BYTES
    assert f"{MAX_EVENT_BYTES} bytes" in doc["info"]["description"]


def test_the_tables_name_real_events() -> None:
    events = {event.name for domain in DOMAINS for event in domain.sockets or ()}
    events |= {t.name for t in TRANSPORT_EVENTS}
    assert set(SUMMARIES) <= events
    assert set(ACKS) <= events


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        assert part in node, ref
        node = node[part]
    return node


def test_the_document_is_well_formed_asyncapi_3(doc: dict[str, Any]) -> None:
    assert doc["asyncapi"] == "3.0.0"
    for ref in _refs(doc):
        _resolve(doc, ref)
    for section in (doc["operations"], doc["channels"], *doc["components"].values()):
        assert all(NAME.match(name) for name in section), list(section)
    channel_messages = doc["channels"]["socket"]["messages"]
    assert all(NAME.match(name) for name in channel_messages)
    for op_id, operation in doc["operations"].items():
        assert operation["action"] in {"send", "receive"}, op_id
        assert operation["channel"] == {"$ref": "#/channels/socket"}
        refs = operation["messages"] + operation.get("reply", {}).get("messages", [])
        assert all(r["$ref"].startswith("#/channels/socket/messages/") for r in refs), op_id
        if operation["action"] == "receive":
            assert operation["reply"]["messages"], op_id


async def test_the_events_page_lists_every_event(
    client: AsyncTestClient,  # type: ignore[type-arg]
    doc: dict[str, Any],
) -> None:
    page = (await client.get("/schema/events")).text
    for name in documented(doc, "receive") | documented(doc, "send"):
        assert f"<code>{name}</code>" in page, name
