"""Arrangements of the retention tests: a fixed purge time, rows deleted so many days before it,
and objects in the file store."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from models import Base, Company, User
from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from server.domains.files.naming import object_key
from tests.factories import make_company, make_user

NOW = datetime(2030, 4, 1, 12, 0, tzinfo=UTC)
"""The purge's time in every test (`now=`), years after the rows' real creation times."""


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def deleted(days: float, by: int | None = None) -> dict[str, Any]:
    """Fields of a row soft-deleted `days` before NOW."""
    return {"is_deleted": True, "deleted_at": ago(days), "deleted_by": by}


async def put_object(ctx: AppContext, company_id: int, content: bytes) -> str:
    """Store `content` as an upload would (`companies/{company}/{sha256}`); answer its key."""
    key = object_key(company_id, hashlib.sha256(content).hexdigest())
    staged = ctx.storage.staging_dir / f"test-{secrets.token_hex(6)}"
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_bytes(content)
    await ctx.storage.put(key, staged, len(content))
    return key


async def exists(ctx: AppContext, model: type[Base], row_id: int) -> bool:
    async with ctx.sessionmaker() as db:
        found = await db.scalar(select(model.id).where(model.id == row_id))  # type: ignore[attr-defined]
    return found is not None


async def ids(ctx: AppContext, model: type[Base]) -> set[int]:
    async with ctx.sessionmaker() as db:
        return set(await db.scalars(select(model.id)))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class World:
    company: Company
    admin: User
    recruiter: User
    candidate: User


async def world(ctx: AppContext, *, kind: CompanyType = CompanyType.RECRUITING_AGENCY) -> World:
    async with ctx.transaction() as db:
        company = await make_company(db, kind)
        admin = await make_user(db, ctx.passwords, company, RoleName.COMPANY_ADMIN)
        recruiter = await make_user(db, ctx.passwords, company, RoleName.RECRUITER)
        candidate = await make_user(db, ctx.passwords, company, RoleName.CANDIDATE)
    return World(company=company, admin=admin, recruiter=recruiter, candidate=candidate)
