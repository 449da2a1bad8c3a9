"""Schemathesis over every operation of the app's OpenAPI document, as each role and anonymous.

Each example is sent in-process (`schemathesis.openapi.from_asgi`) with the caller's bearer
token and must pass four checks: no 5xx (`not_a_server_error`), a documented status
(`status_code_conformance`), a documented content type and a body matching the documented
schema, errors included (`content_type_conformance`, `response_schema_conformance`).

Examples are both valid (positive) and invalid (negative) requests; path parameters are half
the time a real id of the first company's rows (`tests.probe.home`), else generated. The run is
derandomized with no deadline and no shrinking; `FUZZ_EXAMPLES` (default 3) sets the examples
per operation and mode: `make fuzz` runs 500.

Excluded, because they would destroy the fixtures the rest of the run signs in with:
`POST /api/auth/logout` and `POST /api/auth/password` (they revoke the caller's sessions), and
writes aimed at the caller's own user or company (`DELETE /api/users/{me}`, suspend, role
removal, `DELETE`/deactivate of the caller's company), filtered per example.

A defect found in code that is not the fuzzer's is listed in `KNOWN_DEFECTS`: the role's run
leaves that operation out, and `test_known_defect` fuzzes exactly that case as a strict xfail.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.asgi import create
from server.context import AppContext
from server.settings import Settings
from tests.probe.home import furnish, rows_by_table
from tests.probe.ids import ids_for
from tests.server.tenants import Callers, Tenants, create_tenants

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
ROLES = {
    "system_admin": "system_admin",
    "company_admin": "home_admin",
    "recruiter": "recruiter",
    "employer": "employer",
    "candidate": "candidate",
    "anonymous": "anonymous",
}
"""Role -> the tenants' person who plays it."""

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXCLUDED = {"POST /api/auth/logout", "POST /api/auth/password"}
SELF_DESTRUCTIVE = re.compile(
    r"^(DELETE /api/users/\{user_id\}|POST /api/users/\{user_id\}/suspend|"
    r"DELETE /api/users/\{user_id\}/roles/\{role\}|DELETE /api/companies/\{company_id\}|"
    r"POST /api/companies/\{company_id\}/deactivate)$"
)

KNOWN_DEFECTS: dict[tuple[str, str], str] = {}
"""(role, "METHOD /path") -> the defect, naming the file that owns it."""


@dataclass
class World:
    schema: Any
    headers: dict[str, str]
    ids: dict[str, list[int]]
    me: int | None
    my_company: int | None


async def build_world(settings: Settings, ctx: AppContext, who: str) -> World:
    tenants: Tenants = await create_tenants(ctx)
    async with AsyncTestClient(app=create(settings)) as client:
        callers = Callers(client, tenants)
        await furnish(ctx, tenants, callers)
        headers = await callers.headers(who)
    tables = await rows_by_table(ctx, tenants)
    app = create(settings)
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    user = tenants.users.get(who)
    return World(
        schema=schema,
        headers=headers,
        ids=tables,
        me=user.id if user else None,
        my_company=user.company_id if user else None,
    )


def operations(world: World) -> list[Any]:
    found = []
    for result in world.schema.get_all_operations():
        operation = result.ok()
        found.append(operation)
    return sorted(found, key=lambda op: (op.method.upper() == "DELETE", op.path, op.method))


def key_of(operation: Any) -> str:
    return f"{operation.method.upper()} {operation.path}"


def strategy(world: World, operation: Any) -> st.SearchStrategy[Any]:
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    base = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes))
    names = re.findall(r"\{(\w+)\}", operation.path)
    choices = {name: ids_for(name, world.ids) for name in names if name not in {"role", "provider"}}
    choices = {name: ids for name, ids in choices.items() if ids}
    if not choices:
        return base
    picks = st.fixed_dictionaries({name: st.sampled_from([None, *ids]) for name, ids in choices.items()})

    def with_real_ids(pair: tuple[Any, dict[str, int | None]]) -> Any:
        case, chosen = pair
        for name, value in chosen.items():
            if value is not None and case.path_parameters is not None:
                case.path_parameters[name] = value
        return case

    return st.tuples(base, picks).map(with_real_ids)


def destroys_fixtures(world: World, operation: Any, case: Any) -> bool:
    if not SELF_DESTRUCTIVE.match(key_of(operation)):
        return False
    params = case.path_parameters or {}
    mine = {("user_id", world.me), ("company_id", world.my_company)}
    return any(value is not None and params.get(name) == value for name, value in mine)


def fuzz(world: World, operation: Any) -> None:
    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=strategy(world, operation))
    def run(case: Any) -> None:
        hypothesis.assume(not destroys_fixtures(world, operation, case))
        case.call_and_validate(headers=dict(world.headers), checks=CHECKS)

    run()


def _fuzz_all(world: World, role: str, only: str | None = None) -> None:
    failures = []
    for operation in operations(world):
        key = key_of(operation)
        if key in EXCLUDED:
            continue
        if only is None and (role, key) in KNOWN_DEFECTS:
            continue
        if only is not None and key != only:
            continue
        try:
            fuzz(world, operation)
        except (Exception, BaseExceptionGroup) as error:  # every operation runs; all failures are listed
            failures.append(f"--- {role}: {key}\n{error}")
    assert not failures, f"{len(failures)} operation(s) failed:\n" + "\n".join(failures)


@pytest.fixture
def stop_lifespans() -> Any:
    yield
    asgi.shutdown_lifespans()


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_operation_conforms(
    role: str, settings: Settings, ctx: AppContext, stop_lifespans: None
) -> None:
    world = await build_world(settings, ctx, ROLES[role])
    _fuzz_all(world, role)


@pytest.mark.parametrize(
    ("role", "operation"),
    [
        pytest.param(role, key, marks=pytest.mark.xfail(strict=True, reason=reason))
        for (role, key), reason in KNOWN_DEFECTS.items()
    ]
    or [pytest.param("anonymous", "GET /health/live", marks=pytest.mark.skip(reason="no known defect"))],
)
async def test_known_defect(
    role: str, operation: str, settings: Settings, ctx: AppContext, stop_lifespans: None
) -> None:
    world = await build_world(settings, ctx, ROLES[role])
    _fuzz_all(world, role, only=operation)
