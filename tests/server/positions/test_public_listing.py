"""/api/public/positions: published positions open for applications, without login."""

from __future__ import annotations

from typing import Any

from tests.server.positions.conftest import Shelf
from tests.server.tenants import Callers, assert_error

BASE = "/api/public/positions/"


async def titles(callers: Callers, **params: Any) -> list[str]:
    response = await callers.call("anonymous", "GET", BASE, params={"sort": "title", **params})
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_only_open_published_positions_of_live_companies_are_listed(
    callers: Callers, shelf: Shelf
) -> None:
    response = await callers.call("anonymous", "GET", BASE)
    body = response.json()
    assert body["total"] == 2
    assert sorted(item["title"] for item in body["items"]) == ["Backend Engineer", "キャリアアドバイザー"]
    backend = next(item for item in body["items"] if item["title"] == "Backend Engineer")
    assert backend["company_name"] == "Employer Co"
    assert backend["skills_required"] == ["Python", "FastAPI"]
    assert "status" not in backend and "created_by" not in backend


async def test_search_looks_in_title_location_and_skills(callers: Callers, shelf: Shelf) -> None:
    assert await titles(callers, q="backend") == ["Backend Engineer"]
    assert await titles(callers, q="渋谷") == ["Backend Engineer"]
    assert await titles(callers, q="FASTAPI") == ["Backend Engineer"]
    assert await titles(callers, q="人材紹介") == ["キャリアアドバイザー"]
    assert await titles(callers, q="python 渋谷") == ["Backend Engineer"]
    assert await titles(callers, q="python 大阪") == []
    assert await titles(callers, q="Data") == []  # a draft
    assert await titles(callers, q="100%_") == []


async def test_filters_narrow_the_listing(callers: Callers, shelf: Shelf) -> None:
    assert await titles(callers, employment_type="part_time") == ["キャリアアドバイザー"]
    assert await titles(callers, experience_level="mid") == ["Backend Engineer"]
    assert await titles(callers, is_remote="true") == ["Backend Engineer"]
    assert await titles(callers, is_remote="false") == ["キャリアアドバイザー"]
    assert await titles(callers, company_id=callers.tenants.home.id) == ["キャリアアドバイザー"]
    refused = await callers.call("anonymous", "GET", BASE, params={"employment_type": "gig"})
    assert_error(refused, 422, "validation_error")


async def test_the_listing_pages_and_sorts(callers: Callers, shelf: Shelf) -> None:
    newest = await callers.call("anonymous", "GET", BASE, params={"limit": 1})
    assert newest.json()["total"] == 2
    assert [item["title"] for item in newest.json()["items"]] == ["キャリアアドバイザー"]
    second = await callers.call("anonymous", "GET", BASE, params={"limit": 1, "offset": 1})
    assert [item["title"] for item in second.json()["items"]] == ["Backend Engineer"]
    too_many = await callers.call("anonymous", "GET", BASE, params={"limit": 1000})
    assert_error(too_many, 422, "validation_error")
    unsortable = await callers.call("anonymous", "GET", BASE, params={"sort": "created_by"})
    assert_error(unsortable, 422, "validation_error")


async def test_publishing_and_closing_move_a_position_in_and_out(callers: Callers, shelf: Shelf) -> None:
    await callers.call("employer", "POST", "/api/positions/{draft}/status", json={"status": "published"})
    assert "Data Engineer" in await titles(callers)
    await callers.call("employer", "POST", "/api/positions/{published}/status", json={"status": "closed"})
    assert await titles(callers) == ["Data Engineer", "キャリアアドバイザー"]
    gone = await callers.call("anonymous", "GET", BASE + "{published}")
    assert_error(gone, 404, "not_found")
