"""/api/positions: creating, changing, the publishing workflow, deadlines and skills lists."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models import AuditLog
from models.enums import PositionStatus
from server.context import AppContext
from tests.factories import make_position
from tests.server.positions.conftest import Shelf, days
from tests.server.tenants import Callers, assert_error, error_fields

BASE = "/api/positions/"


async def test_a_new_position_is_a_draft_with_its_skills_cleaned(callers: Callers, shelf: Shelf) -> None:
    body = {
        "title": "機械学習エンジニア",
        "description": "推薦システムの開発",
        "location": "東京都千代田区",
        "employment_type": "full_time",
        "experience_level": "senior",
        "salary_range": "年収800万〜1,200万円",
        "application_deadline": days(14).isoformat(),
        "is_remote": True,
        "skills_required": ["Python", "PyTorch", "python", "SQL"],
        "skills_preferred": [],
    }
    response = await callers.call("employer", "POST", BASE, json=body)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["status"] == "draft"
    assert made["posted_date"] is None
    assert made["skills_required"] == ["Python", "PyTorch", "SQL"]
    assert made["skills_preferred"] == []
    assert made["created_by"] == callers.tenants.user("employer").id
    read = await callers.call("employer_admin", "GET", f"{BASE}{made['id']}")
    assert read.json() == made


NOT_SKILLS: list[Any] = [
    "Python",
    [1, 2],
    [""],
    [" Python"],
    ["x" * 51],
    [f"skill {n}" for n in range(31)],
    {"lang": "Python"},
    [["Python"]],
]


async def test_skills_are_a_json_list_of_short_strings(callers: Callers, shelf: Shelf) -> None:
    got = []
    for skills in NOT_SKILLS:
        created = await callers.call(
            "employer", "POST", BASE, json={"title": "Role", "skills_required": skills}
        )
        patched = await callers.call("employer", "PATCH", BASE + "{draft}", json={"skills_preferred": skills})
        got.append(
            (
                created.status_code,
                error_fields(created)[0].split("[")[0],
                patched.status_code,
                error_fields(patched)[0].split("[")[0],
            )
        )
    assert got == [(422, "skills_required", 422, "skills_preferred")] * len(NOT_SKILLS)


async def test_a_change_keeps_what_it_does_not_name(callers: Callers, shelf: Shelf) -> None:
    response = await callers.call(
        "employer_admin", "PATCH", BASE + "{published}", json={"skills_preferred": ["Go", "go", "Rust"]}
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["skills_preferred"] == ["Go", "Rust"]
    assert changed["skills_required"] == ["Python", "FastAPI"]
    assert changed["title"] == "Backend Engineer"
    cleared = await callers.call("employer_admin", "PATCH", BASE + "{published}", json={"location": None})
    assert cleared.json()["location"] is None


async def test_a_deadline_in_the_past_is_refused(callers: Callers, shelf: Shelf) -> None:
    yesterday = days(-1).isoformat()
    created = await callers.call(
        "employer", "POST", BASE, json={"title": "Late", "application_deadline": yesterday}
    )
    assert_error(created, 422, "validation_error")
    assert error_fields(created) == ["application_deadline"]
    patched = await callers.call(
        "employer", "PATCH", BASE + "{draft}", json={"application_deadline": yesterday}
    )
    assert error_fields(patched) == ["application_deadline"]
    today = await callers.call(
        "employer", "PATCH", BASE + "{draft}", json={"application_deadline": days(0).isoformat()}
    )
    assert today.status_code == 200


async def test_publishing_sets_the_posted_date_and_names_the_change(
    callers: Callers, ctx: AppContext, shelf: Shelf
) -> None:
    response = await callers.call("employer", "POST", BASE + "{draft}/status", json={"status": "published"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "published"
    assert response.json()["posted_date"] == days(0).isoformat()
    async with ctx.sessionmaker() as db:
        actions = list(
            await db.scalars(
                select(AuditLog.action).where(
                    AuditLog.entity_type == "positions", AuditLog.entity_id == shelf.id("draft")
                )
            )
        )
    assert actions[-1] == "positions.publish"


async def test_a_position_past_its_deadline_cannot_be_published(
    callers: Callers, ctx: AppContext, shelf: Shelf
) -> None:
    async with ctx.transaction() as db:
        stale = await make_position(
            db,
            callers.tenants.employer_co,
            callers.tenants.user("employer"),
            status=PositionStatus.CLOSED,
            application_deadline=days(-1),
        )
    response = await callers.call(
        "employer", "POST", f"{BASE}{stale.id}/status", json={"status": "published"}
    )
    assert_error(response, 409, "deadline_passed")
    moved = await callers.call(
        "employer", "PATCH", f"{BASE}{stale.id}", json={"application_deadline": days(10).isoformat()}
    )
    assert moved.status_code == 200
    again = await callers.call("employer", "POST", f"{BASE}{stale.id}/status", json={"status": "published"})
    assert again.status_code == 200


WORKFLOW = {
    "draft": {"published", "archived"},
    "published": {"closed", "archived"},
    "closed": {"published", "archived"},
    "archived": set(),
}


@pytest.mark.parametrize("start", sorted(WORKFLOW))
async def test_the_workflow_allows_its_moves_and_refuses_every_other(
    callers: Callers, ctx: AppContext, shelf: Shelf, start: str
) -> None:
    got, expected = [], []
    for target in sorted(WORKFLOW):
        async with ctx.transaction() as db:
            position = await make_position(
                db,
                callers.tenants.employer_co,
                callers.tenants.user("employer"),
                status=PositionStatus(start),
                application_deadline=days(5),
            )
        response = await callers.call(
            "employer", "POST", f"{BASE}{position.id}/status", json={"status": target}
        )
        code = response.json().get("code", response.json().get("status"))
        got.append((start, target, response.status_code, code))
        allowed = target in WORKFLOW[start]
        expected.append((start, target, 200 if allowed else 409, target if allowed else "illegal_transition"))
    assert got == expected


async def test_the_company_list_filters_sorts_and_hides_deleted(callers: Callers, shelf: Shelf) -> None:
    everything = await callers.call("employer", "GET", BASE, params={"sort": "title", "limit": 50})
    titles = [item["title"] for item in everything.json()["items"]]
    assert titles == ["Backend Engineer", "Closed Role", "Data Engineer", "Expired Engineer", "Old Role"]
    assert everything.json()["total"] == 5
    drafts = await callers.call("employer", "GET", BASE, params={"status": "draft"})
    assert [item["title"] for item in drafts.json()["items"]] == ["Data Engineer"]
    page = await callers.call("employer", "GET", BASE, params={"sort": "-title", "limit": 2, "offset": 1})
    assert [item["title"] for item in page.json()["items"]] == ["Expired Engineer", "Data Engineer"]
    assert page.json()["total"] == 5
    remote = await callers.call("employer", "GET", BASE, params={"is_remote": "true", "q": "fastapi"})
    assert [item["title"] for item in remote.json()["items"]] == ["Backend Engineer"]
    wrong = await callers.call("employer", "GET", BASE, params={"sort": "salary"})
    assert_error(wrong, 422, "validation_error")
    operator = await callers.call("system_admin", "GET", BASE, params={"company_id": callers.tenants.home.id})
    assert [item["title"] for item in operator.json()["items"]] == ["キャリアアドバイザー"]


async def test_an_archived_position_stays_as_it_is(callers: Callers, shelf: Shelf) -> None:
    response = await callers.call("employer", "PATCH", BASE + "{archived}", json={"title": "Revived"})
    assert_error(response, 409, "position_archived")
