"""The tenant probe over REST: the other agency tries the home company's ids on every operation.

For every operation of the OpenAPI document, `other_admin` (company_admin) and `other_user`
(recruiter) of the unrelated `other` agency call it with the home company's ids in every path
parameter (`tests.probe.ids`: `{interview_id}` -> the home interview; a name that names no
table -> every home id), in every id-like query parameter and body field, with the smallest
valid body the schema describes. What is accepted, per answer:

1. `404 not_found` — the documented answer: another tenant's id is answered like a missing one;
   or a 404 with a domain's own code (`room_not_found`) that a missing id answers too.
2. A refusal that does not depend on the id — 400, 401, 403, 405, 409, 413, 415 or 422, documented
   for the operation, with the same status and code as the very same request carrying ids no
   row has (`MISSING_ID`): the route refused before (or regardless of) the lookup, so the answer
   says nothing about the home row. A 422 must name no path parameter.
3. On a GET only: a 2xx that holds none of the home company's data (`Fingerprints`) and that the
   missing-id twin answers with the same status (the caller's own data, e.g. their own setting).

Everything else fails: any 5xx, a 2xx on a write, a body with home data, a refusal that differs
from the missing-id one. Afterwards every table must be unchanged (`world.UNTOUCHED_BY_SIGN_IN`
names the tables left out, and why).

Writes that carry no id at all (`POST /api/todos {title}`) have nothing to probe and are skipped;
GETs without ids (lists) are still called and must show no home data. Known defects in others'
code are strict xfails in `KNOWN_DEFECTS`.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from server.asgi import create
from server.context import AppContext
from server.settings import Settings
from tests.probe import world
from tests.probe.home import furnish, rows_by_table
from tests.probe.ids import ids_for, is_id_like, minimal, resolve
from tests.server.tenants import MISSING_ID, NO_BODY, Callers, Tenants, create_tenants

DOC = world.openapi()
PROBERS = ("other_admin", "other_user")
REFUSALS = {400, 401, 403, 405, 409, 413, 415, 422}
MAX_COMBINATIONS = 12
"""Path-parameter combinations tried per operation and prober (ids of unknown names multiply)."""

KNOWN_DEFECTS: dict[str, str] = {}
""""METHOD /path" -> the defect, naming the file that owns it (a strict xfail)."""


@dataclass
class Probe:
    callers: Callers
    ctx: AppContext
    tenants: Tenants
    rows: dict[str, list[int]]
    names: dict[str, Any]
    marks: world.Fingerprints


@pytest.fixture
async def probe(settings: Settings, ctx: AppContext) -> Any:
    tenants = await create_tenants(ctx)
    async with AsyncTestClient(app=create(settings)) as client:
        callers = Callers(client, tenants)
        names = await furnish(ctx, tenants, callers)
        rows = await rows_by_table(ctx, tenants)
        marks = await world.fingerprints(ctx, tenants, rows)
        await callers.sign_in(*PROBERS)
        yield Probe(callers, ctx, tenants, rows, names, marks)


FIXED = {"provider": ["google", "outlook"], "role": ["recruiter", "company_admin"]}
"""Path parameters that name no row of anyone (kept as they are in the missing-id twin)."""


def _string_values(name: str, probe: Probe) -> list[str] | None:
    """Values for path parameters that are not numeric ids: the home rows' own where they have one."""
    home = {"slug": [probe.names["slug"]], "room_code": probe.names["room_codes"], "key": ["language"]}
    return FIXED.get(name) or home.get(name)


def _path_values(path: str, spec: dict[str, Any], probe: Probe) -> list[dict[str, Any]]:
    names = re.findall(r"\{(\w+)\}", path)
    choices = []
    for name in names:
        strings = _string_values(name, probe)
        choices.append(strings if strings is not None else ids_for(name, probe.rows))
    combos = [dict(zip(names, values, strict=True)) for values in itertools.product(*choices)]
    return combos[:MAX_COMBINATIONS]


def _missing(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if k in FIXED else MISSING_ID if isinstance(v, int) else f"missing{MISSING_ID}"
        for k, v in values.items()
    }


def _body(spec: dict[str, Any], probe: Probe, missing: bool) -> Any:
    content = (spec.get("requestBody") or {}).get("content") or {}
    if "application/json" not in content:
        return NO_BODY
    schema = content["application/json"].get("schema") or {}

    def pick(name: str) -> int:
        return MISSING_ID if missing else (ids_for(name, probe.rows) or [MISSING_ID])[0]

    found = minimal(schema, DOC, pick)
    return {} if found is None else found


def _query(spec: dict[str, Any], probe: Probe, missing: bool) -> dict[str, Any]:
    query = {}
    for parameter in spec.get("parameters") or []:
        if parameter.get("in") != "query":
            continue
        name = parameter["name"]
        if is_id_like(name):
            query[name] = MISSING_ID if missing else (ids_for(name, probe.rows) or [MISSING_ID])[0]
        elif parameter.get("required"):
            query[name] = minimal(resolve(parameter.get("schema") or {}, DOC), DOC, lambda _: MISSING_ID)
    return query


def _has_ids(method: str, path: str, spec: dict[str, Any], probe: Probe) -> bool:
    if "{" in path or method == "GET":
        return True
    body = _body(spec, probe, missing=False)
    return any(is_id_like(k) for k in _query(spec, probe, False)) or _mentions_id(body)


def _mentions_id(body: Any) -> bool:
    if isinstance(body, dict):
        return any(is_id_like(k) or _mentions_id(v) for k, v in body.items())
    if isinstance(body, list):
        return any(_mentions_id(v) for v in body)
    return False


def _answer(response: httpx.Response) -> tuple[int, str, list[str]]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and "code" in body and response.status_code >= 400:
        return response.status_code, body["code"], [e.get("field", "") for e in body.get("errors") or []]
    return response.status_code, "", []


def _tally(key: str, status: int, code: str) -> None:
    """`PROBE_TALLY=file` appends every answer to that file (for a report of what was tried)."""
    if os.environ.get("PROBE_TALLY"):
        with open(os.environ["PROBE_TALLY"], "a") as out:
            out.write(f"{status} {code} {key}\n")


def _documented(spec: dict[str, Any], status: int) -> bool:
    return str(status) in spec.get("responses", {})


async def _call(
    probe: Probe,
    who: str,
    method: str,
    path: str,
    values: dict[str, Any],
    spec: dict[str, Any],
    missing: bool,
) -> httpx.Response:
    url = path.format(**values)
    headers = await probe.callers.headers(who)
    body = _body(spec, probe, missing)
    kwargs: dict[str, Any] = {"headers": headers, "params": _query(spec, probe, missing)}
    if body is not NO_BODY:
        kwargs["json"] = body
    return await probe.callers.client.request(method, url, **kwargs)


async def judge(probe: Probe, who: str, method: str, path: str, values: dict[str, Any]) -> str | None:
    """None when the answer is an accepted refusal, else what is wrong with it."""
    spec = DOC["paths"][path][method.lower()]
    response = await _call(probe, who, method, path, values, spec, missing=False)
    status, code, fields = _answer(response)
    where = f"{who} {method} {path.format(**values)}"
    _tally(f"{method} {path}", status, code)
    leaked = probe.marks.found_in(response.text)
    if leaked:
        return f"{where}: {status} shows the home company's data {leaked[:3]}: {response.text[:300]}"
    if status == 404 and code == "not_found" and _documented(spec, 404):
        return None
    if status >= 500:
        return f"{where}: {status} {response.text[:300]}"
    if 200 <= status < 300 and method != "GET":
        return f"{where}: a write answered {status}: {response.text[:300]}"
    twin = await _call(probe, who, method, path, _missing(values), spec, missing=True)
    twin_status, twin_code, _ = _answer(twin)
    if (status, code) != (twin_status, twin_code):
        return (
            f"{where}: {status} {code!r} but a missing id answers {twin_status} {twin_code!r}: "
            f"{response.text[:300]}"
        )
    if status == 404 and _documented(spec, 404):
        return None  # a domain's own not-found code (`room_not_found`), answered alike for a missing id
    if status in REFUSALS:
        if not _documented(spec, status):
            return f"{where}: {status} {code!r} is not documented: {response.text[:300]}"
        if status == 422 and set(fields) & set(values):
            return f"{where}: 422 names a path parameter {fields}: {response.text[:300]}"
        return None
    if 200 <= status < 300:
        return None  # a GET that answers the caller's own data alike for any id, with none of home's
    return f"{where}: {status} {code!r} {response.text[:300]}"


CHUNKS = 4
"""The operations are probed in this many tests (one setup each), so xdist spreads them."""


def _chunks() -> list[Any]:
    keys = [f"{m} {p}" for m, p in world.operations(DOC) if f"{m} {p}" not in KNOWN_DEFECTS]
    return [pytest.param(keys[i::CHUNKS], id=f"part{i + 1}of{CHUNKS}") for i in range(CHUNKS)]


async def probe_operation(probe: Probe, key: str) -> list[str]:
    """What is wrong with `key`'s answers to both probers, and the tables it changed."""
    method, path = key.split(" ", 1)
    spec = DOC["paths"][path][method.lower()]
    if not _has_ids(method, path, spec, probe):
        return []  # a write that carries no id: nothing of the home company to try
    before = await world.table_state(probe.ctx)
    wrong = []
    for who in PROBERS:
        for values in _path_values(path, spec, probe):
            problem = await judge(probe, who, method, path, values)
            if problem:
                wrong.append(problem)
    changed = world.changed_tables(before, await world.table_state(probe.ctx))
    if changed:
        wrong.append(f"{key}: tables changed: {changed}")
    return wrong


@pytest.mark.parametrize("keys", _chunks())
async def test_another_tenant_finds_nothing(probe: Probe, keys: list[str]) -> None:
    wrong = [problem for key in keys for problem in await probe_operation(probe, key)]
    assert not wrong, f"{len(wrong)} answer(s) wrong:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "key",
    [pytest.param(k, marks=pytest.mark.xfail(strict=True, reason=r)) for k, r in KNOWN_DEFECTS.items()]
    or [pytest.param("GET /health/live", marks=pytest.mark.skip(reason="no known defect"))],
)
async def test_known_defect(probe: Probe, key: str) -> None:
    wrong = await probe_operation(probe, key)
    assert not wrong, "\n".join(wrong)
