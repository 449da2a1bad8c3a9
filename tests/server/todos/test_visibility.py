"""Who sees which todo and with which rights: one table, checked by reading each todo and by listing.

Rules (server/domains/todos/access.py): manage = creator, company_admin, system_admin; edit =
assignee, viewer granted edit; read = viewer granted read, and the company's staff (not
candidate-only accounts) when visibility is `company`; grants count only while the todo is not
`private`; soft-deleted todos are seen by nobody. A todo you may not see answers 404.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType
from server.auth.principal import Principal, RoleName
from server.context import AppContext
from server.domains.files import owners
from server.errors import Forbidden, NotFound
from tests.server.tenants import Callers, assert_rows
from tests.server.todos.conftest import Team
from tests.server.todos.helpers import BASE

TODOS = ("todo", "private", "company", "undated", "own", "deleted", "foreign")
M, E, R, N = "manage", "edit", "read", None
# Each row: a person's rights on the todos above, in that order (None: 404).
RIGHTS: dict[str, tuple[str | None, ...]] = {
    #                todo private company undated own deleted foreign
    "recruiter": (M, M, M, M, N, N, N),
    "assignee": (E, N, E, E, N, N, N),
    "editor": (E, N, E, R, N, N, N),
    "reader": (R, N, R, R, N, N, N),
    "colleague": (N, N, R, R, N, N, N),
    "candidate": (N, E, N, N, M, N, N),
    "home_admin": (M, M, M, M, M, N, N),
    "employer_admin": (N, N, N, N, N, N, N),
    "other_user": (N, N, N, N, N, N, M),
    "other_admin": (N, N, N, N, N, N, M),
    "system_admin": (M, M, M, M, M, N, M),
}


async def test_each_person_reads_exactly_the_todos_they_may_see_with_their_rights(
    callers: Callers, team: Team
) -> None:
    expected, got = [], []
    for who, rights in RIGHTS.items():
        for name, right in zip(TODOS, rights, strict=True):
            r = await callers.call(who, "GET", f"{BASE}/{{{name}}}")
            expected.append((who, name, right))
            if r.status_code == 200:
                got.append((who, name, r.json()["access"]))
            else:
                body = r.json()
                assert (r.status_code, body["detail"]) == (404, f"Todo {team.id(name)} was not found.")
                got.append((who, name, None))
    assert_rows(expected, got)


async def test_each_persons_list_holds_exactly_the_todos_they_may_see(callers: Callers, team: Team) -> None:
    expected, got = [], []
    for who, rights in RIGHTS.items():
        body = (await callers.call(who, "GET", f"{BASE}/", params={"limit": 200})).json()
        seen = {item["id"]: item["access"] for item in body["items"]}
        expected.append((who, {team.id(n): right for n, right in zip(TODOS, rights, strict=True) if right}))
        got.append((who, seen))
        assert body["total"] == len(body["items"])
    assert_rows(expected, got)


async def test_making_a_todo_private_hides_it_from_its_viewers_and_the_company(
    callers: Callers, team: Team
) -> None:
    r = await callers.call("recruiter", "PATCH", f"{BASE}/{{company}}", json={"visibility": "private"})
    assert r.status_code == 200, r.text
    for who, status in [("colleague", 404), ("editor", 404), ("assignee", 200), ("home_admin", 200)]:
        assert (who, (await callers.call(who, "GET", f"{BASE}/{{company}}")).status_code) == (who, status)


def principal(team: Team, who: str, *roles: RoleName) -> Principal:
    user = team.tenants.user(who)
    return Principal(
        user_id=user.id,
        email=user.email,
        company_id=user.company_id,
        company_type=CompanyType.RECRUITING_AGENCY,
        roles=frozenset(roles or {RoleName.RECRUITER}),
        session_id="test",
    )


async def outcome(db: AsyncSession, team: Team, who: str, name: str, write: bool) -> str:
    try:
        await owners.check_owner(db, principal(team, who), "todo", team.id(name), write=write)
    except NotFound:
        return "404"
    except Forbidden:
        return "403"
    return "ok"


async def test_a_todos_files_follow_the_todo(ctx: AppContext, team: Team) -> None:
    """The check the files endpoints ask for `todo_attachments`: read to download, edit to upload."""
    cases = [
        ("recruiter", "todo", True, "ok"),
        ("assignee", "todo", True, "ok"),
        ("editor", "todo", True, "ok"),
        ("reader", "todo", False, "ok"),
        ("reader", "todo", True, "403"),
        ("colleague", "company", False, "ok"),
        ("colleague", "company", True, "403"),
        ("colleague", "todo", False, "404"),
        ("reader", "private", False, "404"),
        ("recruiter", "deleted", False, "404"),
        ("recruiter", "foreign", False, "404"),
        ("other_user", "todo", False, "404"),
    ]
    async with ctx.sessionmaker() as db:
        got = [(who, name, write, await outcome(db, team, who, name, write)) for who, name, write, _ in cases]
    assert_rows(cases, got)
