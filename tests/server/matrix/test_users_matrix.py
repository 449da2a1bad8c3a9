"""/api/users: who may call which route, on whom, and what a permitted call does.

Rules (server/domains/users/services.py): every signed-in user reads and updates their own
profile; everything else needs company_admin (403 before any lookup, so a refusal says nothing
about the id), and then reaches only users of the admin's own company (another tenant's user is
404 exactly like a missing id). A system_admin reaches every user.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import AuditLog, Company, Role, User, UserRole
from server.context import AppContext
from server.settings import Settings
from tests.server.auth.helpers import drained_mails, login
from tests.server.tenants import (
    MALFORMED,
    MISSING_ID,
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
    conflict,
    email_of,
    invalid,
    snapshot,
)

TABLES = (Company, User, UserRole, AuditLog)
USER_FIELDS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "company_id",
    "is_active",
    "is_admin",
    "require_2fa",
    "is_suspended",
    "is_deleted",
    "last_login",
    "created_at",
    "updated_at",
    "roles",
}
NEW_USER = {
    "email": "New.Hire@Example.jp",
    "first_name": "Hanako",
    "last_name": "Sato",
    "roles": ["recruiter"],
}

ANONYMOUS = Expect("anonymous", None, 401, "invalid_token")
ADMIN_ONLY_LIST = [
    ANONYMOUS,
    Expect("recruiter", None, 403, "forbidden"),
    Expect("candidate", None, 403, "forbidden"),
    Expect("employer", None, 403, "forbidden"),
    Expect("other_user", None, 403, "forbidden"),
]
ADMIN_ONLY_ON_A_USER = [
    Expect("anonymous", "recruiter", 401, "invalid_token"),
    # Wrong role, on a colleague of one's own company.
    Expect("recruiter", "home_admin", 403, "forbidden"),
    Expect("candidate", "recruiter", 403, "forbidden"),
    Expect("employer", "employer_admin", 403, "forbidden"),
    Expect("other_user", "other_admin", 403, "forbidden"),
    # The role check comes first: a refusal tells nothing about the id.
    Expect("recruiter", "other_user", 403, "forbidden"),
    Expect("recruiter", "missing", 403, "forbidden"),
    # Another tenant's user, a company-less system_admin, a missing id: all the same 404.
    Expect("home_admin", "other_user", 404, "not_found"),
    Expect("home_admin", "employer", 404, "not_found"),
    Expect("home_admin", "system_admin", 404, "not_found"),
    Expect("home_admin", "missing", 404, "not_found"),
    Expect("employer_admin", "recruiter", 404, "not_found"),
    Expect("other_admin", "home_admin", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]

MATRIX: Matrix = [
    ("GET", "/api/users/", NO_BODY, ADMIN_ONLY_LIST),
    (
        "POST",
        "/api/users/",
        NEW_USER,
        [
            *ADMIN_ONLY_LIST,
            # A company_admin creates users in its own company only; another tenant and a
            # missing company are refused alike.
            Expect("home_admin", None, 403, "forbidden", {**NEW_USER, "company_id": "{other}"}),
            Expect("home_admin", None, 403, "forbidden", {**NEW_USER, "company_id": "{missing}"}),
            Expect("home_admin", None, 403, "forbidden", {**NEW_USER, "roles": ["system_admin"]}),
        ],
    ),
    ("GET", "/api/users/me", NO_BODY, [ANONYMOUS]),
    ("PATCH", "/api/users/me", {"first_name": "Jiro"}, [ANONYMOUS]),
    (
        "GET",
        "/api/users/{target}",
        NO_BODY,
        [
            *ADMIN_ONLY_ON_A_USER,
            # Reading oneself needs no role; reading someone else does, even in one's company.
            Expect("candidate", "home_admin", 403, "forbidden"),
        ],
    ),
    ("PATCH", "/api/users/{target}", {"first_name": "Jiro"}, ADMIN_ONLY_ON_A_USER),
    (
        "POST",
        "/api/users/{target}/roles",
        {"role": "candidate"},
        [
            *ADMIN_ONLY_ON_A_USER,
            Expect("home_admin", "recruiter", 403, "forbidden", {"role": "system_admin"}),
        ],
    ),
    ("DELETE", "/api/users/{target}/roles/company_admin", NO_BODY, ADMIN_ONLY_ON_A_USER),
    ("POST", "/api/users/{target}/suspend", NO_BODY, ADMIN_ONLY_ON_A_USER),
    ("POST", "/api/users/{target}/unsuspend", NO_BODY, ADMIN_ONLY_ON_A_USER),
    ("DELETE", "/api/users/{target}", NO_BODY, ADMIN_ONLY_ON_A_USER),
    ("POST", "/api/users/{target}/restore", NO_BODY, ADMIN_ONLY_ON_A_USER),
]


async def test_the_authorization_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext
) -> None:
    await assert_matrix(callers, ctx, MATRIX, TABLES, not_found="User {id} was not found.")


# Input the users routes refuse, from callers who may otherwise call them.
REJECTED_INPUT: Rejections = [
    (
        "home_admin",
        "GET",
        "/api/users/",
        [
            ({"params": {"limit": 0}}, invalid("limit")),
            ({"params": {"limit": 201}}, invalid("limit")),
            ({"params": {"offset": -1}}, invalid("offset")),
            ({"params": {"offset": 10**20}}, invalid("offset")),
            ({"params": {"sort": "hashed_password"}}, invalid("sort")),
            ({"params": {"q": "x" * 101}}, invalid("q")),
            ({"params": {"is_active": "maybe"}}, invalid("is_active")),
        ],
    ),
    (
        "home_admin",
        "POST",
        "/api/users/",
        [
            ({"json": {}}, invalid("email")),
            ({"json": {**NEW_USER, "email": "not-an-email"}}, invalid("email")),
            ({"json": {**NEW_USER, "first_name": ""}}, invalid("first_name")),
            ({"json": {**NEW_USER, "roles": ["wizard"]}}, invalid("roles[0]")),
            ({"json": {**NEW_USER, "is_active": True}}, invalid("is_active")),
            ({"content": b'{"email": '}, MALFORMED),
            # The email is taken, whatever its case and whichever tenant holds it.
            ({"json": {**NEW_USER, "email": "Recruiter@Tenants.example.jp"}}, conflict("email_taken")),
            ({"json": {**NEW_USER, "email": email_of("other_user")}}, conflict("email_taken")),
            # A role the company's type does not allow.
            ({"json": {**NEW_USER, "roles": ["employer"]}}, conflict("role_mismatch")),
        ],
    ),
    ("employer_admin", "POST", "/api/users/", [({"json": NEW_USER}, conflict("role_mismatch"))]),
    (
        "system_admin",
        "POST",
        "/api/users/",
        [
            # No company: only system_admin fits.
            ({"json": NEW_USER}, conflict("role_mismatch")),
            ({"json": {**NEW_USER, "company_id": MISSING_ID}}, invalid("company_id")),
        ],
    ),
    (
        "recruiter",
        "PATCH",
        "/api/users/me",
        [
            ({"json": {"first_name": ""}}, invalid("first_name")),
            ({"json": {"email": "me@example.jp"}}, invalid("email")),
            ({"json": {"require_2fa": False}}, invalid("require_2fa")),
            ({"json": {"phone": "0" * 51}}, invalid("phone")),
            ({"content": b"{"}, MALFORMED),
        ],
    ),
    (
        "home_admin",
        "PATCH",
        "/api/users/{recruiter}",
        [
            ({"json": {"last_name": "x" * 101}}, invalid("last_name")),
            ({"json": {"first_name": None}}, invalid("first_name")),
            ({"json": {"is_suspended": True}}, invalid("is_suspended")),
            ({"json": {"company_id": 1}}, invalid("company_id")),
            ({"content": b"[1,"}, MALFORMED),
        ],
    ),
    (
        "home_admin",
        "POST",
        "/api/users/{recruiter}/roles",
        [
            ({"json": {"role": "wizard"}}, invalid("role")),
            ({"json": {}}, invalid("role")),
            ({"content": b"role"}, MALFORMED),
            ({"json": {"role": "employer"}}, conflict("role_mismatch")),
        ],
    ),
    (
        "system_admin",
        "POST",
        "/api/users/{recruiter}/roles",
        [({"json": {"role": "system_admin"}}, conflict("role_mismatch"))],
    ),
    ("home_admin", "DELETE", "/api/users/{recruiter}/roles/wizard", [({}, invalid("role"))]),
    # Nobody locks themselves out.
    ("home_admin", "DELETE", "/api/users/{home_admin}/roles/company_admin", [({}, conflict("self_lockout"))]),
    (
        "system_admin",
        "DELETE",
        "/api/users/{system_admin}/roles/system_admin",
        [({}, conflict("self_lockout"))],
    ),
    ("home_admin", "POST", "/api/users/{home_admin}/suspend", [({}, conflict("self_lockout"))]),
    ("home_admin", "DELETE", "/api/users/{home_admin}", [({}, conflict("self_lockout"))]),
]


async def test_rejected_input_answers_one_exact_status_and_changes_nothing(
    callers: Callers, ctx: AppContext
) -> None:
    await callers.sign_in("home_admin", "employer_admin", "system_admin", "recruiter")
    before = await snapshot(ctx, *TABLES)

    await assert_rejections(callers, REJECTED_INPUT)

    assert await snapshot(ctx, *TABLES) == before


async def _user(ctx: AppContext, user_id: int) -> User:
    async with ctx.sessionmaker() as db:
        user = await db.get(User, user_id)
        assert user is not None
        return user


async def _role_rows(ctx: AppContext, user_id: int) -> list[tuple[str, int | None]]:
    async with ctx.sessionmaker() as db:
        rows = await db.execute(
            select(Role.name, UserRole.assigned_by)
            .join(Role, Role.id == UserRole.role_id)
            .where(UserRole.user_id == user_id)
            .order_by(Role.name)
        )
        return [(name, by) for name, by in rows]


async def test_an_admin_lists_exactly_the_users_it_manages(callers: Callers) -> None:
    managed = {
        "home_admin": ["home_admin", "recruiter", "candidate"],
        "employer_admin": ["employer_admin", "employer"],
        "other_admin": ["other_admin", "other_user"],
        "system_admin": [who for who, _, _ in PEOPLE],
    }
    listed = {}
    for who in managed:
        response = await callers.call(who, "GET", "/api/users/")
        assert response.status_code == 200, response.text
        page = response.json()
        assert all(set(u) == USER_FIELDS for u in page["items"])
        listed[who] = ([u["email"] for u in page["items"]], page["total"])

    assert listed == {who: ([email_of(p) for p in people], len(people)) for who, people in managed.items()}


async def test_the_user_list_filters_pages_and_sorts(callers: Callers) -> None:
    async def emails(**params: Any) -> tuple[list[str], int]:
        response = await callers.call("home_admin", "GET", "/api/users/", params=params)
        assert response.status_code == 200, response.text
        return [u["email"] for u in response.json()["items"]], response.json()["total"]

    assert await emails(q="RECRUIT") == ([email_of("recruiter")], 1)
    assert await emails(q="other") == ([], 0)
    assert await emails(limit=1, offset=1) == ([email_of("recruiter")], 3)
    assert await emails(sort="-email") == ([email_of(w) for w in ("recruiter", "home_admin", "candidate")], 3)
    assert await emails(is_suspended=True) == ([], 0)


async def test_a_company_admin_creates_an_inactive_user_in_its_own_company(
    callers: Callers, ctx: AppContext, tenants: Tenants, settings: Settings
) -> None:
    body = {
        **NEW_USER,
        "phone": "090-1234-5678",
        "roles": ["recruiter", "recruiter"],
        "company_id": tenants.home.id,
    }

    response = await callers.call("home_admin", "POST", "/api/users/", json=body)

    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == USER_FIELDS
    assert {k: v for k, v in created.items() if k not in {"id", "created_at", "updated_at"}} == {
        "email": "new.hire@example.jp",
        "first_name": "Hanako",
        "last_name": "Sato",
        "phone": "090-1234-5678",
        "company_id": tenants.home.id,
        "is_active": False,
        "is_admin": False,
        "require_2fa": False,
        "is_suspended": False,
        "is_deleted": False,
        "last_login": None,
        "roles": ["recruiter"],
    }
    user = await _user(ctx, created["id"])
    assert (user.email, user.company_id, user.is_active, user.hashed_password) == (
        "new.hire@example.jp",
        tenants.home.id,
        False,
        None,
    )
    assert await _role_rows(ctx, user.id) == [("recruiter", tenants.user("home_admin").id)]
    mails = await drained_mails(callers.client, settings)
    assert [m["To"] for m in mails] == ["new.hire@example.jp"]


async def test_a_system_admin_creates_users_in_any_company_or_none(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    wanted = [("other", ["company_admin"]), ("employer_co", ["employer"]), (None, ["system_admin"])]
    for n, (company, roles) in enumerate(wanted):
        company_id = tenants.companies[company].id if company else None
        body = {**NEW_USER, "email": f"hire{n}@example.jp", "roles": roles, "company_id": company_id}

        response = await callers.call("system_admin", "POST", "/api/users/", json=body)

        assert response.status_code == 201, response.text
        assert (response.json()["company_id"], response.json()["roles"]) == (company_id, roles)
        assert (await _user(ctx, response.json()["id"])).company_id == company_id


async def test_everyone_reads_their_own_profile_by_me_and_by_id(callers: Callers, tenants: Tenants) -> None:
    for who, _, role in PEOPLE:
        me = tenants.user(who)

        by_me = await callers.call(who, "GET", "/api/users/me")
        by_id = await callers.call(who, "GET", f"/api/users/{{{who}}}")

        assert (by_me.status_code, by_id.status_code) == (200, 200), (who, by_me.text, by_id.text)
        assert by_me.json() == by_id.json()
        profile = by_me.json()
        assert set(profile) == USER_FIELDS
        assert (profile["id"], profile["email"], profile["company_id"], profile["roles"]) == (
            me.id,
            me.email,
            me.company_id,
            [role.value],
        )
        assert (profile["is_active"], profile["is_suspended"], profile["is_deleted"]) == (True, False, False)
        assert profile["last_login"] is not None


async def test_a_profile_update_changes_only_the_callers_own_row(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    await callers.sign_in("candidate")
    before = await snapshot(ctx, Company, UserRole)

    response = await callers.call(
        "candidate", "PATCH", "/api/users/me", json={"first_name": "Jiro", "phone": "080-0000-0000"}
    )

    assert response.status_code == 200, response.text
    profile = response.json()
    assert (profile["id"], profile["first_name"], profile["last_name"], profile["phone"]) == (
        tenants.user("candidate").id,
        "Jiro",
        "Tenant",
        "080-0000-0000",
    )
    candidate = await _user(ctx, tenants.user("candidate").id)
    assert (candidate.first_name, candidate.phone) == ("Jiro", "080-0000-0000")
    assert (await _user(ctx, tenants.user("recruiter").id)).first_name == "recruiter"
    assert await snapshot(ctx, Company, UserRole) == before

    cleared = await callers.call("candidate", "PATCH", "/api/users/me", json={"phone": None})
    assert (cleared.status_code, cleared.json()["phone"]) == (200, None)


async def test_an_admin_reads_and_updates_a_user_it_manages(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    for who, target in [("home_admin", "recruiter"), ("system_admin", "other_user")]:
        read = await callers.call(who, "GET", f"/api/users/{{{target}}}")
        assert read.status_code == 200, read.text
        assert (read.json()["id"], read.json()["email"]) == (tenants.user(target).id, email_of(target))

        response = await callers.call(
            who,
            "PATCH",
            f"/api/users/{{{target}}}",
            json={"last_name": "Suzuki", "phone": "03-0000-0000", "require_2fa": True},
        )

        assert response.status_code == 200, response.text
        updated = response.json()
        assert (updated["first_name"], updated["last_name"], updated["phone"], updated["require_2fa"]) == (
            target,
            "Suzuki",
            "03-0000-0000",
            True,
        )
        user = await _user(ctx, tenants.user(target).id)
        assert (user.last_name, user.phone, user.require_2fa) == ("Suzuki", "03-0000-0000", True)


async def test_an_admin_assigns_a_role_once(callers: Callers, ctx: AppContext, tenants: Tenants) -> None:
    for who, target, role, roles in [
        ("home_admin", "recruiter", "company_admin", ["company_admin", "recruiter"]),
        ("employer_admin", "employer", "company_admin", ["company_admin", "employer"]),
        ("system_admin", "other_user", "candidate", ["candidate", "recruiter"]),
    ]:
        first = await callers.call(who, "POST", f"/api/users/{{{target}}}/roles", json={"role": role})
        again = await callers.call(who, "POST", f"/api/users/{{{target}}}/roles", json={"role": role})

        assert (first.status_code, again.status_code) == (200, 200), (first.text, again.text)
        assert first.json()["roles"] == again.json()["roles"] == roles
        assigned = dict(await _role_rows(ctx, tenants.user(target).id))
        assert sorted(assigned) == roles
        assert assigned[role] == tenants.user(who).id


async def test_an_admin_revokes_a_role_and_revoking_it_again_is_harmless(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    first = await callers.call("home_admin", "DELETE", "/api/users/{recruiter}/roles/recruiter")
    again = await callers.call("home_admin", "DELETE", "/api/users/{recruiter}/roles/recruiter")

    assert (first.status_code, again.status_code) == (200, 200), (first.text, again.text)
    assert first.json()["roles"] == again.json()["roles"] == []
    assert await _role_rows(ctx, tenants.user("recruiter").id) == []
    assert await _role_rows(ctx, tenants.user("home_admin").id) == [("company_admin", None)]


async def test_suspending_ends_access_and_unsuspending_restores_it(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    for who, target in [("home_admin", "recruiter"), ("system_admin", "other_admin")]:
        await callers.sign_in(target)

        suspended = await callers.call(who, "POST", f"/api/users/{{{target}}}/suspend")

        assert suspended.status_code == 200, suspended.text
        assert (suspended.json()["id"], suspended.json()["is_suspended"]) == (tenants.user(target).id, True)
        user = await _user(ctx, tenants.user(target).id)
        assert (user.is_suspended, user.suspended_by) == (True, tenants.user(who).id)
        assert user.suspended_at is not None
        assert_error(await callers.call(target, "GET", "/api/users/me"), 401, "invalid_token")
        async with ctx.sessionmaker() as db:
            entry = await db.scalar(
                select(AuditLog).where(AuditLog.action == "users.suspend", AuditLog.entity_id == user.id)
            )
        assert entry is not None
        assert (entry.entity_type, entry.user_id, entry.company_id) == (
            "users",
            tenants.user(who).id,
            user.company_id,
        )

        unsuspended = await callers.call(who, "POST", f"/api/users/{{{target}}}/unsuspend")

        assert unsuspended.status_code == 200, unsuspended.text
        assert unsuspended.json()["is_suspended"] is False
        user = await _user(ctx, tenants.user(target).id)
        assert (user.is_suspended, user.suspended_at, user.suspended_by) == (False, None, None)
        assert (await login(callers.client, email_of(target)))["user"]["id"] == user.id


async def test_a_deleted_user_is_gone_until_restored(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    for who, target in [("home_admin", "candidate"), ("system_admin", "employer")]:
        target_id = tenants.user(target).id
        path = f"/api/users/{{{target}}}"

        deleted = await callers.call(who, "DELETE", path)

        assert deleted.status_code == 200, deleted.text
        assert (deleted.json()["id"], deleted.json()["is_deleted"]) == (target_id, True)
        user = await _user(ctx, target_id)
        assert (user.is_deleted, user.deleted_by) == (True, tenants.user(who).id)
        assert_error(await callers.call(who, "GET", path), 404, "not_found")
        assert_error(await callers.call(who, "DELETE", path), 404, "not_found")
        # Another tenant's admin cannot bring it back: the same 404 as for a missing user.
        refused = assert_error(await callers.call("other_admin", "POST", f"{path}/restore"), 404, "not_found")
        assert refused["detail"] == f"User {target_id} was not found."
        assert (await _user(ctx, target_id)).is_deleted is True
        listed = await callers.call(who, "GET", "/api/users/")
        assert target_id not in [u["id"] for u in listed.json()["items"]]
        with_deleted = await callers.call(who, "GET", "/api/users/", params={"include_deleted": True})
        assert target_id in [u["id"] for u in with_deleted.json()["items"]]

        restored = await callers.call(who, "POST", f"{path}/restore")

        assert restored.status_code == 200, restored.text
        assert (restored.json()["id"], restored.json()["is_deleted"]) == (target_id, False)
        user = await _user(ctx, target_id)
        assert (user.is_deleted, user.deleted_at, user.deleted_by) == (False, None, None)
        assert (await callers.call(who, "GET", path)).status_code == 200
