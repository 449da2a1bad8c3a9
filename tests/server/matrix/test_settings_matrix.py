"""/api/settings: a user's own settings, addressed by key.

Rules (server/domains/settings/services.py): every signed-in user, whatever their role, manages
their own settings and nobody else's, not even an admin of their company or the system_admin. So
there is no 403 here: another user's key answers 404 exactly like a key nobody has.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models import AuditLog, UserSetting
from server.context import AppContext
from tests.server.tenants import (
    MALFORMED,
    NO_BODY,
    PEOPLE,
    Callers,
    Expect,
    Matrix,
    Rejections,
    Tenants,
    assert_matrix,
    assert_rejections,
    conflict,
    invalid,
    snapshot,
)

TABLES = (UserSetting, AuditLog)
SETTING_FIELDS = {
    "key",
    "value",
    "data_type",
    "is_encrypted",
    "category",
    "description",
    "created_at",
    "updated_at",
}
THEME = {"key": "theme", "value": "dark", "category": "ui", "description": "Colour scheme"}
TOKEN = {"key": "api.token", "value": "s3cret-value", "is_encrypted": True, "category": "integrations"}


@pytest.fixture
async def recruiter_settings(callers: Callers) -> None:
    """The recruiter's `theme` and sealed `api.token`; `{theme}`, `{token}`, `{nope}` name keys in paths."""
    for body in (THEME, TOKEN):
        response = await callers.call("recruiter", "POST", "/api/settings/", json=body)
        assert response.status_code == 201, response.text
    callers.names.update(theme="theme", token="api.token", nope="nope")


SOMEONE_ELSES_KEY = [
    Expect("anonymous", "theme", 401, "invalid_token"),
    Expect("recruiter", "nope", 404, "not_found"),
    # The recruiter's keys, asked for by everyone else: the same 404 as a key nobody has.
    Expect("home_admin", "theme", 404, "not_found"),
    Expect("candidate", "theme", 404, "not_found"),
    Expect("employer_admin", "theme", 404, "not_found"),
    Expect("other_user", "theme", 404, "not_found"),
    Expect("system_admin", "theme", 404, "not_found"),
    Expect("home_admin", "token", 404, "not_found"),
    Expect("system_admin", "token", 404, "not_found"),
]
MATRIX: Matrix = [
    ("GET", "/api/settings/", NO_BODY, [Expect("anonymous", None, 401, "invalid_token")]),
    (
        "POST",
        "/api/settings/",
        {"key": "lang", "value": "ja"},
        [Expect("anonymous", None, 401, "invalid_token")],
    ),
    ("GET", "/api/settings/{target}", NO_BODY, SOMEONE_ELSES_KEY),
    ("PATCH", "/api/settings/{target}", {"value": "light"}, SOMEONE_ELSES_KEY),
    ("DELETE", "/api/settings/{target}", NO_BODY, SOMEONE_ELSES_KEY),
]


@pytest.mark.usefixtures("recruiter_settings")
async def test_the_authorization_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext
) -> None:
    await assert_matrix(callers, ctx, MATRIX, TABLES, not_found="Setting '{id}' was not found.")


LONG_KEY = "k" * 101
REJECTED_INPUT: Rejections = [
    (
        "recruiter",
        "GET",
        "/api/settings/",
        [
            ({"params": {"limit": 0}}, invalid("limit")),
            ({"params": {"offset": -1}}, invalid("offset")),
            ({"params": {"offset": 10**20}}, invalid("offset")),
            ({"params": {"sort": "value"}}, invalid("sort")),
            ({"params": {"category": "c" * 51}}, invalid("category")),
        ],
    ),
    (
        "recruiter",
        "POST",
        "/api/settings/",
        [
            ({"json": {}}, invalid("key")),
            ({"json": {"key": "bad key"}}, invalid("key")),
            ({"json": {"key": LONG_KEY}}, invalid("key")),
            ({"json": {"key": "n", "data_type": "float"}}, invalid("data_type")),
            ({"json": {"key": "n", "data_type": "int", "value": "x"}}, invalid("value")),
            ({"json": {"key": "n", "data_type": "int", "value": 2**63}}, invalid("value")),
            ({"json": {"key": "n", "data_type": "bool", "value": 1}}, invalid("value")),
            ({"json": {"key": "n", "value": 5}}, invalid("value")),
            ({"json": {"key": "n", "user_id": 1}}, invalid("user_id")),
            ({"json": {"key": "n", "category": ""}}, invalid("category")),
            ({"json": {"key": "n", "description": "d" * 1001}}, invalid("description")),
            ({"content": b'{"key": "n"'}, MALFORMED),
            ({"json": {"key": "theme", "value": "light"}}, conflict("setting_exists")),
        ],
    ),
    (
        "recruiter",
        "PATCH",
        "/api/settings/theme",
        [
            ({"json": {"data_type": "int"}}, invalid("value")),
            ({"json": {"value": 5}}, invalid("value")),
            ({"json": {"key": "renamed"}}, invalid("key")),
            ({"json": {"user_id": 1}}, invalid("user_id")),
            ({"json": {"category": ""}}, invalid("category")),
            ({"content": b"{"}, MALFORMED),
        ],
    ),
    # A key in the path is held to the rules of a key in a body.
    ("recruiter", "GET", "/api/settings/bad key", [({}, invalid("key"))]),
    ("recruiter", "PATCH", f"/api/settings/{LONG_KEY}", [({"json": {"value": "x"}}, invalid("key"))]),
    ("recruiter", "DELETE", "/api/settings/bad$key", [({}, invalid("key"))]),
]


@pytest.mark.usefixtures("recruiter_settings")
async def test_rejected_input_answers_one_exact_status_and_changes_nothing(
    callers: Callers, ctx: AppContext
) -> None:
    before = await snapshot(ctx, *TABLES)

    await assert_rejections(callers, REJECTED_INPUT)

    assert await snapshot(ctx, *TABLES) == before


async def _stored(ctx: AppContext, user_id: int) -> dict[str, tuple[Any, ...]]:
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(select(UserSetting).where(UserSetting.user_id == user_id))
        return {s.setting_key: (s.setting_value, s.data_type.value, s.is_encrypted, s.category) for s in rows}


async def test_every_role_manages_its_own_settings_and_sees_only_them(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    for who, _, _ in PEOPLE:
        created = await callers.call(who, "POST", "/api/settings/", json={"key": "lang", "value": who})
        assert created.status_code == 201, (who, created.text)

    for who, _, _ in PEOPLE:
        listed = await callers.call(who, "GET", "/api/settings/")
        read = await callers.call(who, "GET", "/api/settings/lang")

        assert (listed.status_code, read.status_code) == (200, 200), (who, listed.text, read.text)
        assert [(s["key"], s["value"]) for s in listed.json()["items"]] == [("lang", who)]
        assert listed.json()["total"] == 1
        assert read.json() == listed.json()["items"][0]
        assert await _stored(ctx, tenants.user(who).id) == {"lang": (who, "string", False, None)}


async def test_a_setting_keeps_its_type(callers: Callers, ctx: AppContext, tenants: Tenants) -> None:
    typed = [
        ("s", "string", "こんにちは", "こんにちは"),
        ("i", "int", -(2**63), str(-(2**63))),
        ("b", "bool", True, "true"),
        ("j", "json", {"a": [1, None, "x"]}, '{"a":[1,null,"x"]}'),
        ("none", "int", None, None),
    ]
    for key, data_type, value, _ in typed:
        body = {"key": key, "value": value, "data_type": data_type, "description": f"a {data_type}"}

        response = await callers.call("candidate", "POST", "/api/settings/", json=body)

        assert response.status_code == 201, response.text
        created = response.json()
        assert set(created) == SETTING_FIELDS
        assert {k: v for k, v in created.items() if k not in {"created_at", "updated_at"}} == {
            "key": key,
            "value": value,
            "data_type": data_type,
            "is_encrypted": False,
            "category": None,
            "description": f"a {data_type}",
        }
        read = await callers.call("candidate", "GET", f"/api/settings/{key}")
        assert read.json() == created

    assert await _stored(ctx, tenants.user("candidate").id) == {
        key: (text, data_type, False, None) for key, data_type, _, text in typed
    }


@pytest.mark.usefixtures("recruiter_settings")
async def test_a_sealed_setting_is_stored_and_audited_without_its_value(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    read = await callers.call("recruiter", "GET", "/api/settings/api.token")

    assert read.status_code == 200, read.text
    assert (read.json()["value"], read.json()["is_encrypted"]) == ("s3cret-value", True)
    stored, *_ = (await _stored(ctx, tenants.user("recruiter").id))["api.token"]
    assert stored is not None
    assert "s3cret" not in stored
    async with ctx.sessionmaker() as db:
        audited = list(await db.scalars(select(AuditLog).where(AuditLog.entity_type == "user_settings")))
    assert [a.new_values["setting_value"] for a in audited if a.new_values["setting_key"] == "api.token"] == [
        "[redacted]"
    ]


@pytest.mark.usefixtures("recruiter_settings")
async def test_the_settings_list_filters_sorts_and_pages(callers: Callers) -> None:
    for key in ("b.second", "a.first"):
        response = await callers.call(
            "recruiter", "POST", "/api/settings/", json={"key": key, "category": "ui"}
        )
        assert response.status_code == 201, response.text

    async def keys(**params: Any) -> tuple[list[str], int]:
        response = await callers.call("recruiter", "GET", "/api/settings/", params=params)
        assert response.status_code == 200, response.text
        return [s["key"] for s in response.json()["items"]], response.json()["total"]

    assert await keys() == (["a.first", "api.token", "b.second", "theme"], 4)
    assert await keys(category="ui") == (["a.first", "b.second", "theme"], 3)
    assert await keys(sort="-key", limit=2, offset=1) == (["b.second", "api.token"], 4)
    assert await keys(category="none") == ([], 0)


@pytest.mark.usefixtures("recruiter_settings")
async def test_an_update_changes_value_type_and_sealing(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    steps: list[tuple[dict[str, Any], dict[str, Any]]] = [
        ({"value": "light"}, {"value": "light", "data_type": "string", "is_encrypted": False}),
        ({"value": 3, "data_type": "int"}, {"value": 3, "data_type": "int", "is_encrypted": False}),
        ({"is_encrypted": True}, {"value": 3, "data_type": "int", "is_encrypted": True}),
        ({"category": None, "description": None}, {"category": None, "description": None}),
        ({"is_encrypted": False, "value": None}, {"value": None, "is_encrypted": False}),
    ]
    for changes, expected in steps:
        response = await callers.call("recruiter", "PATCH", "/api/settings/theme", json=changes)

        assert response.status_code == 200, response.text
        updated = response.json()
        assert set(updated) == SETTING_FIELDS
        assert {k: updated[k] for k in expected} == expected, changes
        if changes == {"is_encrypted": True}:
            stored = (await _stored(ctx, tenants.user("recruiter").id))["theme"]
            assert stored[0] not in {None, "3"}
            assert stored[1:] == ("int", True, "ui")

    assert (await _stored(ctx, tenants.user("recruiter").id))["theme"] == (None, "int", False, None)


@pytest.mark.usefixtures("recruiter_settings")
async def test_deleting_a_setting_removes_only_the_callers_own(
    callers: Callers, ctx: AppContext, tenants: Tenants
) -> None:
    mine = await callers.call("candidate", "POST", "/api/settings/", json=THEME)
    assert mine.status_code == 201, mine.text

    deleted = await callers.call("recruiter", "DELETE", "/api/settings/theme")

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert set(await _stored(ctx, tenants.user("recruiter").id)) == {"api.token"}
    assert set(await _stored(ctx, tenants.user("candidate").id)) == {"theme"}
    assert (await callers.call("recruiter", "GET", "/api/settings/theme")).status_code == 404
    assert (await callers.call("recruiter", "DELETE", "/api/settings/theme")).status_code == 404
