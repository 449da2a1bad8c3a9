"""GET /api/presence?user_id=..: online, away or offline with last seen, only for people the
caller may message (anyone else answers exactly like a missing user)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest

from server.presence import SocketEntry
from tests.server.auth.helpers import app_ctx
from tests.server.tenants import MISSING_ID, Callers, Tenants, assert_error

PRESENCE = "/api/presence"
T = TypeVar("T")


async def _presence(callers: Callers, who: str, *user_ids: Any) -> Any:
    return await callers.call(who, "GET", PRESENCE, params={"user_id": list(user_ids)})


async def _connect(callers: Callers, tenants: Tenants, who: str, sid: str = "sid-1") -> SocketEntry:
    """Register an open socket of `who` with the app's presence, as the realtime layer does."""
    user = tenants.user(who)
    entry = SocketEntry(sid=sid, user_id=user.id, company_id=user.company_id, session_id=f"session-{sid}")
    await _on_app_loop(callers, app_ctx(callers.client).presence.add, entry)
    return entry


async def _on_app_loop(callers: Callers, call: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run `call` on the app's own event loop: the test client serves the app from another
    thread, and the app's Redis connections belong to that thread's loop."""
    return await asyncio.to_thread(callers.client.blocking_portal.call, call, *args)


async def _set_away(callers: Callers, who: int, away: bool = True) -> None:
    await _on_app_loop(callers, app_ctx(callers.client).presence.set_away, who, away)


async def _disconnect(callers: Callers, entry: SocketEntry) -> None:
    await _on_app_loop(callers, app_ctx(callers.client).presence.remove, entry)


def _recent(value: str) -> bool:
    return abs(datetime.fromisoformat(value) - datetime.now(UTC)) < timedelta(minutes=1)


async def test_someone_never_connected_is_offline_and_never_seen(callers: Callers, tenants: Tenants) -> None:
    colleague = tenants.user("home_admin").id

    r = await _presence(callers, "recruiter", colleague)

    assert r.status_code == 200, r.text
    assert r.json() == [{"user_id": colleague, "status": "offline", "last_seen": None}]


async def test_a_connected_user_is_online_and_seen_now(callers: Callers, tenants: Tenants) -> None:
    await _connect(callers, tenants, "home_admin")

    r = await _presence(callers, "recruiter", tenants.user("home_admin").id)

    assert r.status_code == 200, r.text
    [answer] = r.json()
    assert (answer["user_id"], answer["status"]) == (tenants.user("home_admin").id, "online")
    assert _recent(answer["last_seen"]), answer


async def test_a_user_who_set_away_is_away(callers: Callers, tenants: Tenants) -> None:
    await _connect(callers, tenants, "home_admin")
    await _set_away(callers, tenants.user("home_admin").id)

    r = await _presence(callers, "recruiter", tenants.user("home_admin").id)

    assert r.status_code == 200, r.text
    assert [a["status"] for a in r.json()] == ["away"]


async def test_a_user_whose_last_socket_closed_is_offline_with_last_seen(
    callers: Callers, tenants: Tenants
) -> None:
    first = await _connect(callers, tenants, "home_admin", "sid-1")
    second = await _connect(callers, tenants, "home_admin", "sid-2")
    await _set_away(callers, tenants.user("home_admin").id)
    await _disconnect(callers, first)
    still = await _presence(callers, "recruiter", tenants.user("home_admin").id)
    await _disconnect(callers, second)

    r = await _presence(callers, "recruiter", tenants.user("home_admin").id)

    assert [a["status"] for a in still.json()] == ["away"]
    assert r.status_code == 200, r.text
    [answer] = r.json()
    assert answer["status"] == "offline"
    assert _recent(answer["last_seen"]), answer


async def test_several_users_answer_in_the_order_asked_without_repeats(
    callers: Callers, tenants: Tenants
) -> None:
    await _connect(callers, tenants, "employer")
    employer = tenants.user("employer").id

    r = await _presence(callers, "employer_admin", employer, tenants.user("employer_admin").id, employer)

    assert r.status_code == 200, r.text
    assert [(a["user_id"], a["status"]) for a in r.json()] == [
        (employer, "online"),
        (tenants.user("employer_admin").id, "offline"),
    ]


@pytest.mark.parametrize("who", ["recruiter", "candidate", "system_admin"])
async def test_your_own_presence_is_answered(callers: Callers, tenants: Tenants, who: str) -> None:
    me = tenants.user(who).id
    await _connect(callers, tenants, who)

    r = await _presence(callers, who, me)

    assert r.status_code == 200, r.text
    assert [(a["user_id"], a["status"]) for a in r.json()] == [(me, "online")]


@pytest.mark.parametrize(
    ("who", "target"),
    [
        pytest.param("recruiter", "other_user", id="another agency"),
        pytest.param("recruiter", "employer", id="an employer with no interview tying it"),
        pytest.param("employer", "candidate", id="another company's candidate"),
        pytest.param("candidate", "recruiter", id="candidate without interview"),
        pytest.param("recruiter", "system_admin", id="a system_admin who never wrote"),
    ],
)
async def test_someone_you_may_not_message_is_not_found(
    callers: Callers, tenants: Tenants, who: str, target: str
) -> None:
    await _connect(callers, tenants, target)
    target_id = tenants.user(target).id

    r = await _presence(callers, who, tenants.user(who).id, target_id)

    body = assert_error(r, 404, "recipient_not_found")
    assert body["detail"] == f"User {target_id} was not found or cannot be messaged."


async def test_a_missing_user_is_not_found(callers: Callers) -> None:
    r = await _presence(callers, "recruiter", MISSING_ID)

    body = assert_error(r, 404, "recipient_not_found")
    assert body["detail"] == f"User {MISSING_ID} was not found or cannot be messaged."


async def test_a_hundred_ids_are_answered(callers: Callers, tenants: Tenants) -> None:
    me = tenants.user("recruiter").id

    r = await _presence(callers, "recruiter", *[me] * 100)

    assert r.status_code == 200, r.text
    assert [a["user_id"] for a in r.json()] == [me]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"user_id": ["1"] * 101}, "user_id", id="more than 100 ids"),
        pytest.param({"user_id": ["abc"]}, "user_id", id="not a number"),
        pytest.param({}, "user_id", id="no ids"),
    ],
)
async def test_an_invalid_id_list_is_refused(callers: Callers, params: dict[str, Any], field: str) -> None:
    r = await callers.call("recruiter", "GET", PRESENCE, params=params)

    body = assert_error(r, 422, "validation_error")
    assert [e["field"] for e in body["errors"]] == [field]
