"""POST /api/auth/login: credentials, disabled accounts, the rate limit and the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from models import AuditLog, Company, User
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import PASSWORD, make_company, make_user
from tests.server.auth.helpers import Client

INVALID_CREDENTIALS = {
    "status": 401,
    "code": "invalid_credentials",
    "detail": "The email or password is wrong.",
    "errors": [],
}
ACCOUNT_DISABLED = {
    "status": 401,
    "code": "account_disabled",
    "detail": "This account cannot sign in.",
    "errors": [],
}


async def _post_login(client: Client, email: str, password: str = PASSWORD) -> Any:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


async def test_right_password_answers_a_bearer_token_pair(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        company = await make_company(db)
        user = await make_user(db, ctx.passwords, company, RoleName.EMPLOYER, email="ok@example.jp")

    r = await _post_login(client, "ok@example.jp")

    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"]
    assert body["refresh_token"]
    assert body["user"]["email"] == "ok@example.jp"
    assert body["user"]["id"] == user.id
    assert body["user"]["roles"] == ["employer"]
    assert "two_factor_required" not in body


async def test_email_is_matched_case_insensitively(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), email="case@example.jp")

    r = await _post_login(client, "  CASE@Example.JP ")

    assert r.status_code == 200, r.text


async def test_wrong_password_is_refused_as_invalid_credentials(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), email="wrong@example.jp")

    r = await _post_login(client, "wrong@example.jp", "not the password")

    assert r.status_code == 401
    assert r.json() == INVALID_CREDENTIALS


async def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client: Client) -> None:
    r = await _post_login(client, "nobody@example.jp")

    assert r.status_code == 401
    assert r.json() == INVALID_CREDENTIALS


async def test_user_without_a_password_cannot_sign_in(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), password=None, email="nopw@example.jp")

    r = await _post_login(client, "nopw@example.jp")

    assert r.status_code == 401
    assert r.json() == INVALID_CREDENTIALS


@pytest.mark.parametrize(
    "fields",
    [{"is_active": False}, {"is_suspended": True}, {"is_deleted": True}],
    ids=["inactive", "suspended", "deleted"],
)
async def test_disabled_user_with_the_right_password_is_refused(
    client: Client, ctx: AppContext, fields: dict[str, bool]
) -> None:
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), email="off@example.jp", **fields)

    r = await _post_login(client, "off@example.jp")

    assert r.status_code == 401
    assert r.json() == ACCOUNT_DISABLED


async def test_user_of_a_deactivated_company_is_refused(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        company = await make_company(db)
        await make_user(db, ctx.passwords, company, email="co-off@example.jp")
        await db.execute(update(Company).where(Company.id == company.id).values(is_active="0"))

    r = await _post_login(client, "co-off@example.jp")

    assert r.status_code == 401
    assert r.json() == ACCOUNT_DISABLED


async def test_eleventh_wrong_login_for_one_email_is_rate_limited(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), email="limit@example.jp")

    for _ in range(10):
        r = await _post_login(client, "limit@example.jp", "not the password")
        assert r.status_code == 401, r.text
    r = await _post_login(client, "limit@example.jp", "not the password")

    assert r.status_code == 429, r.text
    assert int(r.headers["Retry-After"]) >= 1
    assert r.json()["code"] == "rate_limited"
    assert r.json()["status"] == 429
    # The limit counts the account: the right password is refused too while it lasts.
    r = await _post_login(client, "limit@example.jp")
    assert r.status_code == 429


async def test_login_is_audited_without_the_password_hash(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        user = await make_user(db, ctx.passwords, await make_company(db), email="audit@example.jp")
        password_hash = user.hashed_password
    assert password_hash

    r = await _post_login(client, "audit@example.jp")
    assert r.status_code == 200, r.text

    async with ctx.sessionmaker() as db:
        rows = list(await db.scalars(select(AuditLog)))
        logins = [row for row in rows if row.action == "auth.login"]
        assert [(row.entity_type, row.entity_id, row.user_id) for row in logins] == [
            ("users", user.id, user.id)
        ]
        for row in rows:
            text = f"{row.old_values!r} {row.new_values!r} {row.metadata_!r}"
            assert password_hash not in text, row.action
        stored = await db.scalar(select(User.last_login).where(User.id == user.id))
        assert stored is not None


async def test_failed_login_is_audited(client: Client, ctx: AppContext) -> None:
    async with ctx.transaction() as db:
        user = await make_user(db, ctx.passwords, await make_company(db), email="fail@example.jp")

    r = await _post_login(client, "fail@example.jp", "not the password")
    assert r.status_code == 401

    async with ctx.sessionmaker() as db:
        rows = list(await db.scalars(select(AuditLog).where(AuditLog.action == "auth.login_failed")))
        assert [(row.entity_id, row.metadata_) for row in rows] == [(user.id, {"email": "fail@example.jp"})]
