"""Two tenants, a second agency and a platform operator, and signed-in callers for each of them.

Authorization tests address people and companies by short names, so a matrix row reads like
the rule it checks: `Expect("home_admin", "other_user", 404, "not_found")` on
`GET /api/users/{target}`.

- `home`: a recruiting agency with `home_admin` (company_admin), `recruiter`, `candidate`
- `employer_co`: an employer with `employer_admin` (company_admin) and `employer`
- `other`: a second recruiting agency with `other_admin` (company_admin) and `other_user` (recruiter)
- `system_admin`: the platform operator, in no company
- `anonymous`: no Authorization header at all
- `missing`: an id no row has
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from models import Base, Company, Role, User, UserRole
from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from tests.factories import PASSWORD
from tests.server.auth.helpers import bearer, login

Client = AsyncTestClient  # type: ignore[type-arg]

MISSING_ID = 2_000_000_000
"""An id no row has (ids keep growing on MySQL, where emptied tables keep their counters)."""

PEOPLE: list[tuple[str, str | None, RoleName]] = [
    ("system_admin", None, RoleName.SYSTEM_ADMIN),
    ("home_admin", "home", RoleName.COMPANY_ADMIN),
    ("recruiter", "home", RoleName.RECRUITER),
    ("candidate", "home", RoleName.CANDIDATE),
    ("employer_admin", "employer_co", RoleName.COMPANY_ADMIN),
    ("employer", "employer_co", RoleName.EMPLOYER),
    ("other_admin", "other", RoleName.COMPANY_ADMIN),
    ("other_user", "other", RoleName.RECRUITER),
]
"""Who exists: name, company name, role."""


def email_of(who: str) -> str:
    return f"{who.replace('_', '.')}@tenants.example.jp"


@dataclass(frozen=True)
class Tenants:
    companies: dict[str, Company]
    users: dict[str, User]

    @property
    def home(self) -> Company:
        return self.companies["home"]

    @property
    def employer_co(self) -> Company:
        return self.companies["employer_co"]

    @property
    def other(self) -> Company:
        return self.companies["other"]

    def user(self, who: str) -> User:
        return self.users[who]

    def ids(self) -> dict[str, int]:
        """Every name a path template may use: people, companies and `missing`."""
        ids = {name: user.id for name, user in self.users.items()}
        ids.update({name: company.id for name, company in self.companies.items()})
        ids["missing"] = MISSING_ID
        return ids

    def path(self, template: str, **more: int | str) -> str:
        """`/api/users/{recruiter}` -> `/api/users/12`; `more` adds names (a test's own rows)."""
        return template.format(**self.ids(), **more)


async def create_tenants(ctx: AppContext) -> Tenants:
    """Commit the companies and people every authorization test starts from (three flushes)."""
    hashed = ctx.passwords.hash(PASSWORD)
    async with ctx.transaction() as db:
        companies = {
            "home": Company(name="Home Agency", type=CompanyType.RECRUITING_AGENCY),
            "employer_co": Company(name="Employer Co", type=CompanyType.EMPLOYER),
            "other": Company(name="Other Agency", type=CompanyType.RECRUITING_AGENCY),
        }
        for name, company in companies.items():
            company.email = f"contact@{name.replace('_', '-')}.example.jp"
            company.phone = "03-1234-5678"
        db.add_all(companies.values())
        await db.flush()
        users = {
            who: User(
                email=email_of(who),
                first_name=who,
                last_name="Tenant",
                company_id=companies[company].id if company else None,
                hashed_password=hashed,
                is_active=True,
            )
            for who, company, _ in PEOPLE
        }
        db.add_all(users.values())
        await db.flush()
        role_ids = dict((await db.execute(select(Role.name, Role.id))).tuples().all())
        db.add_all(UserRole(user_id=users[who].id, role_id=role_ids[role.value]) for who, _, role in PEOPLE)
    return Tenants(companies=companies, users=users)


class _NoBody:
    def __repr__(self) -> str:
        return "NO_BODY"


NO_BODY: Any = _NoBody()
"""No request body at all (`None` would send JSON null)."""


@dataclass
class Callers:
    """Sends requests as one of the tenants' people, signing each in once per test."""

    client: Client
    tenants: Tenants
    tokens: dict[str, str] = field(default_factory=dict)
    names: dict[str, int | str] = field(default_factory=dict)
    """Extra names path templates may use, such as the id of a row the test created."""

    async def sign_in(self, *people: str) -> None:
        """Sign these people in now (signing in writes rows: do it before taking a snapshot)."""
        for who in people:
            await self.headers(who)

    async def headers(self, who: str) -> dict[str, str]:
        if who == "anonymous":
            return {}
        if who not in self.tokens:
            answer = await login(self.client, self.tenants.user(who).email)
            self.tokens[who] = answer["access_token"]
        return bearer(self.tokens[who])

    def path(self, template: str) -> str:
        return self.tenants.path(template, **self.names)

    def resolve(self, body: Any) -> Any:
        """A body with `"{other}"`-style values replaced by those names' ids."""
        if isinstance(body, dict):
            return {key: self.resolve(value) for key, value in body.items()}
        if isinstance(body, list):
            return [self.resolve(value) for value in body]
        if isinstance(body, str) and len(body) > 2 and body[0] == "{" and body[-1] == "}":
            return int(self.path(body))
        return body

    async def call(
        self,
        who: str,
        method: str,
        template: str,
        *,
        json: Any = NO_BODY,
        content: bytes | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """`method template` as `who`, with a JSON body (`json`) or raw bytes sent as JSON (`content`)."""
        headers = await self.headers(who)
        kwargs: dict[str, Any] = {"headers": headers, "params": params}
        if content is not None:
            kwargs["content"] = content
            headers["content-type"] = "application/json"
        elif json is not NO_BODY:
            kwargs["json"] = json
        response: httpx.Response = await self.client.request(method, self.path(template), **kwargs)
        return response


class Expect(NamedTuple):
    """One cell of an authorization matrix: `who` calls the route on `target`, gets `status`/`code`.

    `target` replaces `{target}` in the route's path (a person, a company, `missing`, or a
    name in `Callers.names`); `json` replaces the route's body for this cell only, its
    `"{name}"` values replaced by ids.
    """

    who: str
    target: str | None
    status: int
    code: str
    json: Any = NO_BODY


Matrix = list[tuple[str, str, Any, list[Expect]]]
"""`(method, path, body, cells)`: a route, the body it is sent with, and who gets what on it."""


async def outcomes(
    callers: Callers,
    method: str,
    template: str,
    cases: Iterable[Expect],
    *,
    json: Any = NO_BODY,
    not_found: str | None = None,
) -> list[Expect]:
    """The cases as they actually came out: compare the result with the cases themselves.

    `not_found` (`"User {id} was not found."`) also requires every 404 to say exactly that,
    so another tenant's id and a missing id answer the same words.
    """
    got = []
    for case in cases:
        path = template.replace("{target}", "{" + case.target + "}") if case.target else template
        body = json if case.json is NO_BODY else callers.resolve(case.json)
        response = await callers.call(case.who, method, path, json=body)
        answer = response.json() if response.content else {}
        code = answer.get("code", "") if isinstance(answer, dict) else ""
        if response.status_code == 404 and not_found is not None and case.target:
            target_id = callers.path("{" + case.target + "}")
            if answer.get("detail") != not_found.format(id=target_id):
                code = f"{code} ({answer.get('detail')!r})"
        got.append(case._replace(status=response.status_code, code=code))
    return got


async def assert_matrix(
    callers: Callers, ctx: AppContext, matrix: Matrix, tables: Iterable[type[Base]], *, not_found: str
) -> None:
    """Call every cell of the matrix, compare each answer with the expected one, and show that
    the refused calls changed none of `tables`."""
    await callers.sign_in(*{cell.who for _, _, _, cells in matrix for cell in cells})
    before = await snapshot(ctx, *tables)
    expected, got = [], []
    for method, path, body, cells in matrix:
        expected += [(method, path, cell) for cell in cells]
        answers = await outcomes(callers, method, path, cells, json=body, not_found=not_found)
        got += [(method, path, answer) for answer in answers]
    assert_rows(expected, got)
    assert await snapshot(ctx, *tables) == before


async def snapshot(ctx: AppContext, *models: type[Base]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of these tables, to show that refused requests changed nothing."""
    state = {}
    async with ctx.sessionmaker() as db:
        for model in models:
            table = model.__table__
            rows = await db.execute(select(table).order_by(*table.primary_key.columns))
            state[table.name] = [tuple(row) for row in rows]
    return state


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The one error shape with exactly this status and code; returns the body."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}, body
    assert (body["status"], body["code"]) == (status, code), body
    return body


_NAMED = re.compile(r"field `([^`]+)`")


def error_fields(response: httpx.Response) -> list[str]:
    """The fields an error names. A missing or unknown body field comes as `field: "data"` with
    the name only in the message ("Object missing required field `email`"): that name is used.
    """
    fields = []
    for error in response.json()["errors"]:
        named = _NAMED.search(error["message"]) if error["field"] == "data" else None
        fields.append(named.group(1) if named else error["field"])
    return fields


def assert_rows(expected: list[Any], got: list[Any]) -> None:
    """Row by row: the failure lists only the rows that differ, expected above what came."""
    assert len(got) == len(expected)
    wrong = [f"expected {e}\n     got {g}" for e, g in zip(expected, got, strict=True) if e != g]
    assert not wrong, "\n" + "\n".join(wrong)


class Answer(NamedTuple):
    """What a refused request answered: status, error code and the fields its `errors` name."""

    status: int
    code: str
    fields: tuple[str, ...] = ()


def invalid(*fields: str) -> Answer:
    return Answer(422, "validation_error", fields)


def conflict(code: str) -> Answer:
    return Answer(409, code)


MALFORMED = Answer(400, "malformed_json")

Rejections = list[tuple[str, str, str, list[tuple[dict[str, Any], Answer]]]]
"""`(who, method, path, [(request, answer), ...])`: a request is `callers.call` keywords."""


def answer_of(response: httpx.Response) -> Answer:
    body = response.json() if response.content else {}
    code = body.get("code", "") if isinstance(body, dict) else ""
    fields = tuple(error_fields(response)) if code else ()
    return Answer(response.status_code, code, fields)


async def assert_rejections(callers: Callers, table: Rejections) -> None:
    """Send every request of the table and compare each answer with the expected one."""
    expected, got = [], []
    for who, method, path, rows in table:
        for request, answer in rows:
            response = await callers.call(who, method, path, **request)
            expected.append((who, method, path, request, answer))
            got.append((who, method, path, request, answer_of(response)))
    assert_rows(expected, got)
