"""Factories for test data: a company, a user with roles, signed-in clients."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Role, User, UserRole
from models.enums import CompanyType
from server.auth.passwords import Passwords
from server.auth.principal import RoleName

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


async def make_company(db: AsyncSession, type: CompanyType = CompanyType.EMPLOYER, **fields: Any) -> Company:
    n = next(_seq)
    company = Company(
        name=fields.pop("name", f"Company {n}"),
        type=type,
        email=fields.pop("email", f"contact{n}@company{n}.example.jp"),
        phone=fields.pop("phone", "03-1234-5678"),
        **fields,
    )
    db.add(company)
    await db.flush()
    return company


async def make_user(
    db: AsyncSession,
    passwords: Passwords,
    company: Company | None,
    *roles: RoleName,
    password: str | None = PASSWORD,
    **fields: Any,
) -> User:
    n = next(_seq)
    user = User(
        email=fields.pop("email", f"user{n}@example.jp"),
        first_name=fields.pop("first_name", "Taro"),
        last_name=fields.pop("last_name", f"Yamada{n}"),
        company_id=company.id if company else None,
        hashed_password=passwords.hash(password) if password else None,
        is_active=fields.pop("is_active", True),
        **fields,
    )
    db.add(user)
    await db.flush()
    for role in roles:
        role_id = await db.scalar(select(Role.id).where(Role.name == role.value))
        db.add(UserRole(user_id=user.id, role_id=role_id))
    await db.flush()
    return user
