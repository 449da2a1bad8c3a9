"""An interview's `notes` field is validated like any other: a wrong type or a text too long is
a 422 naming the field, for every role (it once shared its name with a controller dependency,
which turned its validation error into a 500)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.interviews.conftest import Desk
from tests.server.tenants import Callers, assert_error

ROLES = ["system_admin", "home_admin", "recruiter", "candidate", "employer", "other_user"]
BAD_NOTES: list[Any] = [{}, [], 5, "x" * 10_001]


@pytest.mark.parametrize("who", ROLES)
async def test_bad_notes_on_create_are_a_422_naming_the_field(callers: Callers, desk: Desk, who: str) -> None:
    for notes in BAD_NOTES:
        response = await callers.call(who, "POST", "/api/interviews/", json={"title": "x", "notes": notes})
        body = assert_error(response, 422, "validation_error")
        assert [error["field"] for error in body["errors"]] == ["notes"], notes


@pytest.mark.parametrize("who", ROLES)
async def test_bad_notes_on_update_are_a_422_naming_the_field(callers: Callers, desk: Desk, who: str) -> None:
    for notes in BAD_NOTES:
        response = await callers.call(who, "PATCH", "/api/interviews/{interview}", json={"notes": notes})
        body = assert_error(response, 422, "validation_error")
        assert [error["field"] for error in body["errors"]] == ["notes"], notes


async def test_good_notes_still_go_through(callers: Callers, desk: Desk) -> None:
    response = await callers.call("recruiter", "PATCH", "/api/interviews/{interview}", json={"notes": "良い"})
    assert response.status_code == 200, response.text
    assert response.json()["notes"] == "良い"
