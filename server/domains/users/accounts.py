"""Opening an account and granting roles: the one way a user comes into being.

A company_admin creating a colleague and a recruiter registering a candidate both end here, so
every new account is created inactive with the same mailed activation link and the same role
rules (a recruiter's role needs an agency, an employer's an employer company).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Role, User, UserRole
from models.enums import CompanyType
from server.auth.links import activation_link
from server.auth.principal import Principal, RoleName
from server.context import AppContext
from server.domains.users.schemas import UserCreate
from server.errors import Conflict, Forbidden
from server.events import record
from server.mail import MailRequested

ROLE_COMPANY_TYPE = {
    RoleName.RECRUITER: CompanyType.RECRUITING_AGENCY,
    RoleName.EMPLOYER: CompanyType.EMPLOYER,
}
"""Roles that only make sense in one kind of company."""


async def grant(
    db: AsyncSession, principal: Principal, user: User, company: Company | None, role: RoleName
) -> None:
    if role is RoleName.SYSTEM_ADMIN and not principal.is_system_admin:
        raise Forbidden("Only a system_admin grants system_admin.")
    if (role is RoleName.SYSTEM_ADMIN) != (company is None):
        raise Conflict(
            "system_admin is for users without a company, and only for them.", code="role_mismatch"
        )
    wanted_type = ROLE_COMPANY_TYPE.get(role)
    if wanted_type is not None and (company is None or company.type != wanted_type):
        raise Conflict(f"{role} needs a {wanted_type} company.", code="role_mismatch")
    role_id = await db.scalar(select(Role.id).where(Role.name == role.value))
    exists = await db.scalar(
        select(UserRole.id).where(UserRole.user_id == user.id, UserRole.role_id == role_id)
    )
    if exists is None:
        db.add(UserRole(user_id=user.id, role_id=role_id, assigned_by=principal.user_id))


async def open_account(
    db: AsyncSession, ctx: AppContext, principal: Principal, company: Company | None, data: UserCreate
) -> User:
    """A new inactive user of `company` with `data.roles`, mailed their activation link."""
    email = data.email.strip().lower()
    if await db.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise Conflict("A user with this email already exists.", code="email_taken")
    user = User(
        email=email,
        first_name=data.first_name,
        last_name=data.last_name,
        phone=data.phone,
        company_id=company.id if company is not None else None,
        require_2fa=data.require_2fa,
        is_active=False,
    )
    db.add(user)
    await db.flush()
    for role in dict.fromkeys(data.roles):
        await grant(db, principal, user, company, role)
    await db.flush()
    link = activation_link(ctx.signer, ctx.settings, user)
    record(
        db,
        MailRequested(
            to=user.email,
            subject="Your MiraiWorks account",
            body=f"An account was created for you. Choose your password here (valid 7 days):\n\n{link}",
        ),
    )
    return user
