"""/api/positions and /api/public/positions: who may call which route, one exact answer per case.

Company staff (company_admin, recruiter, employer) work on their own company's positions; a
candidate gets 403 on every company route; another company's position is 404 like a missing one;
deleting is for company_admins. The refused calls change no row.
"""

from __future__ import annotations

from models import AuditLog, Position
from server.context import AppContext
from tests.server.positions.conftest import NOT_FOUND, Shelf
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, assert_matrix

TABLES = (Position, AuditLog)
NEW = {"title": "Frontend Engineer"}

UNSEEN = [
    Expect("anonymous", "draft", 401, "invalid_token"),
    Expect("candidate", "agency_post", 403, "forbidden"),
    Expect("recruiter", "draft", 404, "not_found"),
    Expect("home_admin", "published", 404, "not_found"),
    Expect("other_admin", "agency_post", 404, "not_found"),
    Expect("employer_admin", "foreign", 404, "not_found"),
    Expect("employer", "removed", 404, "not_found"),
    Expect("employer", "missing", 404, "not_found"),
    Expect("system_admin", "missing", 404, "not_found"),
]


def with_body(cases: list[Expect], body: object) -> list[Expect]:
    return [case._replace(json=body) for case in cases]


MATRIX: Matrix = [
    (
        "GET",
        "/api/positions/",
        NO_BODY,
        [Expect("anonymous", None, 401, "invalid_token"), Expect("candidate", None, 403, "forbidden")],
    ),
    (
        "POST",
        "/api/positions/",
        NEW,
        [
            Expect("anonymous", None, 401, "invalid_token"),
            Expect("candidate", None, 403, "forbidden"),
            Expect("employer_admin", None, 403, "forbidden", {**NEW, "company_id": "{home}"}),
            Expect("system_admin", None, 422, "validation_error"),
            Expect("employer", None, 422, "validation_error", {"title": ""}),
            Expect("employer", None, 422, "validation_error", {**NEW, "status": "published"}),
        ],
    ),
    ("GET", "/api/positions/{target}", NO_BODY, UNSEEN),
    (
        "PATCH",
        "/api/positions/{target}",
        {"title": "Changed"},
        [
            *UNSEEN,
            Expect("employer", "draft", 422, "validation_error", {"skills_required": "Python"}),
            Expect("employer", "archived", 409, "position_archived"),
        ],
    ),
    (
        "POST",
        "/api/positions/{target}/status",
        {"status": "published"},
        [
            *UNSEEN,
            Expect("employer", "draft", 422, "validation_error", {"status": "open"}),
            Expect("employer", "archived", 409, "illegal_transition"),
            Expect("employer", "expired", 409, "illegal_transition"),
        ],
    ),
    (
        "DELETE",
        "/api/positions/{target}",
        NO_BODY,
        [
            *UNSEEN,
            Expect("employer", "draft", 403, "forbidden"),
            Expect("recruiter", "agency_post", 403, "forbidden"),
        ],
    ),
    # The public routes: no login, only publicly listed positions, the same 404 for the rest.
    (
        "GET",
        "/api/public/positions/{target}",
        NO_BODY,
        [
            Expect("anonymous", "draft", 404, "not_found"),
            Expect("anonymous", "closed", 404, "not_found"),
            Expect("anonymous", "expired", 404, "not_found"),
            Expect("anonymous", "dormant", 404, "not_found"),
            Expect("anonymous", "removed", 404, "not_found"),
            Expect("employer_admin", "draft", 404, "not_found"),
            Expect("anonymous", "missing", 404, "not_found"),
        ],
    ),
]


async def test_the_authorization_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext, shelf: Shelf
) -> None:
    await assert_matrix(callers, ctx, MATRIX, TABLES, not_found=NOT_FOUND)


ALLOWED = [
    ("GET", "/api/positions/{draft}", "employer"),
    ("GET", "/api/positions/{draft}", "employer_admin"),
    ("GET", "/api/positions/{agency_post}", "home_admin"),
    ("GET", "/api/positions/{foreign}", "system_admin"),
    ("GET", "/api/public/positions/{published}", "anonymous"),
    ("GET", "/api/public/positions/{agency_post}", "candidate"),
    ("PATCH", "/api/positions/{draft}", "employer"),
    ("PATCH", "/api/positions/{agency_post}", "recruiter"),
    ("PATCH", "/api/positions/{foreign}", "system_admin"),
    ("POST", "/api/positions/{closed}/status", "employer"),
    ("DELETE", "/api/positions/{draft}", "employer_admin"),
    ("DELETE", "/api/positions/{agency_post}", "home_admin"),
    ("DELETE", "/api/positions/{foreign}", "system_admin"),
]
BODIES = {"PATCH": {"benefits": "リモート手当"}, "POST": {"status": "published"}}


async def test_staff_of_the_company_and_the_operator_get_through(callers: Callers, shelf: Shelf) -> None:
    got = []
    for method, path, who in ALLOWED:
        body = BODIES.get(method)
        response = await callers.call(who, method, path, **({"json": body} if body else {}))
        got.append((method, path, who, response.status_code))
    expected = [(m, p, w, 204 if m == "DELETE" else 200) for m, p, w in ALLOWED]
    assert got == expected


async def test_every_staff_role_creates_in_its_own_company(callers: Callers, shelf: Shelf) -> None:
    made = {}
    for who in ("employer_admin", "employer", "home_admin", "recruiter"):
        response = await callers.call(who, "POST", "/api/positions/", json={"title": f"Role by {who}"})
        assert response.status_code == 201, response.text
        made[who] = response.json()["company_id"]
    by_operator = await callers.call(
        "system_admin",
        "POST",
        "/api/positions/",
        json={"title": "Ops", "company_id": shelf.positions["draft"].company_id},
    )
    assert by_operator.status_code == 201
    tenants = callers.tenants
    assert made == {
        "employer_admin": tenants.employer_co.id,
        "employer": tenants.employer_co.id,
        "home_admin": tenants.home.id,
        "recruiter": tenants.home.id,
    }
