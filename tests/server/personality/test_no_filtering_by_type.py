"""No list or search filters or sorts people by their personality type (see the README): a list of
sessions refuses any such parameter, and no route of the whole API offers one."""

from __future__ import annotations

from typing import Any

import pytest

from models import MbtiTestSession
from server.context import AppContext
from tests.server.personality.conftest import Arranged
from tests.server.personality.helpers import BASE
from tests.server.tenants import Callers, Client, answer_of, invalid, snapshot

BY_TYPE = [
    {"result_type": "INTJ"},
    {"type": "ENFJ"},
    {"mbti": "ENFJ"},
    {"personality_type": "ENFJ"},
    {"e_score": 75},
    {"min_e_score": 50},
    {"q": "ENFJ"},
    {"user_id": 1, "result_type": "ENFJ"},
]


@pytest.mark.parametrize("params", BY_TYPE)
async def test_a_list_of_sessions_accepts_no_filter_by_type_or_score(
    callers: Callers, ctx: AppContext, arranged: Arranged, params: dict[str, Any]
) -> None:
    refused = await callers.call("home_admin", "GET", f"{BASE}/sessions", params=params)
    extra = sorted(set(params) - {"user_id"})
    assert answer_of(refused) == invalid(*extra)


@pytest.mark.parametrize("sort", ["result_type", "-result_type", "e_score", "i_score", "status"])
async def test_a_list_of_sessions_is_never_sorted_by_type_or_score(
    callers: Callers, arranged: Arranged, sort: str
) -> None:
    refused = await callers.call("home_admin", "GET", f"{BASE}/sessions", params={"sort": sort})
    assert answer_of(refused) == invalid("sort")


async def test_the_lists_show_own_sessions_and_shared_results_only(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    ids = arranged.ids

    async def listed(who: str, **params: Any) -> list[int]:
        response = await callers.call(who, "GET", f"{BASE}/sessions", params={"sort": "id", **params})
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    before = await snapshot(ctx, MbtiTestSession)
    assert await listed("candidate") == [ids["result"], ids["shared"], ids["open"]]
    assert await listed("candidate", status="in_progress") == [ids["open"]]
    assert await listed("home_admin") == [ids["shared"]]
    assert await listed("recruiter", user_id=callers.tenants.user("candidate").id) == [ids["shared"]]
    assert await listed("peer") == []
    assert await listed("employer_admin") == []
    assert await listed("other_admin") == [ids["foreign"]]
    assert await listed("system_admin") == []
    assert await snapshot(ctx, MbtiTestSession) == before


WORDS = ("result_type", "mbti", "personality", "e_score", "i_score", "type_code")


async def test_no_route_of_the_api_takes_a_personality_type_parameter(client: Client) -> None:  # type: ignore[type-arg]
    document = (await client.get("/schema/openapi.json")).json()
    offered = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                name = parameter["name"].lower()
                if any(word in name for word in WORDS):
                    offered.append((method, path, parameter["name"]))
    assert offered == []
