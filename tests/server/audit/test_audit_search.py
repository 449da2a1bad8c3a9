"""/api/audit-logs: searching the trail, scoped to the caller's company (system_admin: everything)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete

from models import AuditLog
from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import make_company, make_user
from tests.server.auth.helpers import Client, bearer, login

T0 = datetime(2025, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Trail:
    home_id: int
    other_id: int
    home_admin_id: int
    staff_id: int
    home_admin: dict[str, str]
    other_admin: dict[str, str]
    root: dict[str, str]
    staff: dict[str, str]
    ids: dict[str, int]
    """Entry name -> id: h1, h2, h3 (home), o1 (other), p1 (platform, no company)."""


@pytest.fixture
async def trail(client: Client, ctx: AppContext) -> Trail:
    """Three entries of home, one of other, one of the platform; and nothing else in the trail."""
    async with ctx.transaction() as db:
        home = await make_company(db, CompanyType.EMPLOYER)
        other = await make_company(db, CompanyType.RECRUITING_AGENCY)
        home_admin = await make_user(
            db, ctx.passwords, home, RoleName.COMPANY_ADMIN, email="admin@home.example.jp"
        )
        staff = await make_user(db, ctx.passwords, home, RoleName.EMPLOYER, email="staff@home.example.jp")
        other_admin = await make_user(
            db, ctx.passwords, other, RoleName.COMPANY_ADMIN, email="admin@other.example.jp"
        )
        root = await make_user(db, ctx.passwords, None, RoleName.SYSTEM_ADMIN, email="root@example.jp")
    headers = {
        email: bearer((await login(client, email))["access_token"])
        for email in (
            "admin@home.example.jp",
            "admin@other.example.jp",
            "root@example.jp",
            "staff@home.example.jp",
        )
    }
    entries = {
        "h1": (home.id, home_admin.id, "users.update", "users", staff.id, T0),
        "h2": (home.id, staff.id, "user_settings.create", "user_settings", 501, T0 + HOUR),
        "h3": (home.id, home_admin.id, "users.suspend", "users", staff.id, T0 + 2 * HOUR),
        "o1": (other.id, other_admin.id, "users.update", "users", other_admin.id, T0 + 3 * HOUR),
        "p1": (None, root.id, "companies.create", "companies", other.id, T0 + 4 * HOUR),
    }
    async with ctx.transaction() as db:
        await db.execute(delete(AuditLog))  # the sign-ins above were audited too
        rows = {
            name: AuditLog(
                company_id=company_id,
                user_id=user_id,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
                old_values={"n": name},
                new_values={"n": name + "'"},
                metadata_={"entry": name},
                ip_address="203.0.113.7",
                user_agent="agent",
                session_id="sid",
                created_at=created_at,
            )
            for name, (company_id, user_id, action, entity_type, entity_id, created_at) in entries.items()
        }
        db.add_all(rows.values())
        await db.flush()
        ids = {name: row.id for name, row in rows.items()}
    return Trail(
        home_id=home.id,
        other_id=other.id,
        home_admin_id=home_admin.id,
        staff_id=staff.id,
        home_admin=headers["admin@home.example.jp"],
        other_admin=headers["admin@other.example.jp"],
        root=headers["root@example.jp"],
        staff=headers["staff@home.example.jp"],
        ids=ids,
    )


async def _search(client: Client, headers: dict[str, str], **params: Any) -> Any:
    return await client.get("/api/audit-logs/", headers=headers, params=params)


def _names(trail: Trail, r: Any) -> list[str]:
    assert r.status_code == 200, r.text
    by_id = {v: k for k, v in trail.ids.items()}
    return [by_id[item["id"]] for item in r.json()["items"]]


def _total(r: Any) -> int:
    total: int = r.json()["total"]
    return total


# --- scope -----------------------------------------------------------------------------


async def test_company_admin_sees_only_its_company_newest_first(client: Client, trail: Trail) -> None:
    r = await _search(client, trail.home_admin)

    assert _names(trail, r) == ["h3", "h2", "h1"]
    assert _total(r) == 3


async def test_company_admin_cannot_widen_the_scope_with_company_id(client: Client, trail: Trail) -> None:
    other = await _search(client, trail.home_admin, company_id=trail.other_id)
    own = await _search(client, trail.home_admin, company_id=trail.home_id)

    assert (_names(trail, other), _total(other)) == ([], 0)
    assert _names(trail, own) == ["h3", "h2", "h1"]


async def test_other_company_admin_sees_only_its_own_entries(client: Client, trail: Trail) -> None:
    r = await _search(client, trail.other_admin)

    assert _names(trail, r) == ["o1"]


async def test_system_admin_sees_every_entry_and_filters_by_company(client: Client, trail: Trail) -> None:
    everything = await _search(client, trail.root)
    other = await _search(client, trail.root, company_id=trail.other_id)
    home = await _search(client, trail.root, company_id=trail.home_id)

    assert (_names(trail, everything), _total(everything)) == (["p1", "o1", "h3", "h2", "h1"], 5)
    assert _names(trail, other) == ["o1"]
    assert _names(trail, home) == ["h3", "h2", "h1"]


async def test_a_user_without_an_admin_role_is_forbidden(client: Client, trail: Trail) -> None:
    listed = await _search(client, trail.staff)
    read = await client.get(f"/api/audit-logs/{trail.ids['h2']}", headers=trail.staff)

    assert (listed.status_code, listed.json()["code"]) == (403, "forbidden")
    assert (read.status_code, read.json()["code"]) == (403, "forbidden")


async def test_the_trail_needs_a_signed_in_caller(client: Client, trail: Trail) -> None:
    r = await client.get("/api/audit-logs/")

    assert r.status_code == 401


async def test_reading_one_entry_answers_all_its_fields(client: Client, trail: Trail) -> None:
    r = await client.get(f"/api/audit-logs/{trail.ids['h1']}", headers=trail.home_admin)

    assert r.status_code == 200, r.text
    body = r.json()
    assert datetime.fromisoformat(body.pop("created_at")) == T0
    assert body == {
        "id": trail.ids["h1"],
        "user_id": trail.home_admin_id,
        "company_id": trail.home_id,
        "action": "users.update",
        "entity_type": "users",
        "entity_id": trail.staff_id,
        "old_values": {"n": "h1"},
        "new_values": {"n": "h1'"},
        "metadata": {"entry": "h1"},
        "ip_address": "203.0.113.7",
        "user_agent": "agent",
        "session_id": "sid",
    }


async def test_another_companys_entry_is_404_like_a_missing_one(client: Client, trail: Trail) -> None:
    foreign = await client.get(f"/api/audit-logs/{trail.ids['o1']}", headers=trail.home_admin)
    platform = await client.get(f"/api/audit-logs/{trail.ids['p1']}", headers=trail.home_admin)
    missing = await client.get("/api/audit-logs/2000000000", headers=trail.home_admin)
    as_root = await client.get(f"/api/audit-logs/{trail.ids['o1']}", headers=trail.root)

    assert (foreign.status_code, platform.status_code, missing.status_code) == (404, 404, 404)
    assert foreign.json()["code"] == missing.json()["code"] == "not_found"
    assert as_root.status_code == 200


# --- filters ---------------------------------------------------------------------------


async def test_filters_by_user_action_entity_type_and_entity_id(client: Client, trail: Trail) -> None:
    admin = trail.root

    by_user = await _search(client, admin, user_id=trail.home_admin_id)
    by_action = await _search(client, admin, action="users.update")
    by_type = await _search(client, admin, entity_type="users")
    by_entity = await _search(client, admin, entity_type="users", entity_id=trail.staff_id)
    combined = await _search(client, admin, action="users.update", company_id=trail.home_id)
    nothing = await _search(client, admin, action="users.nothing")

    assert _names(trail, by_user) == ["h3", "h1"]
    assert _names(trail, by_action) == ["o1", "h1"]
    assert _names(trail, by_type) == ["o1", "h3", "h1"]
    assert _names(trail, by_entity) == ["h3", "h1"]
    assert _names(trail, combined) == ["h1"]
    assert (_names(trail, nothing), _total(nothing)) == ([], 0)


async def test_since_is_inclusive_and_until_is_exclusive(client: Client, trail: Trail) -> None:
    admin = trail.root
    t1, t3 = (T0 + HOUR).isoformat(), (T0 + 3 * HOUR).isoformat()

    since = await _search(client, admin, since=t1)
    until = await _search(client, admin, until=t3)
    window = await _search(client, admin, since=t1, until=t3)
    empty = await _search(client, admin, since=t1, until=t1)

    assert _names(trail, since) == ["p1", "o1", "h3", "h2"]
    assert _names(trail, until) == ["h3", "h2", "h1"]
    assert _names(trail, window) == ["h3", "h2"]
    assert (_names(trail, empty), _total(empty)) == ([], 0)


async def test_times_with_any_offset_mean_the_same_instant(client: Client, trail: Trail) -> None:
    # 10:00 in Tokyo is 01:00 UTC, the instant of h2.
    r = await _search(
        client, trail.root, since="2025-01-01T10:00:00+09:00", until="2025-01-01T11:00:00+09:00"
    )

    assert _names(trail, r) == ["h2"]


@pytest.mark.parametrize("field", ["since", "until"])
async def test_a_time_without_an_offset_is_422(client: Client, trail: Trail, field: str) -> None:
    r = await _search(client, trail.root, **{field: "2025-01-01T01:00:00"})

    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
    assert [e["field"] for e in r.json()["errors"]] == [field]


async def test_since_after_until_is_422(client: Client, trail: Trail) -> None:
    r = await _search(client, trail.root, since=(T0 + 2 * HOUR).isoformat(), until=(T0 + HOUR).isoformat())

    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "since", "message": "must not be after until"}]


@pytest.mark.parametrize(
    "params",
    [{"since": "yesterday"}, {"user_id": "me"}, {"entity_id": "x"}, {"action": "a" * 51}],
    ids=["since-not-a-time", "user_id-not-int", "entity_id-not-int", "action-too-long"],
)
async def test_malformed_filters_are_422(client: Client, trail: Trail, params: dict[str, str]) -> None:
    r = await _search(client, trail.root, **params)

    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"


# --- pages and order -------------------------------------------------------------------


async def test_pages_cover_the_result_once_in_order(client: Client, trail: Trail) -> None:
    pages = [await _search(client, trail.root, sort="id", limit=2, offset=offset) for offset in (0, 2, 4, 6)]

    assert [_names(trail, page) for page in pages] == [["h1", "h2"], ["h3", "o1"], ["p1"], []]
    assert {_total(page) for page in pages} == {5}


async def test_sort_by_created_at_either_way(client: Client, trail: Trail) -> None:
    ascending = await _search(client, trail.home_admin, sort="created_at")
    descending = await _search(client, trail.home_admin, sort="-created_at")

    assert _names(trail, ascending) == ["h1", "h2", "h3"]
    assert _names(trail, descending) == ["h3", "h2", "h1"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "action"}, "sort"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
    ],
    ids=["unsortable-column", "limit-0", "limit-201", "offset-negative"],
)
async def test_bad_list_parameters_are_422(
    client: Client, trail: Trail, params: dict[str, Any], field: str
) -> None:
    r = await _search(client, trail.root, **params)

    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
