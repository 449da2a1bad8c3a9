"""Sign-in rate limits per client address behind a trusted proxy, and per account whatever the address.

Litestar's test client connects from the peer "testclient"; trusting that name makes the
test client a reverse proxy whose X-Forwarded-For names the real client.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from models import AuditLog
from server.asgi import create
from server.auth.dependencies import client_ip
from server.context import AppContext
from server.domains.auth.services import LOGIN_PER_ACCOUNT, LOGIN_PER_IP
from server.settings import Settings
from tests.factories import PASSWORD, make_company, make_user
from tests.server.auth.helpers import Client

PEER = "testclient"
WRONG_PASSWORD = "not the password"


@pytest.fixture
async def proxied(settings: Settings) -> AsyncIterator[Client]:
    """A client whose peer address is a trusted proxy."""
    trusting = dataclasses.replace(settings, trusted_proxies=(PEER,))
    async with AsyncTestClient(app=create(trusting)) as test_client:
        yield test_client


async def _login(
    client: Client, email: str, forwarded_for: str | None, password: str = WRONG_PASSWORD
) -> Any:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return await client.post("/api/auth/login", json={"email": email, "password": password}, headers=headers)


async def _exhaust_ip_limit(client: Client, forwarded_for: str | None, vary: bool = False) -> None:
    """Use up the per-address login budget with wrong passwords for distinct unknown accounts.

    With `vary`, each attempt claims another address in a spoofed X-Forwarded-For.
    """
    for n in range(LOGIN_PER_IP.hits):
        header = f"198.51.100.{n}" if vary else forwarded_for
        r = await _login(client, f"nobody{n}@example.jp", header)
        assert r.status_code == 401, (n, r.text)


def _assert_rate_limited(r: Any, window: int) -> None:
    assert r.status_code == 429, r.text
    assert r.json()["code"] == "rate_limited"
    assert 1 <= int(r.headers["Retry-After"]) <= window


@pytest.fixture
async def known_user(ctx: AppContext) -> str:
    async with ctx.transaction() as db:
        await make_user(db, ctx.passwords, await make_company(db), email="known@example.jp")
    return "known@example.jp"


# --- behind a trusted proxy ------------------------------------------------------------


async def test_each_forwarded_address_has_its_own_login_budget(proxied: Client, known_user: str) -> None:
    await _exhaust_ip_limit(proxied, "203.0.113.10")

    limited = await _login(proxied, "someone@example.jp", "203.0.113.10")
    other_wrong = await _login(proxied, "someone@example.jp", "203.0.113.20")
    other_right = await _login(proxied, known_user, "203.0.113.20", PASSWORD)
    limited_right = await _login(proxied, known_user, "203.0.113.10", PASSWORD)

    _assert_rate_limited(limited, LOGIN_PER_IP.seconds)
    assert other_wrong.status_code == 401, other_wrong.text
    assert other_right.status_code == 200, other_right.text
    _assert_rate_limited(limited_right, LOGIN_PER_IP.seconds)


async def test_the_proxy_itself_is_not_the_client(proxied: Client) -> None:
    """Requests without X-Forwarded-For count against the proxy's own address, not the clients'."""
    await _exhaust_ip_limit(proxied, "203.0.113.10")

    direct = await _login(proxied, "someone@example.jp", None)

    assert direct.status_code == 401, direct.text


async def test_spoofed_left_hand_entries_do_not_escape_the_limit(proxied: Client) -> None:
    """The proxy appends the real address; what the client wrote before it is ignored."""
    for n in range(LOGIN_PER_IP.hits):
        r = await _login(proxied, f"nobody{n}@example.jp", f"198.51.100.{n}, 203.0.113.10")
        assert r.status_code == 401, r.text

    r = await _login(proxied, "someone@example.jp", "198.51.100.250, 203.0.113.10")

    _assert_rate_limited(r, LOGIN_PER_IP.seconds)


async def test_audit_trail_records_the_forwarded_address(
    proxied: Client, ctx: AppContext, known_user: str
) -> None:
    r = await _login(proxied, known_user, "192.0.2.1, 203.0.113.10")
    assert r.status_code == 401

    async with ctx.sessionmaker() as db:
        ips = list(
            await db.scalars(select(AuditLog.ip_address).where(AuditLog.action == "auth.login_failed"))
        )

    assert ips == ["203.0.113.10"]


# --- a peer that is not trusted ----------------------------------------------------------


async def test_untrusted_peer_cannot_spread_attempts_over_forged_addresses(client: Client) -> None:
    await _exhaust_ip_limit(client, None, vary=True)

    r = await _login(client, "someone@example.jp", "203.0.113.99")

    _assert_rate_limited(r, LOGIN_PER_IP.seconds)


async def test_untrusted_peer_is_audited_under_its_own_address(
    client: Client, ctx: AppContext, known_user: str
) -> None:
    r = await _login(client, known_user, "203.0.113.99")
    assert r.status_code == 401

    async with ctx.sessionmaker() as db:
        ips = list(
            await db.scalars(select(AuditLog.ip_address).where(AuditLog.action == "auth.login_failed"))
        )

    assert ips == [PEER]


# --- per account -----------------------------------------------------------------------


async def test_account_limit_holds_across_addresses(proxied: Client, known_user: str) -> None:
    for n in range(LOGIN_PER_ACCOUNT.hits):
        r = await _login(proxied, known_user, f"203.0.113.{n}")
        assert r.status_code == 401, r.text

    wrong = await _login(proxied, known_user, "203.0.113.200")
    right = await _login(proxied, known_user, "203.0.113.201", PASSWORD)
    other_account = await _login(proxied, "someone@example.jp", "203.0.113.200")

    _assert_rate_limited(wrong, LOGIN_PER_ACCOUNT.seconds)
    _assert_rate_limited(right, LOGIN_PER_ACCOUNT.seconds)
    assert other_account.status_code == 401, other_account.text


async def test_account_limit_ignores_the_case_and_spaces_of_the_email(
    proxied: Client, known_user: str
) -> None:
    for n in range(LOGIN_PER_ACCOUNT.hits):
        r = await _login(proxied, f"  KNOWN@Example.JP{' ' * n}", f"203.0.113.{n}")
        assert r.status_code == 401, r.text

    r = await _login(proxied, known_user, "203.0.113.200", PASSWORD)

    _assert_rate_limited(r, LOGIN_PER_ACCOUNT.seconds)


# --- how the address is read -------------------------------------------------------------


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "expected"),
    [
        ("10.0.0.5", "203.0.113.7", (), "10.0.0.5"),
        ("10.0.0.5", "203.0.113.7", ("10.0.0.9",), "10.0.0.5"),
        ("10.0.0.5", "203.0.113.7", ("10.0.0.5",), "203.0.113.7"),
        ("10.0.0.5", None, ("10.0.0.5",), "10.0.0.5"),
        ("10.0.0.5", "", ("10.0.0.5",), "10.0.0.5"),
        ("10.0.0.5", "198.51.100.1, 203.0.113.7", ("10.0.0.5",), "203.0.113.7"),
        ("10.0.0.5", "203.0.113.7, 10.0.0.6", ("10.0.0.5", "10.0.0.6"), "203.0.113.7"),
        ("10.0.0.5", " 203.0.113.7 ,, ", ("10.0.0.5",), "203.0.113.7"),
        ("10.0.0.5", "10.0.0.6, 10.0.0.5", ("10.0.0.5", "10.0.0.6"), "10.0.0.5"),
        ("10.0.0.5", "2001:db8::1", ("10.0.0.5",), "2001:db8::1"),
        ("10.0.0.5", "x" * 100, ("10.0.0.5",), "x" * 45),
        (None, "203.0.113.7", (), None),
    ],
    ids=[
        "nothing-trusted",
        "other-proxy-trusted",
        "trusted-peer",
        "trusted-peer-no-header",
        "trusted-peer-empty-header",
        "client-prefix-ignored",
        "chain-of-trusted-proxies",
        "blanks-ignored",
        "all-hops-trusted",
        "ipv6",
        "clipped-to-column",
        "no-peer",
    ],
)
def test_client_address_is_the_rightmost_untrusted_hop(
    peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...], expected: str | None
) -> None:
    assert client_ip(peer, forwarded_for, trusted) == expected
