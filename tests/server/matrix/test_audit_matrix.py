"""/api/audit-logs: who may search the audit trail, and which entries each of them sees.

Rules (server/domains/audit/services.py): company_admin and system_admin only (403 for everyone
else, before any lookup); a company_admin sees its own company's entries, a system_admin all of
them. Another company's entry, and a platform entry without a company, are 404 for a company_admin
exactly like a missing id; a filter never widens what the caller sees.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from models import AuditLog
from server.context import AppContext
from tests.server.tenants import (
    NO_BODY,
    Callers,
    Expect,
    Matrix,
    Rejections,
    Tenants,
    assert_matrix,
    assert_rejections,
    invalid,
    snapshot,
)

ENTRY_FIELDS = {
    "id",
    "user_id",
    "company_id",
    "action",
    "entity_type",
    "entity_id",
    "old_values",
    "new_values",
    "metadata",
    "ip_address",
    "user_agent",
    "session_id",
    "created_at",
}
JAN_1 = datetime(2030, 1, 1, tzinfo=UTC)
JAN_2 = datetime(2030, 1, 2, tzinfo=UTC)


@pytest.fixture
async def entries(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, AuditLog]:
    """One entry of each company and one of the platform; `{home_entry}` etc. name their ids."""
    companies = {
        "home_entry": (tenants.home.id, "home_admin", JAN_1),
        "home_later": (tenants.home.id, "recruiter", JAN_2),
        "employer_entry": (tenants.employer_co.id, "employer_admin", JAN_1),
        "other_entry": (tenants.other.id, "other_admin", JAN_1),
        "platform_entry": (None, "system_admin", JAN_1),
    }
    rows = {}
    async with ctx.transaction() as db:
        for name, (company_id, who, at) in companies.items():
            rows[name] = AuditLog(
                user_id=tenants.user(who).id,
                company_id=company_id,
                action=f"test.{name}",
                entity_type="users",
                entity_id=tenants.user(who).id,
                old_values={"first_name": "before"},
                new_values={"first_name": "after"},
                metadata_={"reason": name},
                ip_address="203.0.113.7",
                user_agent="matrix-test",
                session_id=f"session-{name}",
                created_at=at,
            )
            db.add(rows[name])
    callers.names.update({name: row.id for name, row in rows.items()})
    return rows


READ_AN_ENTRY = [
    Expect("anonymous", "home_entry", 401, "invalid_token"),
    Expect("recruiter", "home_entry", 403, "forbidden"),
    Expect("candidate", "home_entry", 403, "forbidden"),
    Expect("employer", "employer_entry", 403, "forbidden"),
    Expect("other_user", "other_entry", 403, "forbidden"),
    # The role check comes first: a refusal tells nothing about the id.
    Expect("recruiter", "other_entry", 403, "forbidden"),
    Expect("recruiter", "missing", 403, "forbidden"),
    Expect("home_admin", "other_entry", 404, "not_found"),
    Expect("home_admin", "employer_entry", 404, "not_found"),
    Expect("home_admin", "platform_entry", 404, "not_found"),
    Expect("employer_admin", "home_entry", 404, "not_found"),
    Expect("other_admin", "home_entry", 404, "not_found"),
    Expect("home_admin", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]
MATRIX: Matrix = [
    (
        "GET",
        "/api/audit-logs/",
        NO_BODY,
        [
            Expect("anonymous", None, 401, "invalid_token"),
            Expect("recruiter", None, 403, "forbidden"),
            Expect("candidate", None, 403, "forbidden"),
            Expect("employer", None, 403, "forbidden"),
            Expect("other_user", None, 403, "forbidden"),
        ],
    ),
    ("GET", "/api/audit-logs/{target}", NO_BODY, READ_AN_ENTRY),
]


@pytest.mark.usefixtures("entries")
async def test_the_authorization_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext
) -> None:
    await assert_matrix(callers, ctx, MATRIX, (AuditLog,), not_found="AuditLog {id} was not found.")


REJECTED_INPUT: Rejections = [
    (
        "home_admin",
        "GET",
        "/api/audit-logs/",
        [
            ({"params": {"limit": 0}}, invalid("limit")),
            ({"params": {"limit": 201}}, invalid("limit")),
            ({"params": {"offset": -1}}, invalid("offset")),
            ({"params": {"offset": 10**20}}, invalid("offset")),
            ({"params": {"sort": "action"}}, invalid("sort")),
            ({"params": {"user_id": "abc"}}, invalid("user_id")),
            ({"params": {"company_id": "abc"}}, invalid("company_id")),
            ({"params": {"entity_id": "1.5"}}, invalid("entity_id")),
            ({"params": {"action": "a" * 51}}, invalid("action")),
            ({"params": {"entity_type": "e" * 51}}, invalid("entity_type")),
            ({"params": {"since": "yesterday"}}, invalid("since")),
            # A timestamp without its offset is refused, never guessed.
            ({"params": {"since": "2030-01-01T00:00:00"}}, invalid("since")),
            ({"params": {"until": "2030-01-01T00:00:00"}}, invalid("until")),
            (
                {"params": {"since": "2030-01-02T00:00:00Z", "until": "2030-01-01T00:00:00Z"}},
                invalid("since"),
            ),
        ],
    ),
]


@pytest.mark.usefixtures("entries")
async def test_rejected_input_answers_one_exact_status_and_changes_nothing(
    callers: Callers, ctx: AppContext
) -> None:
    await callers.sign_in("home_admin")
    before = await snapshot(ctx, AuditLog)

    await assert_rejections(callers, REJECTED_INPUT)

    assert await snapshot(ctx, AuditLog) == before


async def _ids_of_company(ctx: AppContext, company_id: int | None) -> list[int]:
    async with ctx.sessionmaker() as db:
        statement = select(AuditLog.id).order_by(AuditLog.id.desc())
        if company_id is not None:
            statement = statement.where(AuditLog.company_id == company_id)
        return list(await db.scalars(statement))


@pytest.mark.usefixtures("entries")
async def test_each_admin_searches_exactly_the_entries_of_its_scope(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    await callers.sign_in("home_admin", "employer_admin", "other_admin", "system_admin")
    scopes = {
        "home_admin": tenants.home.id,
        "employer_admin": tenants.employer_co.id,
        "other_admin": tenants.other.id,
        "system_admin": None,
    }
    for who, company_id in scopes.items():
        response = await callers.call(who, "GET", "/api/audit-logs/", params={"limit": 200})

        assert response.status_code == 200, response.text
        page = response.json()
        expected = await _ids_of_company(ctx, company_id)
        assert ([e["id"] for e in page["items"]], page["total"]) == (expected, len(expected)), who
        assert all(set(e) == ENTRY_FIELDS for e in page["items"])
        if company_id is not None:
            assert {e["company_id"] for e in page["items"]} == {company_id}


async def test_a_filter_narrows_the_search_and_never_widens_it(
    callers: Callers, tenants: Tenants, entries: dict[str, AuditLog]
) -> None:
    async def found(who: str, **params: Any) -> list[str]:
        response = await callers.call(who, "GET", "/api/audit-logs/", params=params)
        assert response.status_code == 200, response.text
        return [e["action"] for e in response.json()["items"]]

    assert await found("home_admin", action="test.home_entry") == ["test.home_entry"]
    assert await found("home_admin", action="test.other_entry") == []
    assert await found("home_admin", company_id=tenants.other.id) == []
    assert await found("home_admin", user_id=tenants.user("other_admin").id) == []
    assert await found("home_admin", user_id=tenants.user("recruiter").id, entity_type="users") == [
        "test.home_later"
    ]
    assert await found(
        "system_admin",
        company_id=tenants.other.id,
        user_id=tenants.user("other_admin").id,
        entity_type="users",
    ) == ["test.other_entry"]
    # `since` is inclusive and `until` exclusive, whatever offset they are written in.
    window = {"since": "2030-01-01T09:00:00+09:00", "until": "2030-01-02T00:00:00Z"}
    assert await found("home_admin", **window) == ["test.home_entry"]
    assert await found("system_admin", **window, sort="id") == [
        "test.home_entry",
        "test.employer_entry",
        "test.other_entry",
        "test.platform_entry",
    ]
    assert await found("home_admin", since="2030-01-02T09:00:00+09:00") == ["test.home_later"]


async def test_an_admin_reads_one_entry_with_every_field(
    callers: Callers, entries: dict[str, AuditLog]
) -> None:
    for who, entry in [("home_admin", "home_entry"), ("system_admin", "platform_entry")]:
        row = entries[entry]

        response = await callers.call(who, "GET", f"/api/audit-logs/{{{entry}}}")

        assert response.status_code == 200, response.text
        read = response.json()
        assert datetime.fromisoformat(read.pop("created_at")) == JAN_1
        assert read == {
            "id": row.id,
            "user_id": row.user_id,
            "company_id": row.company_id,
            "action": f"test.{entry}",
            "entity_type": "users",
            "entity_id": row.user_id,
            "old_values": {"first_name": "before"},
            "new_values": {"first_name": "after"},
            "metadata": {"reason": entry},
            "ip_address": "203.0.113.7",
            "user_agent": "matrix-test",
            "session_id": f"session-{entry}",
        }


async def test_what_an_admin_does_shows_in_its_own_companys_trail_only(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    suspended = await callers.call("home_admin", "POST", "/api/users/{recruiter}/suspend")
    assert suspended.status_code == 200, suspended.text
    query = {"action": "users.suspend"}

    mine = await callers.call("home_admin", "GET", "/api/audit-logs/", params=query)
    theirs = await callers.call("other_admin", "GET", "/api/audit-logs/", params=query)

    assert (mine.status_code, theirs.status_code) == (200, 200)
    assert theirs.json() == {"items": [], "total": 0}
    [entry] = mine.json()["items"]
    assert (entry["user_id"], entry["company_id"], entry["entity_type"], entry["entity_id"]) == (
        tenants.user("home_admin").id,
        tenants.home.id,
        "users",
        tenants.user("recruiter").id,
    )
    assert (entry["old_values"]["is_suspended"], entry["new_values"]["is_suspended"]) == (False, True)
    assert entry["session_id"] is not None
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(func.count()).where(AuditLog.action == "users.suspend")) == 1


async def test_a_users_private_setting_values_stay_out_of_the_admins_trail(callers: Callers) -> None:
    created = await callers.call(
        "recruiter", "POST", "/api/settings/", json={"key": "note", "value": "private!"}
    )
    assert created.status_code == 201, created.text

    trail = await callers.call(
        "home_admin", "GET", "/api/audit-logs/", params={"entity_type": "user_settings"}
    )

    assert trail.status_code == 200, trail.text
    assert "private!" not in trail.text
