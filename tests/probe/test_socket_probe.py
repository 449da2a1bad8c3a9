"""The tenant probe over Socket.IO: the other agency emits every client event with home ids.

Every `receive` operation of the events document (`/schema/asyncapi.json`) is emitted by a
python-socketio client signed in as `other_admin` and as `other_user`, with the smallest valid
payload its schema describes and the home company's values in every id-like field (`*_id`,
`to`, `up_to`: the home rows' ids; `room_code`: the home meeting's and call's codes;
`session_token`: the home exam and personality sessions' tokens; `token`: the home recruiter's
access token). Accepted: a refusal `{ok: false, error: {code}}` whose code is the one the same
event answers with values no row has (so it says nothing of the home row), and is not
`validation_error` (the payload never reached the lookup), `internal_error` or `unknown_event`.
An `ok: true` ack fails, and so does any table changed afterwards.

Events whose payload has no id-like field (`presence:set`, `room:leave`) have no home value to
try and are skipped. Known defects in others' code are strict xfails in `KNOWN_DEFECTS`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from models import ExamSession
from server.context import AppContext
from server.settings import Settings
from tests.probe import world
from tests.probe.home import furnish, rows_by_table
from tests.probe.ids import ids_for, is_id_like, minimal, resolve
from tests.realtime.harness import Client, serve
from tests.server.tenants import MISSING_ID, Callers, create_tenants

DOC = world.asyncapi()
PROBERS = ("other_admin", "other_user")
NOT_A_REFUSAL = {"validation_error", "internal_error", "unknown_event", "rate_limited"}
STRING_IDS = {"room_code", "session_token", "token", "slug"}
"""String fields that hold a row's key or a credential."""

KNOWN_DEFECTS: dict[str, str] = {}
"""event name -> the defect, naming the file that owns it (a strict xfail)."""


@dataclass
class SocketProbe:
    ctx: AppContext
    rows: dict[str, list[int]]
    strings: dict[str, list[str]]
    sockets: dict[str, Client]


@pytest.fixture
async def socket_probe(settings: Settings, ctx: AppContext) -> AsyncIterator[SocketProbe]:
    tenants = await create_tenants(ctx)
    async with serve(settings) as live, httpx.AsyncClient(base_url=live.url) as http:
        callers = Callers(http, tenants)  # type: ignore[arg-type]
        names = await furnish(ctx, tenants, callers)
        rows = await rows_by_table(ctx, tenants)
        async with ctx.sessionmaker() as db:
            tokens = list((await db.scalars(select(ExamSession.session_token))).all())
        home_token = (await callers.headers("recruiter"))["Authorization"].removeprefix("Bearer ")
        strings = {
            "room_code": names["room_codes"],
            "session_token": tokens,
            "token": [home_token],
            "slug": [names["slug"]],
        }
        sockets = {}
        for who in PROBERS:
            sockets[who] = Client()
            await sockets[who].connect(live.url, (await callers.headers(who))["Authorization"][7:])
        try:
            yield SocketProbe(ctx, rows, strings, sockets)
        finally:
            for socket in sockets.values():
                await socket.close()


def _schema(payload: dict[str, Any]) -> dict[str, Any]:
    return resolve(payload, DOC)


def _id_fields(schema: dict[str, Any]) -> list[str]:
    props = schema.get("properties") or {}
    return [name for name in props if name != "request_id" and (is_id_like(name) or name in STRING_IDS)]


def _payloads(schema: dict[str, Any], probe: SocketProbe, missing: bool) -> list[dict[str, Any]]:
    """One payload per home value of the first id-like field (the others take their first)."""
    fields = _id_fields(schema)
    first = fields[0]

    def values(name: str) -> list[Any]:
        if name in STRING_IDS:
            return [f"missing{MISSING_ID}"] if missing else probe.strings.get(name) or ["probe"]
        return [MISSING_ID] if missing else ids_for(name, probe.rows)[:6]

    payloads = []
    for value in values(first):
        body = minimal(schema, DOC, lambda name: values(name)[0])
        body = body if isinstance(body, dict) else {}
        for name in fields:
            if name in STRING_IDS or name not in body:
                body[name] = values(name)[0]
        body[first] = value
        payloads.append(body)
    return payloads


def _code(ack: Any) -> str | None:
    if isinstance(ack, dict) and ack.get("ok") is False:
        return str((ack.get("error") or {}).get("code"))
    return None


CHUNKS = 2


def _chunks() -> list[Any]:
    events = [e for e in world.client_events(DOC) if e[0] not in KNOWN_DEFECTS]
    return [pytest.param(events[i::CHUNKS], id=f"part{i + 1}of{CHUNKS}") for i in range(CHUNKS)]


async def probe_event(probe: SocketProbe, event: str, payload: dict[str, Any]) -> list[str]:
    schema = _schema(payload)
    if not _id_fields(schema):
        return []  # no id-like field: nothing of the home company to try
    before = await world.table_state(probe.ctx)
    wrong = []
    for who, socket in probe.sockets.items():
        twin = await socket.call(event, _payloads(schema, probe, missing=True)[0])
        for data in _payloads(schema, probe, missing=False):
            ack = await socket.call(event, data)
            code = _code(ack)
            if code is None:
                wrong.append(f"{who} {event} {data}: not refused: {ack}")
            elif code in NOT_A_REFUSAL or code != _code(twin):
                wrong.append(f"{who} {event} {data}: {ack} (with ids no row has: {twin})")
    changed = world.changed_tables(before, await world.table_state(probe.ctx))
    if changed:
        wrong.append(f"{event}: tables changed: {changed}")
    return wrong


@pytest.mark.parametrize("events", _chunks())
async def test_another_tenant_is_refused(socket_probe: SocketProbe, events: list[Any]) -> None:
    wrong = [
        problem for event, payload in events for problem in await probe_event(socket_probe, event, payload)
    ]
    assert not wrong, f"{len(wrong)} ack(s) wrong:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "event",
    [pytest.param(e, marks=pytest.mark.xfail(strict=True, reason=r)) for e, r in KNOWN_DEFECTS.items()]
    or [pytest.param("room:join", marks=pytest.mark.skip(reason="no known defect"))],
)
async def test_known_defect(socket_probe: SocketProbe, event: str) -> None:
    payload = dict(world.client_events(DOC))[event]
    wrong = await probe_event(socket_probe, event, payload)
    assert not wrong, "\n".join(wrong)
