"""Each REST mutation leaves exactly one audit row per changed entity, with the right old and new values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from models import AuditLog, Role, UserRole
from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import PASSWORD, make_company, make_user
from tests.server.auth.helpers import Client, bearer, login

USER_AGENT = "audit-trail-test/1.0"
PEER = "testclient"  # the address Litestar's test client connects from
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Actor:
    user_id: int
    company_id: int | None
    session_id: str
    headers: dict[str, str]


@dataclass(frozen=True)
class World:
    home_id: int
    other_id: int
    admin: Actor  # company_admin of home
    root: Actor  # system_admin, in no company
    staff_id: int  # an employer of home
    other_admin_id: int  # company_admin of other


async def _signed_in(client: Client, ctx: AppContext, email: str) -> Actor:
    tokens = await login(client, email)
    _, session_id = ctx.signer.read_access_token(tokens["access_token"])
    return Actor(
        user_id=tokens["user"]["id"],
        company_id=tokens["user"]["company_id"],
        session_id=session_id,
        headers={**bearer(tokens["access_token"]), "User-Agent": USER_AGENT},
    )


@pytest.fixture
async def world(client: Client, ctx: AppContext) -> World:
    async with ctx.transaction() as db:
        home = await make_company(db, CompanyType.EMPLOYER, name="Home KK")
        other = await make_company(db, CompanyType.RECRUITING_AGENCY, name="Other KK")
        await make_user(db, ctx.passwords, home, RoleName.COMPANY_ADMIN, email="admin@home.example.jp")
        staff = await make_user(
            db,
            ctx.passwords,
            home,
            RoleName.EMPLOYER,
            email="staff@home.example.jp",
            first_name="Taro",
            last_name="Yamada",
        )
        other_admin = await make_user(
            db, ctx.passwords, other, RoleName.COMPANY_ADMIN, email="admin@other.example.jp"
        )
        await make_user(db, ctx.passwords, None, RoleName.SYSTEM_ADMIN, email="root@example.jp")
    return World(
        home_id=home.id,
        other_id=other.id,
        admin=await _signed_in(client, ctx, "admin@home.example.jp"),
        root=await _signed_in(client, ctx, "root@example.jp"),
        staff_id=staff.id,
        other_admin_id=other_admin.id,
    )


async def _mark(ctx: AppContext) -> int:
    async with ctx.sessionmaker() as db:
        return int(await db.scalar(select(func.coalesce(func.max(AuditLog.id), 0))) or 0)


async def _rows_since(ctx: AppContext, mark: int) -> list[AuditLog]:
    async with ctx.sessionmaker() as db:
        return list(await db.scalars(select(AuditLog).where(AuditLog.id > mark).order_by(AuditLog.id)))


async def _only_row(ctx: AppContext, mark: int) -> AuditLog:
    rows = await _rows_since(ctx, mark)
    assert len(rows) == 1, [(r.action, r.entity_type, r.entity_id) for r in rows]
    return rows[0]


def _assert_written_by(row: AuditLog, actor: Actor, company_id: int | None) -> None:
    assert row.user_id == actor.user_id
    assert row.company_id == company_id
    assert row.ip_address == PEER
    assert row.user_agent == USER_AGENT
    assert row.session_id == actor.session_id
    assert row.metadata_ is None
    assert row.created_at.tzinfo is not None


def _is_timestamp(value: Any) -> bool:
    return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None


async def _call(
    client: Client, actor: Actor, method: str, url: str, status: int = 200, **kwargs: Any
) -> dict[str, Any]:
    r = await client.request(method, url, headers=actor.headers, **kwargs)
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json() if r.content else {}
    return body


# --- users -----------------------------------------------------------------------------


async def test_user_update_records_exactly_the_changed_columns(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)

    await _call(
        client,
        world.admin,
        "PATCH",
        f"/api/users/{world.staff_id}",
        json={"first_name": "Jiro", "phone": "090-1111-2222", "last_name": "Suzuki"},
    )

    row = await _only_row(ctx, mark)
    assert (row.action, row.entity_type, row.entity_id) == ("users.update", "users", world.staff_id)
    _assert_written_by(row, world.admin, world.home_id)
    # updated_at changes too, but the database's own bookkeeping is not part of the change.
    assert row.old_values == {"first_name": "Taro", "last_name": "Yamada", "phone": None}
    assert row.new_values == {"first_name": "Jiro", "last_name": "Suzuki", "phone": "090-1111-2222"}


async def test_patch_that_changes_nothing_writes_no_audit_row(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)

    await _call(client, world.admin, "PATCH", f"/api/users/{world.staff_id}", json={"first_name": "Taro"})

    assert await _rows_since(ctx, mark) == []


async def test_own_profile_update_is_audited_as_the_user(
    client: Client, ctx: AppContext, world: World
) -> None:
    staff = await _signed_in(client, ctx, "staff@home.example.jp")
    mark = await _mark(ctx)

    await _call(client, staff, "PATCH", "/api/users/me", json={"phone": "080-3333-4444"})

    row = await _only_row(ctx, mark)
    assert (row.action, row.entity_type, row.entity_id) == ("users.update", "users", world.staff_id)
    _assert_written_by(row, staff, world.home_id)
    assert (row.old_values, row.new_values) == ({"phone": None}, {"phone": "080-3333-4444"})


async def test_suspend_and_unsuspend_are_labelled(client: Client, ctx: AppContext, world: World) -> None:
    mark = await _mark(ctx)
    await _call(client, world.admin, "POST", f"/api/users/{world.staff_id}/suspend")
    suspended = await _only_row(ctx, mark)

    mark = await _mark(ctx)
    await _call(client, world.admin, "POST", f"/api/users/{world.staff_id}/unsuspend")
    unsuspended = await _only_row(ctx, mark)

    assert (suspended.action, suspended.entity_type, suspended.entity_id) == (
        "users.suspend",
        "users",
        world.staff_id,
    )
    _assert_written_by(suspended, world.admin, world.home_id)
    assert suspended.old_values == {"is_suspended": False, "suspended_at": None, "suspended_by": None}
    assert set(suspended.new_values) == {"is_suspended", "suspended_at", "suspended_by"}
    assert suspended.new_values["is_suspended"] is True
    assert suspended.new_values["suspended_by"] == world.admin.user_id
    assert _is_timestamp(suspended.new_values["suspended_at"])

    assert (unsuspended.action, unsuspended.entity_id) == ("users.unsuspend", world.staff_id)
    _assert_written_by(unsuspended, world.admin, world.home_id)
    assert unsuspended.old_values == suspended.new_values
    assert unsuspended.new_values == suspended.old_values


async def test_delete_and_restore_of_a_user_are_audited_as_such(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)
    await _call(client, world.admin, "DELETE", f"/api/users/{world.staff_id}")
    deleted = await _only_row(ctx, mark)

    mark = await _mark(ctx)
    await _call(client, world.admin, "POST", f"/api/users/{world.staff_id}/restore")
    restored = await _only_row(ctx, mark)

    assert (deleted.action, deleted.entity_type, deleted.entity_id) == (
        "users.delete",
        "users",
        world.staff_id,
    )
    _assert_written_by(deleted, world.admin, world.home_id)
    assert deleted.old_values == {"is_deleted": False, "deleted_at": None, "deleted_by": None}
    assert set(deleted.new_values) == {"is_deleted", "deleted_at", "deleted_by"}
    assert (deleted.new_values["is_deleted"], deleted.new_values["deleted_by"]) == (True, world.admin.user_id)
    assert _is_timestamp(deleted.new_values["deleted_at"])

    assert (restored.action, restored.entity_type, restored.entity_id) == (
        "users.restore",
        "users",
        world.staff_id,
    )
    _assert_written_by(restored, world.admin, world.home_id)
    assert restored.old_values == deleted.new_values
    assert restored.new_values == deleted.old_values


async def test_created_user_and_each_granted_role_get_one_row(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)

    created = await _call(
        client,
        world.admin,
        "POST",
        "/api/users/",
        status=201,
        json={
            "email": "new@home.example.jp",
            "first_name": "Hanako",
            "last_name": "Sato",
            "roles": ["employer"],
        },
    )

    rows = await _rows_since(ctx, mark)
    assert [(r.action, r.entity_type) for r in rows] == [
        ("users.create", "users"),
        ("user_roles.create", "user_roles"),
    ]
    user_row, role_row = rows
    assert user_row.entity_id == created["id"]
    _assert_written_by(user_row, world.admin, world.home_id)
    assert user_row.old_values is None
    values = user_row.new_values
    assert {
        k: values[k] for k in ("id", "email", "first_name", "last_name", "phone", "company_id", "is_active")
    } == {
        "id": created["id"],
        "email": "new@home.example.jp",
        "first_name": "Hanako",
        "last_name": "Sato",
        "phone": None,
        "company_id": world.home_id,
        "is_active": False,
    }
    _assert_written_by(role_row, world.admin, world.home_id)
    async with ctx.sessionmaker() as db:
        employer_role = await db.scalar(select(Role.id).where(Role.name == "employer"))
        assignment = await db.scalar(select(UserRole).where(UserRole.user_id == created["id"]))
    assert assignment is not None
    assert role_row.entity_id == assignment.id
    assert role_row.old_values is None
    assert {k: role_row.new_values[k] for k in ("id", "user_id", "role_id", "assigned_by")} == {
        "id": assignment.id,
        "user_id": created["id"],
        "role_id": employer_role,
        "assigned_by": world.admin.user_id,
    }


@pytest.mark.parametrize("by", ["admin", "root"])
async def test_role_assignment_writes_one_user_roles_row_in_the_users_company(
    client: Client, ctx: AppContext, world: World, by: str
) -> None:
    actor = world.admin if by == "admin" else world.root
    mark = await _mark(ctx)

    await _call(client, actor, "POST", f"/api/users/{world.staff_id}/roles", json={"role": "company_admin"})

    row = await _only_row(ctx, mark)
    async with ctx.sessionmaker() as db:
        role_id = await db.scalar(select(Role.id).where(Role.name == "company_admin"))
        assignment_id = await db.scalar(
            select(UserRole.id).where(UserRole.user_id == world.staff_id, UserRole.role_id == role_id)
        )
    assert (row.action, row.entity_type, row.entity_id) == ("user_roles.create", "user_roles", assignment_id)
    # The assignment belongs to the user's company, whoever granted it: its admins see it.
    _assert_written_by(row, actor, world.home_id)
    assert row.old_values is None
    assert {k: row.new_values[k] for k in ("id", "user_id", "role_id", "assigned_by")} == {
        "id": assignment_id,
        "user_id": world.staff_id,
        "role_id": role_id,
        "assigned_by": actor.user_id,
    }


async def test_role_granted_outside_a_request_is_filed_under_the_users_company(
    ctx: AppContext, world: World
) -> None:
    """A script or seed grants a role without loading the user: the row still finds its company."""
    mark = await _mark(ctx)

    async with ctx.transaction() as db:
        role_id = await db.scalar(select(Role.id).where(Role.name == "company_admin"))
        db.add(UserRole(user_id=world.staff_id, role_id=role_id))

    row = await _only_row(ctx, mark)
    assert (row.action, row.entity_type, row.company_id) == ("user_roles.create", "user_roles", world.home_id)
    assert (row.user_id, row.ip_address, row.session_id) == (None, None, None)


async def test_assigning_a_role_the_user_already_has_writes_nothing(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)

    await _call(client, world.admin, "POST", f"/api/users/{world.staff_id}/roles", json={"role": "employer"})

    assert await _rows_since(ctx, mark) == []


async def test_role_revocation_writes_one_user_roles_delete_row(
    client: Client, ctx: AppContext, world: World
) -> None:
    async with ctx.sessionmaker() as db:
        assignment = await db.scalar(select(UserRole).where(UserRole.user_id == world.staff_id))
    assert assignment is not None
    mark = await _mark(ctx)

    await _call(client, world.admin, "DELETE", f"/api/users/{world.staff_id}/roles/employer")

    row = await _only_row(ctx, mark)
    assert (row.action, row.entity_type, row.entity_id) == ("user_roles.delete", "user_roles", assignment.id)
    _assert_written_by(row, world.admin, world.home_id)
    assert {k: row.old_values[k] for k in ("id", "user_id", "role_id")} == {
        "id": assignment.id,
        "user_id": world.staff_id,
        "role_id": assignment.role_id,
    }
    assert row.new_values is None


async def test_password_change_is_audited_with_the_hash_redacted(
    client: Client, ctx: AppContext, world: World
) -> None:
    staff = await _signed_in(client, ctx, "staff@home.example.jp")
    mark = await _mark(ctx)

    r = await client.post(
        "/api/auth/password",
        headers=staff.headers,
        json={"current_password": PASSWORD, "new_password": "another long passphrase"},
    )

    assert r.status_code == 204, r.text
    rows = await _rows_since(ctx, mark)
    user_rows = [r for r in rows if r.entity_type == "users" and r.old_values is not None]
    assert [(r.action, r.entity_id) for r in user_rows] == [("auth.password_change", world.staff_id)]
    (row,) = user_rows
    _assert_written_by(row, staff, world.home_id)
    assert (row.old_values, row.new_values) == ({"hashed_password": REDACTED}, {"hashed_password": REDACTED})


# --- companies -------------------------------------------------------------------------


async def test_company_creation_is_audited_in_the_new_company(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)

    created = await _call(
        client,
        world.root,
        "POST",
        "/api/companies/",
        status=201,
        json={"name": "New KK", "type": "EMPLOYER", "email": "info@new.example.jp", "phone": "03-0000-0000"},
    )

    row = await _only_row(ctx, mark)
    assert (row.action, row.entity_type, row.entity_id) == ("companies.create", "companies", created["id"])
    _assert_written_by(row, world.root, created["id"])
    assert row.old_values is None
    assert {k: row.new_values[k] for k in ("id", "name", "type", "email", "phone", "is_demo")} == {
        "id": created["id"],
        "name": "New KK",
        "type": "EMPLOYER",
        "email": "info@new.example.jp",
        "phone": "03-0000-0000",
        "is_demo": False,
    }


async def test_company_profile_update_records_the_changed_columns(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)

    await _call(
        client,
        world.admin,
        "PATCH",
        f"/api/companies/{world.home_id}",
        json={"name": "Home KK", "city": "Shibuya"},
    )

    row = await _only_row(ctx, mark)
    assert (row.action, row.entity_type, row.entity_id) == ("companies.update", "companies", world.home_id)
    _assert_written_by(row, world.admin, world.home_id)
    assert (row.old_values, row.new_values) == ({"city": None}, {"city": "Shibuya"})


async def test_company_demo_update_records_the_changed_columns(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)

    await _call(
        client,
        world.root,
        "PATCH",
        f"/api/companies/{world.home_id}/demo",
        json={"is_demo": True, "demo_end_date": "2030-04-01T00:00:00+09:00"},
    )

    row = await _only_row(ctx, mark)
    assert (row.action, row.entity_type, row.entity_id) == ("companies.update", "companies", world.home_id)
    _assert_written_by(row, world.root, world.home_id)
    assert row.old_values == {"is_demo": False, "demo_end_date": None}
    assert row.new_values["is_demo"] is True
    assert datetime.fromisoformat(row.new_values["demo_end_date"]) == datetime.fromisoformat(
        "2030-04-01T00:00:00+09:00"
    )


async def test_deactivate_and_activate_of_a_company_are_labelled(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)
    await _call(client, world.root, "POST", f"/api/companies/{world.other_id}/deactivate")
    deactivated = await _only_row(ctx, mark)

    mark = await _mark(ctx)
    await _call(client, world.root, "POST", f"/api/companies/{world.other_id}/activate")
    activated = await _only_row(ctx, mark)

    assert (deactivated.action, deactivated.entity_type, deactivated.entity_id) == (
        "companies.deactivate",
        "companies",
        world.other_id,
    )
    _assert_written_by(deactivated, world.root, world.other_id)
    assert (deactivated.old_values, deactivated.new_values) == ({"is_active": "1"}, {"is_active": "0"})
    assert (activated.action, activated.entity_id) == ("companies.activate", world.other_id)
    _assert_written_by(activated, world.root, world.other_id)
    assert (activated.old_values, activated.new_values) == ({"is_active": "0"}, {"is_active": "1"})


async def test_delete_and_restore_of_a_company_are_audited_as_such(
    client: Client, ctx: AppContext, world: World
) -> None:
    mark = await _mark(ctx)
    await _call(client, world.root, "DELETE", f"/api/companies/{world.other_id}")
    deleted = await _only_row(ctx, mark)

    mark = await _mark(ctx)
    await _call(client, world.root, "POST", f"/api/companies/{world.other_id}/restore")
    restored = await _only_row(ctx, mark)

    assert (deleted.action, deleted.entity_type, deleted.entity_id) == (
        "companies.delete",
        "companies",
        world.other_id,
    )
    _assert_written_by(deleted, world.root, world.other_id)
    assert deleted.old_values == {"is_deleted": False, "deleted_at": None, "deleted_by": None}
    assert (deleted.new_values["is_deleted"], deleted.new_values["deleted_by"]) == (True, world.root.user_id)
    assert _is_timestamp(deleted.new_values["deleted_at"])
    assert (restored.action, restored.entity_id) == ("companies.restore", world.other_id)
    _assert_written_by(restored, world.root, world.other_id)
    assert (restored.old_values, restored.new_values) == (deleted.new_values, deleted.old_values)


async def test_refused_mutation_leaves_no_audit_row(client: Client, ctx: AppContext, world: World) -> None:
    mark = await _mark(ctx)

    r = await client.patch(
        f"/api/users/{world.other_admin_id}", headers=world.admin.headers, json={"first_name": "Hacked"}
    )

    assert r.status_code == 404
    assert await _rows_since(ctx, mark) == []


# --- settings --------------------------------------------------------------------------


async def test_setting_create_update_delete_each_leave_one_row(
    client: Client, ctx: AppContext, world: World
) -> None:
    admin = world.admin
    mark = await _mark(ctx)
    await _call(
        client,
        admin,
        "POST",
        "/api/settings/",
        status=201,
        json={"key": "ui.theme", "value": "dark", "category": "ui"},
    )
    created = await _only_row(ctx, mark)

    mark = await _mark(ctx)
    await _call(client, admin, "PATCH", "/api/settings/ui.theme", json={"value": "light"})
    updated = await _only_row(ctx, mark)

    mark = await _mark(ctx)
    await _call(client, admin, "DELETE", "/api/settings/ui.theme", status=204)
    deleted = await _only_row(ctx, mark)

    setting_id = created.entity_id
    assert isinstance(setting_id, int)
    assert [(r.action, r.entity_type, r.entity_id) for r in (created, updated, deleted)] == [
        ("user_settings.create", "user_settings", setting_id),
        ("user_settings.update", "user_settings", setting_id),
        ("user_settings.delete", "user_settings", setting_id),
    ]
    for row in (created, updated, deleted):
        _assert_written_by(row, admin, world.home_id)
    assert created.old_values is None
    assert {k: created.new_values[k] for k in ("user_id", "setting_key", "setting_value", "data_type")} == {
        "user_id": admin.user_id,
        "setting_key": "ui.theme",
        "setting_value": REDACTED,
        "data_type": "string",
    }
    # A user's settings are theirs alone: admins who search the trail never see their values.
    assert (updated.old_values, updated.new_values) == (
        {"setting_value": REDACTED},
        {"setting_value": REDACTED},
    )
    assert deleted.new_values is None
    assert {k: deleted.old_values[k] for k in ("id", "setting_key", "setting_value")} == {
        "id": setting_id,
        "setting_key": "ui.theme",
        "setting_value": REDACTED,
    }
    for row in (created, updated, deleted):
        assert "dark" not in repr(row.new_values) + repr(row.old_values)
        assert "light" not in repr(row.new_values) + repr(row.old_values)


async def test_description_change_of_an_encrypted_setting_records_only_the_description(
    client: Client, ctx: AppContext, world: World
) -> None:
    admin = world.admin
    await _call(
        client,
        admin,
        "POST",
        "/api/settings/",
        status=201,
        json={"key": "api.token", "value": "tok", "is_encrypted": True},
    )
    mark = await _mark(ctx)

    await _call(client, admin, "PATCH", "/api/settings/api.token", json={"description": "CRM token"})

    row = await _only_row(ctx, mark)
    assert row.action == "user_settings.update"
    assert (row.old_values, row.new_values) == ({"description": None}, {"description": "CRM token"})


async def test_switching_encryption_off_redacts_both_sides(
    client: Client, ctx: AppContext, world: World
) -> None:
    admin = world.admin
    await _call(
        client,
        admin,
        "POST",
        "/api/settings/",
        status=201,
        json={"key": "api.token", "value": "tok", "is_encrypted": True},
    )
    mark = await _mark(ctx)

    await _call(client, admin, "PATCH", "/api/settings/api.token", json={"is_encrypted": False})

    row = await _only_row(ctx, mark)
    assert row.action == "user_settings.update"
    assert row.old_values == {"is_encrypted": True, "setting_value": REDACTED}
    # Neither the sealed nor the plain text reaches the trail.
    assert row.new_values == {"is_encrypted": False, "setting_value": REDACTED}


async def test_switching_encryption_on_redacts_both_sides(
    client: Client, ctx: AppContext, world: World
) -> None:
    admin = world.admin
    await _call(
        client, admin, "POST", "/api/settings/", status=201, json={"key": "api.token", "value": "tok"}
    )
    mark = await _mark(ctx)

    await _call(client, admin, "PATCH", "/api/settings/api.token", json={"is_encrypted": True})

    row = await _only_row(ctx, mark)
    assert row.old_values == {"is_encrypted": False, "setting_value": REDACTED}
    assert row.new_values == {"is_encrypted": True, "setting_value": REDACTED}


async def test_setting_value_that_fills_its_column_is_audited(
    client: Client, ctx: AppContext, world: World
) -> None:
    """A value of 65,535 bytes fits `user_settings.setting_value`; its audit row must be written too."""
    mark = await _mark(ctx)

    r = await client.post(
        "/api/settings/", headers=world.admin.headers, json={"key": "long", "value": "あ" * 21_845}
    )

    assert r.status_code == 201, r.text[:300]
    row = await _only_row(ctx, mark)
    assert (row.action, row.new_values["setting_key"], row.new_values["setting_value"]) == (
        "user_settings.create",
        "long",
        REDACTED,
    )


async def test_company_with_long_texts_is_created_and_its_audit_row_clipped(
    client: Client, ctx: AppContext, world: World
) -> None:
    """Three 10,000-character Japanese texts are 90 KB of JSON: more than the audit row's TEXT holds."""
    text = "説明" * 5_000
    mark = await _mark(ctx)

    created = await _call(
        client,
        world.root,
        "POST",
        "/api/companies/",
        status=201,
        json={
            "name": "Long KK",
            "type": "EMPLOYER",
            "email": "info@long.example.jp",
            "phone": "03-0000-0000",
            "description": text,
            "demo_features": text,
            "demo_notes": text,
        },
    )

    assert created["description"] == text
    row = await _only_row(ctx, mark)
    assert (row.action, row.entity_id, row.new_values["name"]) == (
        "companies.create",
        created["id"],
        "Long KK",
    )
    clipped = text[:1000] + "… [10000 characters]"
    assert [row.new_values[k] for k in ("description", "demo_features", "demo_notes")] == [clipped] * 3
