"""Who is calling: the principal, read from the database (and reused for seconds at most by
`server.auth.principals`, which drops it on every process at a change).

Roles, account state and the session are never trusted from the token alone: a suspended,
deactivated or deleted user, a revoked role, a deactivated company or a logged-out session
takes effect on the very next request.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import msgspec
from sqlalchemy import Exists, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, RefreshToken, Role, User, UserRole
from models.enums import CompanyType
from server.auth.tokens import TokenError
from server.errors import Forbidden


class RoleName(StrEnum):
    SYSTEM_ADMIN = "system_admin"
    COMPANY_ADMIN = "company_admin"
    RECRUITER = "recruiter"
    EMPLOYER = "employer"
    CANDIDATE = "candidate"


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    user_id: int
    email: str
    company_id: int | None
    company_type: CompanyType | None
    roles: frozenset[RoleName]
    session_id: str

    @property
    def is_system_admin(self) -> bool:
        return RoleName.SYSTEM_ADMIN in self.roles

    @property
    def is_company_admin(self) -> bool:
        return RoleName.COMPANY_ADMIN in self.roles

    @property
    def is_candidate_only(self) -> bool:
        return self.roles == frozenset({RoleName.CANDIDATE})

    def require(self, *roles: RoleName) -> None:
        """Refuse with 403 unless the principal holds one of the roles (system_admin holds all)."""
        if self.is_system_admin or self.roles.intersection(roles):
            return
        raise Forbidden()


def account_usable(user: User, company: Company | None) -> bool:
    """Whether an account may authenticate at all: active, not suspended or deleted, company live."""
    if not user.is_active or user.is_suspended or user.is_deleted:
        return False
    if user.company_id is None:
        return True
    return company is not None and company.is_active == "1" and not company.is_deleted


async def role_names(session: AsyncSession, user_id: int) -> frozenset[RoleName]:
    rows = await session.scalars(
        select(Role.name)
        .join(UserRole, UserRole.role_id == Role.id)
        .where(UserRole.user_id == user_id, Role.is_active.is_(True))
    )
    return frozenset(RoleName(name) for name in rows if name in RoleName.__members__.values())


def session_is_live(session_id: str) -> Exists:
    """An unexpired, active refresh token of the family named by the access token's `sid`."""
    return (
        select(RefreshToken.id)
        .where(
            RefreshToken.token.startswith(f"{session_id}.", autoescape=True),
            RefreshToken.is_active.is_(True),
            RefreshToken.expires_at > datetime.now(UTC),
        )
        .exists()
    )


class Account(msgspec.Struct, frozen=True, kw_only=True):
    """Another user, as a rule about reaching them reads them (the messages policy)."""

    user_id: int
    company_id: int | None
    usable: bool
    """`account_usable`: they may sign in, so they may be reached."""
    roles: frozenset[RoleName]


async def load_account(session: AsyncSession, user_id: int) -> Account | None:
    row: Row[tuple[User, Company]] | None = (
        await session.execute(
            select(User, Company).outerjoin(Company, Company.id == User.company_id).where(User.id == user_id)
        )
    ).one_or_none()
    if row is None:
        return None
    user, company = row
    return Account(
        user_id=user.id,
        company_id=user.company_id,
        usable=account_usable(user, company),
        roles=await role_names(session, user.id),
    )


async def load_principal(session: AsyncSession, user_id: int, session_id: str) -> Principal:
    row: Row[tuple[User, Company, bool]] | None = (
        await session.execute(
            select(User, Company, session_is_live(session_id))
            .outerjoin(Company, Company.id == User.company_id)
            .where(User.id == user_id)
        )
    ).one_or_none()
    if row is None:
        raise TokenError()
    user, company, live = row
    if not live or not account_usable(user, company):
        raise TokenError()
    return Principal(
        user_id=user.id,
        email=user.email,
        company_id=user.company_id,
        company_type=company.type if company is not None else None,
        roles=await role_names(session, user.id),
        session_id=session_id,
    )
