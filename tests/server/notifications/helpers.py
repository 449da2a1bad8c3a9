"""Shared arrangements of the /api/notifications tests: two users, notifications, sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from models import User
from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from server.domains.notifications.schemas import NotificationOut
from server.domains.notifications.services import notify
from tests.factories import make_company, make_user
from tests.server.auth.helpers import Client, bearer, login

BASE = "/api/notifications"
OWNER = "owner@example.jp"
OTHER = "other@example.jp"


def now() -> datetime:
    return datetime.now(UTC)


def past() -> datetime:
    return now() - timedelta(minutes=1)


def future() -> datetime:
    return now() + timedelta(hours=1)


async def two_users(ctx: AppContext) -> tuple[User, User]:
    """The owner (a recruiter) and their own company's admin, who must not see the owner's notifications."""
    async with ctx.transaction() as db:
        company = await make_company(db, CompanyType.RECRUITING_AGENCY)
        owner = await make_user(db, ctx.passwords, company, RoleName.RECRUITER, email=OWNER)
        other = await make_user(db, ctx.passwords, company, RoleName.COMPANY_ADMIN, email=OTHER)
    return owner, other


async def add(ctx: AppContext, user: User, title: str, **fields: Any) -> NotificationOut:
    """Store one notification in its own committed transaction."""
    async with ctx.transaction() as db:
        return await notify(
            db,
            user_id=user.id,
            type=fields.pop("type", "interview_scheduled"),
            title=title,
            message=fields.pop("message", f"{title}: details"),
            **fields,
        )


async def headers_of(client: Client, email: str) -> dict[str, str]:
    return bearer((await login(client, email))["access_token"])


def titles(body: dict[str, Any]) -> list[str]:
    return [item["title"] for item in body["items"]]


async def unread_count(client: Client, headers: dict[str, str], **params: Any) -> int:
    r = await client.get(f"{BASE}/unread-count", headers=headers, params=params)
    assert r.status_code == 200, r.text
    count: int = r.json()["count"]
    return count
