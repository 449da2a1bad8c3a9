"""/api/candidates: the agency's directory of its candidates (rules: server/domains/candidates/access.py).

Staff of an agency (company_admin, recruiter) see and register their own company's candidates;
an employer sees only candidates proposed to it (tests/server/candidates/test_proposals.py); a
candidate sees themselves; anyone else gets the 404 of a missing id.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models import Resume, Role, User, UserRole
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import make_resume, make_user
from tests.server.auth.helpers import drained_mails
from tests.server.tenants import (
    Callers,
    Expect,
    Matrix,
    Tenants,
    assert_error,
    assert_matrix,
    error_fields,
)

CANDIDATE = RoleName.CANDIDATE
NOT_FOUND = "Candidate {id} was not found."
ANONYMOUS = Expect("anonymous", "candidate", 401, "invalid_token")


@pytest.fixture
async def directory(ctx: AppContext, tenants: Tenants, callers: Callers) -> dict[str, User]:
    """A second candidate at home with a Python resume, and a candidate of the other agency."""
    async with ctx.transaction() as db:
        second = await make_user(
            db, ctx.passwords, tenants.home, CANDIDATE, first_name="花子", last_name="佐藤"
        )
        stranger = await make_user(
            db, ctx.passwords, tenants.other, CANDIDATE, first_name="次郎", last_name="鈴木"
        )
        await make_resume(db, second, skills=[{"name": "Python"}, {"name": "ROS 2"}], visibility="company")
        await make_resume(db, second, skills=[{"name": "Haskell"}], visibility="private")
    callers.names.update(second=second.id, stranger=stranger.id)
    return {"second": second, "stranger": stranger}


async def test_who_opens_a_candidate(ctx: AppContext, callers: Callers, directory: dict[str, User]) -> None:
    matrix: Matrix = [
        (
            "GET",
            "/api/candidates/{target}",
            None,
            [
                Expect("system_admin", "candidate", 200, ""),
                Expect("home_admin", "candidate", 200, ""),
                Expect("recruiter", "second", 200, ""),
                Expect("candidate", "candidate", 200, ""),
                Expect("candidate", "second", 404, "not_found"),
                Expect("employer_admin", "candidate", 404, "not_found"),
                Expect("employer", "candidate", 404, "not_found"),
                Expect("other_admin", "candidate", 404, "not_found"),
                Expect("other_user", "second", 404, "not_found"),
                Expect("other_user", "stranger", 200, ""),
                Expect("recruiter", "stranger", 404, "not_found"),
                Expect("home_admin", "recruiter", 404, "not_found"),  # staff are not candidates
                Expect("home_admin", "missing", 404, "not_found"),
                ANONYMOUS,
            ],
        ),
        (
            "GET",
            "/api/candidates/{target}/interviews",
            None,
            [
                Expect("recruiter", "second", 200, ""),
                Expect("candidate", "second", 404, "not_found"),
                Expect("employer_admin", "second", 404, "not_found"),
                Expect("other_admin", "second", 404, "not_found"),
                ANONYMOUS,
            ],
        ),
        (
            "GET",
            "/api/candidates/{target}/resumes",
            None,
            [
                Expect("recruiter", "second", 200, ""),
                Expect("candidate", "second", 404, "not_found"),
                Expect("employer", "second", 404, "not_found"),
                Expect("other_user", "second", 404, "not_found"),
                ANONYMOUS,
            ],
        ),
    ]
    await assert_matrix(callers, ctx, matrix, [User, Resume], not_found=NOT_FOUND)


async def ids_listed(callers: Callers, who: str, **params: Any) -> list[int]:
    response = await callers.call(who, "GET", "/api/candidates", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return [item["id"] for item in body["items"]]


async def test_each_caller_lists_exactly_the_candidates_they_see(
    callers: Callers, tenants: Tenants, directory: dict[str, User]
) -> None:
    home = sorted([tenants.user("candidate").id, directory["second"].id])
    assert await ids_listed(callers, "home_admin") == home
    assert await ids_listed(callers, "recruiter") == home
    assert await ids_listed(callers, "candidate") == [tenants.user("candidate").id]
    assert await ids_listed(callers, "other_user") == [directory["stranger"].id]
    assert await ids_listed(callers, "employer_admin") == []
    assert await ids_listed(callers, "employer") == []
    assert await ids_listed(callers, "system_admin") == sorted([*home, directory["stranger"].id])
    assert_error(await callers.call("anonymous", "GET", "/api/candidates"), 401, "invalid_token")


async def test_search_finds_candidates_by_name_email_and_the_skills_of_resumes_the_caller_sees(
    callers: Callers, tenants: Tenants, directory: dict[str, User]
) -> None:
    second = directory["second"].id
    assert await ids_listed(callers, "recruiter", q="佐藤") == [second]
    assert await ids_listed(callers, "recruiter", q="花子") == [second]
    assert await ids_listed(callers, "recruiter", q=directory["second"].email.upper()) == [second]
    assert await ids_listed(callers, "recruiter", q="python") == [second]
    assert await ids_listed(callers, "recruiter", q="ROS") == [second]
    assert await ids_listed(callers, "recruiter", q="ros 2") == [second]
    assert await ids_listed(callers, "recruiter", q="name") == []  # JSON keys are not skills
    assert await ids_listed(callers, "recruiter", q="Haskell") == []  # only in a private resume
    assert await ids_listed(callers, "other_user", q="python") == []


async def test_a_recruiter_registers_a_candidate_who_is_mailed_an_activation_link(
    ctx: AppContext, client: Any, settings: Any, callers: Callers, tenants: Tenants
) -> None:
    response = await callers.call(
        "recruiter",
        "POST",
        "/api/candidates",
        json={"email": "Kenta.Ito@example.jp", "first_name": "健太", "last_name": "伊藤"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["email"], body["company_id"], body["is_active"]) == (
        "kenta.ito@example.jp",
        tenants.home.id,
        False,
    )
    async with ctx.sessionmaker() as db:
        roles = (
            await db.scalars(
                select(Role.name)
                .join(UserRole, UserRole.role_id == Role.id)
                .where(UserRole.user_id == body["id"])
            )
        ).all()
    assert roles == ["candidate"]
    mails = [mail for mail in await drained_mails(client, settings) if mail["To"] == "kenta.ito@example.jp"]
    assert len(mails) == 1 and "/activate?token=" in mails[0].get_content()
    assert await ids_listed(callers, "recruiter", q="伊藤") == [body["id"]]


async def test_only_an_agency_registers_candidates(
    ctx: AppContext, callers: Callers, tenants: Tenants
) -> None:
    new = {"email": "someone@example.jp", "first_name": "誰", "last_name": "某"}
    for who, status, code in [
        ("candidate", 403, "forbidden"),
        ("employer_admin", 403, "forbidden"),
        ("employer", 403, "forbidden"),
        ("anonymous", 401, "invalid_token"),
    ]:
        assert_error(await callers.call(who, "POST", "/api/candidates", json=new), status, code)
    elsewhere = {**new, "company_id": tenants.other.id}
    refused = assert_error(
        await callers.call("recruiter", "POST", "/api/candidates", json=elsewhere), 422, "validation_error"
    )
    assert refused["errors"][0]["field"] == "company_id"
    platform = await callers.call("system_admin", "POST", "/api/candidates", json=new)
    assert_error(platform, 422, "validation_error")
    assert error_fields(platform) == ["company_id"]
    taken = {**new, "email": tenants.user("employer").email}
    assert_error(await callers.call("home_admin", "POST", "/api/candidates", json=taken), 409, "email_taken")
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(User.id).where(User.email == new["email"])) is None
