"""/api/companies: who may call which route, on which company, and what a permitted call does.

Rules (server/domains/companies/services.py): listing, creating, demo fields, activation and
deletion belong to the system_admin (403 for everyone else, before any lookup, even on their own
company); every member reads their own company; a company_admin updates its own company's profile.
Another tenant's company is 404 exactly like a missing id.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from models import AuditLog, Company, User, UserRole
from server.context import AppContext
from tests.server.auth.helpers import login
from tests.server.tenants import (
    MALFORMED,
    NO_BODY,
    PEOPLE,
    Callers,
    Expect,
    Matrix,
    Rejections,
    Tenants,
    assert_error,
    assert_matrix,
    assert_rejections,
    invalid,
    snapshot,
)

TABLES = (Company, User, UserRole, AuditLog)
COMPANY_FIELDS = {
    "id",
    "name",
    "type",
    "email",
    "phone",
    "website",
    "postal_code",
    "prefecture",
    "city",
    "description",
    "is_active",
    "is_demo",
    "demo_end_date",
    "demo_features",
    "demo_notes",
    "is_deleted",
    "created_at",
    "updated_at",
}
NEW_COMPANY = {
    "name": "Sakura Staffing",
    "type": "RECRUITING_AGENCY",
    "email": "info@sakura.example.jp",
    "phone": "06-1111-2222",
}

SYSTEM_ADMIN_ONLY = [
    Expect("anonymous", None, 401, "invalid_token"),
    Expect("home_admin", None, 403, "forbidden"),
    Expect("recruiter", None, 403, "forbidden"),
    Expect("candidate", None, 403, "forbidden"),
    Expect("employer_admin", None, 403, "forbidden"),
    Expect("employer", None, 403, "forbidden"),
    Expect("other_user", None, 403, "forbidden"),
]
SYSTEM_ADMIN_ONLY_ON_A_COMPANY = [
    Expect("anonymous", "home", 401, "invalid_token"),
    # Even a company_admin on its own company: these are the platform operator's.
    Expect("home_admin", "home", 403, "forbidden"),
    Expect("recruiter", "home", 403, "forbidden"),
    Expect("candidate", "home", 403, "forbidden"),
    Expect("employer_admin", "employer_co", 403, "forbidden"),
    Expect("employer", "employer_co", 403, "forbidden"),
    # The role check comes first: a refusal tells nothing about the id.
    Expect("home_admin", "other", 403, "forbidden"),
    Expect("home_admin", "missing", 403, "forbidden"),
    Expect("system_admin", "missing", 404, "not_found"),
]
READ_A_COMPANY = [
    Expect("anonymous", "home", 401, "invalid_token"),
    Expect("home_admin", "other", 404, "not_found"),
    Expect("recruiter", "other", 404, "not_found"),
    Expect("candidate", "employer_co", 404, "not_found"),
    Expect("employer", "home", 404, "not_found"),
    Expect("other_admin", "home", 404, "not_found"),
    Expect("home_admin", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]
UPDATE_A_COMPANY = [
    Expect("anonymous", "home", 401, "invalid_token"),
    Expect("recruiter", "home", 403, "forbidden"),
    Expect("candidate", "home", 403, "forbidden"),
    Expect("employer", "employer_co", 403, "forbidden"),
    Expect("other_user", "other", 403, "forbidden"),
    Expect("recruiter", "other", 403, "forbidden"),
    Expect("recruiter", "missing", 403, "forbidden"),
    Expect("home_admin", "other", 404, "not_found"),
    Expect("home_admin", "employer_co", 404, "not_found"),
    Expect("employer_admin", "home", 404, "not_found"),
    Expect("home_admin", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]

MATRIX: Matrix = [
    ("GET", "/api/companies/", NO_BODY, SYSTEM_ADMIN_ONLY),
    ("POST", "/api/companies/", NEW_COMPANY, SYSTEM_ADMIN_ONLY),
    ("GET", "/api/companies/{target}", NO_BODY, READ_A_COMPANY),
    ("PATCH", "/api/companies/{target}", {"city": "Osaka"}, UPDATE_A_COMPANY),
    ("PATCH", "/api/companies/{target}/demo", {"is_demo": True}, SYSTEM_ADMIN_ONLY_ON_A_COMPANY),
    ("POST", "/api/companies/{target}/activate", NO_BODY, SYSTEM_ADMIN_ONLY_ON_A_COMPANY),
    ("POST", "/api/companies/{target}/deactivate", NO_BODY, SYSTEM_ADMIN_ONLY_ON_A_COMPANY),
    ("DELETE", "/api/companies/{target}", NO_BODY, SYSTEM_ADMIN_ONLY_ON_A_COMPANY),
    ("POST", "/api/companies/{target}/restore", NO_BODY, SYSTEM_ADMIN_ONLY_ON_A_COMPANY),
]


async def test_the_authorization_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext
) -> None:
    await assert_matrix(callers, ctx, MATRIX, TABLES, not_found="Company {id} was not found.")


NAIVE = "2030-03-31T00:00:00"
REJECTED_INPUT: Rejections = [
    (
        "system_admin",
        "GET",
        "/api/companies/",
        [
            ({"params": {"type": "STARTUP"}}, invalid("type")),
            ({"params": {"is_demo": "maybe"}}, invalid("is_demo")),
            ({"params": {"sort": "email"}}, invalid("sort")),
            ({"params": {"limit": 0}}, invalid("limit")),
            ({"params": {"limit": 201}}, invalid("limit")),
            ({"params": {"offset": -1}}, invalid("offset")),
            ({"params": {"offset": 10**20}}, invalid("offset")),
            ({"params": {"q": "q" * 101}}, invalid("q")),
        ],
    ),
    (
        "system_admin",
        "POST",
        "/api/companies/",
        [
            ({"json": {}}, invalid("name")),
            ({"json": {**NEW_COMPANY, "type": "STARTUP"}}, invalid("type")),
            ({"json": {**NEW_COMPANY, "email": "nope"}}, invalid("email")),
            ({"json": {**NEW_COMPANY, "name": ""}}, invalid("name")),
            ({"json": {**NEW_COMPANY, "phone": ""}}, invalid("phone")),
            ({"json": {**NEW_COMPANY, "website": "w" * 256}}, invalid("website")),
            ({"json": {**NEW_COMPANY, "is_active": False}}, invalid("is_active")),
            # A timestamp without its offset is refused, never guessed (it used to be a 500).
            ({"json": {**NEW_COMPANY, "demo_end_date": NAIVE}}, invalid("demo_end_date")),
            ({"content": b'{"name": "x",'}, MALFORMED),
        ],
    ),
    (
        "home_admin",
        "PATCH",
        "/api/companies/{home}",
        [
            # A company_admin edits the profile only: not the type, the demo fields or the state.
            ({"json": {"type": "EMPLOYER"}}, invalid("type")),
            ({"json": {"is_demo": True}}, invalid("is_demo")),
            ({"json": {"demo_notes": "x"}}, invalid("demo_notes")),
            ({"json": {"is_active": "0"}}, invalid("is_active")),
            ({"json": {"name": None}}, invalid("name")),
            ({"json": {"email": "bad"}}, invalid("email")),
            ({"json": {"postal_code": "1" * 11}}, invalid("postal_code")),
            ({"content": b"{,}"}, MALFORMED),
        ],
    ),
    (
        "system_admin",
        "PATCH",
        "/api/companies/{home}/demo",
        [
            ({"json": {"demo_end_date": NAIVE}}, invalid("demo_end_date")),
            ({"json": {"is_demo": "yes"}}, invalid("is_demo")),
            ({"json": {"name": "x"}}, invalid("name")),
            ({"content": b"]"}, MALFORMED),
        ],
    ),
]


async def test_rejected_input_answers_one_exact_status_and_changes_nothing(
    callers: Callers, ctx: AppContext
) -> None:
    await callers.sign_in("system_admin", "home_admin")
    before = await snapshot(ctx, *TABLES)

    await assert_rejections(callers, REJECTED_INPUT)

    assert await snapshot(ctx, *TABLES) == before


async def _company(ctx: AppContext, company_id: int) -> Company:
    async with ctx.sessionmaker() as db:
        company = await db.get(Company, company_id)
        assert company is not None
        return company


async def test_the_system_admin_lists_filters_and_sorts_every_company(callers: Callers) -> None:
    async def names(**params: Any) -> tuple[list[str], int]:
        response = await callers.call("system_admin", "GET", "/api/companies/", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert all(set(c) == COMPANY_FIELDS for c in page["items"])
        return [c["name"] for c in page["items"]], page["total"]

    assert await names() == (["Home Agency", "Employer Co", "Other Agency"], 3)
    assert await names(type="EMPLOYER") == (["Employer Co"], 1)
    assert await names(q="AGENCY") == (["Home Agency", "Other Agency"], 2)
    assert await names(is_active=False) == ([], 0)
    assert await names(is_demo=False, sort="-name") == (["Other Agency", "Home Agency", "Employer Co"], 3)
    assert await names(limit=1, offset=2) == (["Other Agency"], 3)


async def test_the_system_admin_creates_a_company(callers: Callers, ctx: AppContext) -> None:
    body = {**NEW_COMPANY, "city": "Osaka", "is_demo": True, "demo_end_date": "2030-04-01T09:00:00+09:00"}

    response = await callers.call("system_admin", "POST", "/api/companies/", json=body)

    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == COMPANY_FIELDS
    assert {
        k: v for k, v in created.items() if k not in {"id", "created_at", "updated_at", "demo_end_date"}
    } == {
        **NEW_COMPANY,
        "website": None,
        "postal_code": None,
        "prefecture": None,
        "city": "Osaka",
        "description": None,
        "is_active": True,
        "is_demo": True,
        "demo_features": None,
        "demo_notes": None,
        "is_deleted": False,
    }
    assert datetime.fromisoformat(created["demo_end_date"]) == datetime(2030, 4, 1, tzinfo=UTC)
    company = await _company(ctx, created["id"])
    assert (company.name, company.type, company.is_active, company.demo_end_date) == (
        "Sakura Staffing",
        "RECRUITING_AGENCY",
        "1",
        datetime(2030, 4, 1, tzinfo=UTC),
    )


async def test_every_member_reads_their_own_company_and_the_system_admin_any(
    callers: Callers, tenants: Tenants
) -> None:
    reads = [(who, company) for who, company, _ in PEOPLE if company]
    reads += [("system_admin", name) for name in tenants.companies]
    for who, company in reads:
        response = await callers.call(who, "GET", f"/api/companies/{{{company}}}")

        assert response.status_code == 200, (who, response.text)
        read = response.json()
        assert set(read) == COMPANY_FIELDS
        expected = tenants.companies[company]
        assert (read["id"], read["name"], read["type"], read["is_active"], read["is_deleted"]) == (
            expected.id,
            expected.name,
            expected.type.value,
            True,
            False,
        )


async def test_a_company_admin_updates_its_own_company_profile(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    changes = {
        "name": "Renamed",
        "email": "new@renamed.example.jp",
        "website": "https://renamed.example.jp",
        "postal_code": "100-0001",
        "prefecture": "Tokyo",
        "city": "Chiyoda",
        "description": "説明",
    }
    for who, company in [
        ("home_admin", "home"),
        ("employer_admin", "employer_co"),
        ("system_admin", "other"),
    ]:
        response = await callers.call(who, "PATCH", f"/api/companies/{{{company}}}", json=changes)

        assert response.status_code == 200, response.text
        updated = response.json()
        assert {k: updated[k] for k in changes} == changes
        assert (updated["id"], updated["type"], updated["is_demo"]) == (
            tenants.companies[company].id,
            tenants.companies[company].type.value,
            False,
        )
        stored = await _company(ctx, tenants.companies[company].id)
        assert {k: getattr(stored, k) for k in changes} == changes

    cleared = await callers.call("home_admin", "PATCH", "/api/companies/{home}", json={"website": None})
    assert (cleared.status_code, cleared.json()["website"], cleared.json()["name"]) == (200, None, "Renamed")


async def test_the_system_admin_sets_the_demo_fields(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    changes = {
        "is_demo": True,
        "demo_end_date": "2030-04-01T00:00:00+09:00",
        "demo_features": "video,exams",
        "demo_notes": "trial",
    }

    response = await callers.call("system_admin", "PATCH", "/api/companies/{employer_co}/demo", json=changes)

    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["is_demo"], updated["demo_features"], updated["demo_notes"]) == (
        True,
        "video,exams",
        "trial",
    )
    assert datetime.fromisoformat(updated["demo_end_date"]) == datetime(2030, 3, 31, 15, tzinfo=UTC)
    stored = await _company(ctx, tenants.employer_co.id)
    assert (stored.is_demo, stored.demo_end_date, stored.name) == (
        True,
        datetime(2030, 3, 31, 15, tzinfo=UTC),
        "Employer Co",
    )


async def test_a_deactivated_company_locks_its_members_out_until_activated(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    await callers.sign_in("recruiter", "other_user")

    deactivated = await callers.call("system_admin", "POST", "/api/companies/{home}/deactivate")

    assert deactivated.status_code == 200, deactivated.text
    assert (deactivated.json()["id"], deactivated.json()["is_active"]) == (tenants.home.id, False)
    assert (await _company(ctx, tenants.home.id)).is_active == "0"
    assert_error(await callers.call("recruiter", "GET", "/api/users/me"), 401, "invalid_token")
    assert (await callers.call("other_user", "GET", "/api/users/me")).status_code == 200
    async with ctx.sessionmaker() as db:
        entry = await db.scalar(select(AuditLog).where(AuditLog.action == "companies.deactivate"))
    assert entry is not None
    assert (entry.entity_type, entry.entity_id, entry.user_id, entry.company_id) == (
        "companies",
        tenants.home.id,
        tenants.user("system_admin").id,
        tenants.home.id,
    )

    activated = await callers.call("system_admin", "POST", "/api/companies/{home}/activate")

    assert activated.status_code == 200, activated.text
    assert activated.json()["is_active"] is True
    assert (await _company(ctx, tenants.home.id)).is_active == "1"
    assert (await callers.call("recruiter", "GET", "/api/users/me")).status_code == 200


async def test_a_deleted_company_is_gone_until_restored(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    await callers.sign_in("employer")

    deleted = await callers.call("system_admin", "DELETE", "/api/companies/{employer_co}")

    assert deleted.status_code == 200, deleted.text
    assert (deleted.json()["id"], deleted.json()["is_deleted"]) == (tenants.employer_co.id, True)
    stored = await _company(ctx, tenants.employer_co.id)
    assert (stored.is_deleted, stored.deleted_by) == (True, tenants.user("system_admin").id)
    assert_error(await callers.call("employer", "GET", "/api/users/me"), 401, "invalid_token")
    for method in ("GET", "DELETE"):
        assert_error(
            await callers.call("system_admin", method, "/api/companies/{employer_co}"), 404, "not_found"
        )
    for action in ("activate", "deactivate"):
        refused = await callers.call("system_admin", "POST", f"/api/companies/{{employer_co}}/{action}")
        assert_error(refused, 404, "not_found")
    listed = await callers.call("system_admin", "GET", "/api/companies/")
    assert tenants.employer_co.id not in [c["id"] for c in listed.json()["items"]]
    with_deleted = await callers.call(
        "system_admin", "GET", "/api/companies/", params={"include_deleted": True}
    )
    assert tenants.employer_co.id in [c["id"] for c in with_deleted.json()["items"]]

    restored = await callers.call("system_admin", "POST", "/api/companies/{employer_co}/restore")

    assert restored.status_code == 200, restored.text
    assert (restored.json()["id"], restored.json()["is_deleted"]) == (tenants.employer_co.id, False)
    stored = await _company(ctx, tenants.employer_co.id)
    assert (stored.is_deleted, stored.deleted_at, stored.deleted_by) == (False, None, None)
    assert (await login(callers.client, tenants.user("employer").email))["user"]["company_id"] == stored.id
