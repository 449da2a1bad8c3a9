"""/api/settings: each user's own typed settings, sealed at rest when they ask for it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models import AuditLog, UserSetting
from models.enums import SettingDataType
from server.context import AppContext
from server.crypto import SecretBox
from server.domains.settings.services import PURPOSE
from tests.factories import make_company, make_user
from tests.server.auth.helpers import Client, bearer, login

Headers = dict[str, str]


async def _signed_in(client: Client, ctx: AppContext, email: str = "me@example.jp") -> tuple[Headers, int]:
    async with ctx.transaction() as db:
        user = await make_user(db, ctx.passwords, await make_company(db), email=email)
    tokens = await login(client, email)
    return bearer(tokens["access_token"]), user.id


async def _create(client: Client, headers: Headers, **body: Any) -> Any:
    return await client.post("/api/settings/", headers=headers, json=body)


async def _stored(ctx: AppContext, user_id: int, key: str) -> UserSetting:
    async with ctx.sessionmaker() as db:
        row = await db.scalar(
            select(UserSetting).where(UserSetting.user_id == user_id, UserSetting.setting_key == key)
        )
    assert row is not None
    return row


def _errors(r: Any) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in r.json()["errors"]]


# --- create, read, patch, delete -------------------------------------------------------


async def test_created_setting_is_answered_with_its_value_and_metadata(
    client: Client, ctx: AppContext
) -> None:
    headers, _ = await _signed_in(client, ctx)

    r = await _create(
        client, headers, key="ui.theme", value="dark", category="ui", description="Colour scheme"
    )

    assert r.status_code == 201, r.text
    body = r.json()
    assert {k: body[k] for k in ("key", "value", "data_type", "is_encrypted", "category", "description")} == {
        "key": "ui.theme",
        "value": "dark",
        "data_type": "string",
        "is_encrypted": False,
        "category": "ui",
        "description": "Colour scheme",
    }
    assert body["created_at"].endswith(("+00:00", "Z"))
    assert body["updated_at"].endswith(("+00:00", "Z"))
    read = await client.get("/api/settings/ui.theme", headers=headers)
    assert read.status_code == 200
    assert read.json() == body


async def test_reading_a_missing_key_is_404(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)

    r = await client.get("/api/settings/nothing.here", headers=headers)

    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


async def test_settings_need_a_signed_in_user(client: Client) -> None:
    r = await client.get("/api/settings/")

    assert r.status_code == 401


async def test_patch_changes_only_the_given_fields(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)
    await _create(
        client, headers, key="page.size", value=20, data_type="int", category="ui", description="Rows"
    )

    r = await client.patch("/api/settings/page.size", headers=headers, json={"value": 50})

    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["value"], body["data_type"], body["category"], body["description"]) == (
        50,
        "int",
        "ui",
        "Rows",
    )
    r = await client.patch("/api/settings/page.size", headers=headers, json={"category": None})
    assert r.status_code == 200, r.text
    assert (r.json()["value"], r.json()["category"]) == (50, None)
    assert (await client.get("/api/settings/page.size", headers=headers)).json()["value"] == 50


async def test_patch_of_a_missing_key_is_404(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)

    r = await client.patch("/api/settings/missing", headers=headers, json={"value": "x"})

    assert r.status_code == 404


async def test_deleted_setting_is_gone(client: Client, ctx: AppContext) -> None:
    headers, user_id = await _signed_in(client, ctx)
    await _create(client, headers, key="gone", value="soon")

    r = await client.delete("/api/settings/gone", headers=headers)

    assert r.status_code == 204, r.text
    assert (await client.get("/api/settings/gone", headers=headers)).status_code == 404
    assert (await client.delete("/api/settings/gone", headers=headers)).status_code == 404
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(UserSetting.id).where(UserSetting.user_id == user_id)) is None


async def test_changing_the_type_revalidates_the_current_value(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)
    await _create(client, headers, key="limit", value="abc")

    refused = await client.patch("/api/settings/limit", headers=headers, json={"data_type": "int"})
    changed = await client.patch(
        "/api/settings/limit", headers=headers, json={"data_type": "int", "value": 12}
    )

    assert refused.status_code == 422, refused.text
    assert [f for f, _ in _errors(refused)] == ["value"]
    assert changed.status_code == 200, changed.text
    assert (changed.json()["value"], changed.json()["data_type"]) == (12, "int")


@pytest.mark.parametrize(
    "body",
    [
        {"key": "has space", "value": "x"},
        {"key": "", "value": "x"},
        {"key": "k" * 101, "value": "x"},
        {"key": "ok", "value": "x", "data_type": "float"},
        {"key": "ok", "value": "x", "unknown": 1},
        {"key": "ok", "value": "x", "category": "c" * 51},
    ],
    ids=["key-with-space", "empty-key", "key-too-long", "unknown-type", "unknown-field", "category-too-long"],
)
async def test_malformed_create_is_422(client: Client, ctx: AppContext, body: dict[str, Any]) -> None:
    headers, _ = await _signed_in(client, ctx)

    r = await _create(client, headers, **body)

    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    "key", ["has%20space", "k" * 101, "semi;colon"], ids=["space", "too-long", "semicolon"]
)
async def test_malformed_key_in_the_path_is_422(client: Client, ctx: AppContext, key: str) -> None:
    headers, _ = await _signed_in(client, ctx)

    r = await client.get(f"/api/settings/{key}", headers=headers)

    assert r.status_code == 422, r.text
    assert [f for f, _ in _errors(r)] == ["key"]


# --- typed values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data_type", "value", "stored"),
    [
        ("string", "こんにちは", "こんにちは"),
        ("string", "", ""),
        ("int", 42, "42"),
        ("int", -(2**63), str(-(2**63))),
        ("int", 2**63 - 1, str(2**63 - 1)),
        ("bool", True, "true"),
        ("bool", False, "false"),
        ("json", {"a": [1, 2, None], "b": "x"}, '{"a":[1,2,null],"b":"x"}'),
        ("json", [1, "two"], '[1,"two"]'),
        ("json", "text", '"text"'),
        ("json", 3.5, "3.5"),
        ("string", None, None),
        ("int", None, None),
    ],
)
async def test_value_round_trips_as_its_data_type(
    client: Client, ctx: AppContext, data_type: str, value: Any, stored: str | None
) -> None:
    headers, user_id = await _signed_in(client, ctx)

    r = await _create(client, headers, key="typed", value=value, data_type=data_type)

    assert r.status_code == 201, r.text
    assert (r.json()["value"], r.json()["data_type"]) == (value, data_type)
    read = (await client.get("/api/settings/typed", headers=headers)).json()
    assert read["value"] == value
    assert type(read["value"]) is type(value)
    assert (await _stored(ctx, user_id, "typed")).setting_value == stored


@pytest.mark.parametrize(
    ("data_type", "value", "message"),
    [
        ("string", 5, "must be a string (string)"),
        ("string", ["a"], "must be a string (string)"),
        ("int", "5", "must be an integer (int)"),
        ("int", 1.5, "must be an integer (int)"),
        ("int", True, "must be an integer (int)"),
        ("int", 2**63, "must fit in 64 bits (int)"),
        ("int", -(2**63) - 1, "must fit in 64 bits (int)"),
        ("int", 2**80, "must fit in 64 bits (int)"),
        ("bool", 1, "must be true or false (bool)"),
        ("bool", "true", "must be true or false (bool)"),
    ],
    ids=[
        "string-given-int",
        "string-given-list",
        "int-given-string",
        "int-given-float",
        "int-given-bool",
        "int-2^63",
        "int-below-min",
        "int-2^80",
        "bool-given-1",
        "bool-given-string",
    ],
)
async def test_value_of_the_wrong_type_is_422_on_value(
    client: Client, ctx: AppContext, data_type: str, value: Any, message: str
) -> None:
    headers, user_id = await _signed_in(client, ctx)

    r = await _create(client, headers, key="typed", value=value, data_type=data_type)

    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
    assert _errors(r) == [("value", message)]
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(UserSetting.id).where(UserSetting.user_id == user_id)) is None


async def test_patch_with_a_value_of_the_wrong_type_is_422_and_keeps_the_old_value(
    client: Client, ctx: AppContext
) -> None:
    headers, _ = await _signed_in(client, ctx)
    await _create(client, headers, key="flag", value=True, data_type="bool")

    r = await client.patch("/api/settings/flag", headers=headers, json={"value": 0})

    assert r.status_code == 422, r.text
    assert _errors(r) == [("value", "must be true or false (bool)")]
    assert (await client.get("/api/settings/flag", headers=headers)).json()["value"] is True


async def test_value_too_large_for_the_column_is_422(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)

    r = await _create(client, headers, key="big", value="x" * 65_536)

    assert r.status_code == 422, r.text[:300]
    assert _errors(r) == [("value", "is too large")]


async def test_multibyte_value_too_large_for_the_column_is_422_not_a_database_error(
    client: Client, ctx: AppContext
) -> None:
    """TEXT holds 65,535 bytes on MySQL: 30,000 Japanese characters are 90,000 bytes of utf8mb4."""
    headers, _ = await _signed_in(client, ctx)

    r = await _create(client, headers, key="big", value="あ" * 30_000)

    assert r.status_code == 422, r.text[:300]
    assert _errors(r) == [("value", "is too large")]


async def test_multibyte_value_that_fits_the_column_is_stored(client: Client, ctx: AppContext) -> None:
    headers, user_id = await _signed_in(client, ctx)

    r = await _create(client, headers, key="long", value="あ" * 21_845)

    assert r.status_code == 201, r.text[:300]
    assert (await _stored(ctx, user_id, "long")).setting_value == "あ" * 21_845


# --- listing ---------------------------------------------------------------------------


async def test_list_is_sorted_by_key_and_paginated(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)
    for key in ("c.key", "a.key", "b.key", "d.key"):
        assert (await _create(client, headers, key=key, value=key)).status_code == 201

    everything = await client.get("/api/settings/", headers=headers)
    page = await client.get("/api/settings/", headers=headers, params={"limit": 2, "offset": 1})
    descending = await client.get("/api/settings/", headers=headers, params={"sort": "-key"})
    by_id = await client.get("/api/settings/", headers=headers, params={"sort": "id"})

    assert everything.status_code == 200
    assert [s["key"] for s in everything.json()["items"]] == ["a.key", "b.key", "c.key", "d.key"]
    assert everything.json()["total"] == 4
    assert [s["value"] for s in everything.json()["items"]] == ["a.key", "b.key", "c.key", "d.key"]
    assert ([s["key"] for s in page.json()["items"]], page.json()["total"]) == (["b.key", "c.key"], 4)
    assert [s["key"] for s in descending.json()["items"]] == ["d.key", "c.key", "b.key", "a.key"]
    assert [s["key"] for s in by_id.json()["items"]] == ["c.key", "a.key", "b.key", "d.key"]


async def test_list_filters_by_category(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)
    await _create(client, headers, key="ui.theme", value="dark", category="ui")
    await _create(client, headers, key="ui.lang", value="ja", category="ui")
    await _create(client, headers, key="mail.digest", value=True, data_type="bool", category="mail")
    await _create(client, headers, key="loose", value="x")

    ui = await client.get("/api/settings/", headers=headers, params={"category": "ui"})
    mail = await client.get("/api/settings/", headers=headers, params={"category": "mail"})
    none = await client.get("/api/settings/", headers=headers, params={"category": "nothing"})

    assert ([s["key"] for s in ui.json()["items"]], ui.json()["total"]) == (["ui.lang", "ui.theme"], 2)
    assert ([(s["key"], s["value"]) for s in mail.json()["items"]], mail.json()["total"]) == (
        [("mail.digest", True)],
        1,
    )
    assert none.json() == {"items": [], "total": 0}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "value"}, "sort"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
async def test_bad_list_parameters_are_422(
    client: Client, ctx: AppContext, params: dict[str, Any], field: str
) -> None:
    headers, _ = await _signed_in(client, ctx)

    r = await client.get("/api/settings/", headers=headers, params=params)

    assert r.status_code == 422, r.text
    assert field in [f for f, _ in _errors(r)]


# --- one key per user ------------------------------------------------------------------


async def test_creating_an_existing_key_is_409_setting_exists(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)
    assert (await _create(client, headers, key="dup", value="first")).status_code == 201

    r = await _create(client, headers, key="dup", value="second")

    assert r.status_code == 409, r.text
    assert r.json()["code"] == "setting_exists"
    assert (await client.get("/api/settings/dup", headers=headers)).json()["value"] == "first"


async def test_keys_are_case_insensitive_on_every_backend(client: Client, ctx: AppContext) -> None:
    headers, _ = await _signed_in(client, ctx)
    assert (await _create(client, headers, key="Theme", value="dark")).status_code == 201

    duplicate = await _create(client, headers, key="theme", value="light")
    read = await client.get("/api/settings/THEME", headers=headers)

    assert duplicate.status_code == 409, duplicate.text
    assert duplicate.json()["code"] == "setting_exists"
    assert read.status_code == 200, read.text
    assert (read.json()["key"], read.json()["value"]) == ("Theme", "dark")


async def test_two_users_may_use_the_same_key(client: Client, ctx: AppContext) -> None:
    mine, _ = await _signed_in(client, ctx, "one@example.jp")
    theirs, _ = await _signed_in(client, ctx, "two@example.jp")

    first = await _create(client, mine, key="ui.theme", value="dark")
    second = await _create(client, theirs, key="ui.theme", value="light")

    assert (first.status_code, second.status_code) == (201, 201)
    assert (await client.get("/api/settings/ui.theme", headers=mine)).json()["value"] == "dark"
    assert (await client.get("/api/settings/ui.theme", headers=theirs)).json()["value"] == "light"


async def test_a_user_never_sees_or_changes_another_users_settings(client: Client, ctx: AppContext) -> None:
    owner, owner_id = await _signed_in(client, ctx, "owner@example.jp")
    other, _ = await _signed_in(client, ctx, "other@example.jp")
    await _create(client, owner, key="private", value="owner's", category="secret")

    read = await client.get("/api/settings/private", headers=other)
    patched = await client.patch("/api/settings/private", headers=other, json={"value": "hijacked"})
    deleted = await client.delete("/api/settings/private", headers=other)
    listed = await client.get("/api/settings/", headers=other, params={"category": "secret"})

    assert (read.status_code, patched.status_code, deleted.status_code) == (404, 404, 404)
    assert listed.json() == {"items": [], "total": 0}
    assert (await _stored(ctx, owner_id, "private")).setting_value == "owner's"


# --- encryption at rest ----------------------------------------------------------------


async def test_encrypted_value_is_sealed_in_the_database_and_plain_in_the_api(
    client: Client, ctx: AppContext
) -> None:
    headers, user_id = await _signed_in(client, ctx)

    r = await _create(client, headers, key="api.token", value="s3cret-value", is_encrypted=True)

    assert r.status_code == 201, r.text
    assert (r.json()["value"], r.json()["is_encrypted"]) == ("s3cret-value", True)
    raw = (await _stored(ctx, user_id, "api.token")).setting_value
    assert raw is not None
    assert "s3cret-value" not in raw
    assert SecretBox(ctx.settings.secret_key, PURPOSE).open(raw) == "s3cret-value"
    assert (await client.get("/api/settings/api.token", headers=headers)).json()["value"] == "s3cret-value"
    listed = (await client.get("/api/settings/", headers=headers)).json()["items"]
    assert [(s["key"], s["value"]) for s in listed] == [("api.token", "s3cret-value")]


async def test_encrypted_typed_values_keep_their_type(client: Client, ctx: AppContext) -> None:
    headers, user_id = await _signed_in(client, ctx)

    r = await _create(client, headers, key="pin", value={"n": 1234}, data_type="json", is_encrypted=True)

    assert r.status_code == 201, r.text
    assert (await client.get("/api/settings/pin", headers=headers)).json()["value"] == {"n": 1234}
    raw = (await _stored(ctx, user_id, "pin")).setting_value
    assert raw is not None and "1234" not in raw


async def test_value_sealed_under_another_secret_key_is_409_setting_unreadable(
    client: Client, ctx: AppContext
) -> None:
    headers, user_id = await _signed_in(client, ctx)
    async with ctx.transaction() as db:
        db.add(
            UserSetting(
                user_id=user_id,
                setting_key="old.secret",
                setting_value=SecretBox("a-previous-secret-key-" + "y" * 32, PURPOSE).seal("lost"),
                data_type=SettingDataType.STRING,
                is_encrypted=True,
            )
        )

    read = await client.get("/api/settings/old.secret", headers=headers)
    touched = await client.patch("/api/settings/old.secret", headers=headers, json={"description": "x"})

    assert read.status_code == 409, read.text
    assert read.json()["code"] == "setting_unreadable"
    assert touched.status_code == 409
    assert touched.json()["code"] == "setting_unreadable"
    # Giving it a new value recovers the setting under the current key.
    replaced = await client.patch("/api/settings/old.secret", headers=headers, json={"value": "fresh"})
    assert replaced.status_code == 200, replaced.text
    assert (await client.get("/api/settings/old.secret", headers=headers)).json()["value"] == "fresh"


async def test_unreadable_setting_can_still_be_deleted(client: Client, ctx: AppContext) -> None:
    headers, user_id = await _signed_in(client, ctx)
    async with ctx.transaction() as db:
        db.add(
            UserSetting(
                user_id=user_id,
                setting_key="old.secret",
                setting_value=SecretBox("a-previous-secret-key-" + "y" * 32, PURPOSE).seal("lost"),
                is_encrypted=True,
            )
        )

    r = await client.delete("/api/settings/old.secret", headers=headers)

    assert r.status_code == 204, r.text
    assert (await client.get("/api/settings/old.secret", headers=headers)).status_code == 404


async def test_switching_encryption_on_and_off_reseals_and_unseals_the_stored_value(
    client: Client, ctx: AppContext
) -> None:
    headers, user_id = await _signed_in(client, ctx)
    box = SecretBox(ctx.settings.secret_key, PURPOSE)
    await _create(client, headers, key="webhook", value="https://hooks.example.jp/abc")
    assert (await _stored(ctx, user_id, "webhook")).setting_value == "https://hooks.example.jp/abc"

    on = await client.patch("/api/settings/webhook", headers=headers, json={"is_encrypted": True})

    assert on.status_code == 200, on.text
    assert (on.json()["value"], on.json()["is_encrypted"]) == ("https://hooks.example.jp/abc", True)
    sealed = (await _stored(ctx, user_id, "webhook")).setting_value
    assert sealed is not None and "hooks.example.jp" not in sealed
    assert box.open(sealed) == "https://hooks.example.jp/abc"

    off = await client.patch("/api/settings/webhook", headers=headers, json={"is_encrypted": False})

    assert off.status_code == 200, off.text
    assert (off.json()["value"], off.json()["is_encrypted"]) == ("https://hooks.example.jp/abc", False)
    assert (await _stored(ctx, user_id, "webhook")).setting_value == "https://hooks.example.jp/abc"


async def test_changing_an_encrypted_value_keeps_it_sealed(client: Client, ctx: AppContext) -> None:
    headers, user_id = await _signed_in(client, ctx)
    await _create(client, headers, key="api.token", value="first-token", is_encrypted=True)

    r = await client.patch("/api/settings/api.token", headers=headers, json={"value": "second-token"})

    assert r.status_code == 200, r.text
    assert r.json()["value"] == "second-token"
    raw = (await _stored(ctx, user_id, "api.token")).setting_value
    assert raw is not None and "second-token" not in raw
    assert SecretBox(ctx.settings.secret_key, PURPOSE).open(raw) == "second-token"


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
async def test_audit_trail_never_holds_a_setting_value(
    client: Client, ctx: AppContext, encrypted: bool
) -> None:
    """Admins search the trail; a user's settings, encrypted or not, are nobody else's to read."""
    headers, user_id = await _signed_in(client, ctx)
    await _create(client, headers, key="api.token", value="first-token", is_encrypted=encrypted)
    await client.patch("/api/settings/api.token", headers=headers, json={"value": "second-token"})
    await client.delete("/api/settings/api.token", headers=headers)

    async with ctx.sessionmaker() as db:
        rows = list(
            await db.scalars(
                select(AuditLog).where(AuditLog.entity_type == "user_settings").order_by(AuditLog.id)
            )
        )

    assert [row.action for row in rows] == [
        "user_settings.create",
        "user_settings.update",
        "user_settings.delete",
    ]
    create, update, delete = rows
    assert create.new_values["setting_value"] == "[redacted]"
    assert create.new_values["is_encrypted"] is encrypted
    assert (update.old_values, update.new_values) == (
        {"setting_value": "[redacted]"},
        {"setting_value": "[redacted]"},
    )
    assert delete.old_values["setting_value"] == "[redacted]"
    assert delete.new_values is None
    for row in rows:
        assert row.user_id == user_id
        text = f"{row.old_values!r} {row.new_values!r} {row.metadata_!r}"
        assert "first-token" not in text and "second-token" not in text
