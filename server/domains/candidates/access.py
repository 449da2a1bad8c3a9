"""Who sees which candidate (a user holding the candidate role); everyone else gets 404.

- a system_admin: every candidate;
- a company_admin or recruiter of an agency: the candidates of their own company (the directory);
- the staff of an employer (company_admin, recruiter, employer): the candidates proposed to their
  company (`server/auth/relations.py`), without their email and phone, which stay with the agency;
- a candidate: themselves.

Registering a candidate, and proposing one to an employer's position, is for a company_admin or
recruiter of a recruiting agency (and a system_admin); anyone else gets 403.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Role, User, UserRole
from models.enums import CompanyType
from server.auth import relations
from server.auth.principal import Principal, RoleName
from server.errors import Forbidden, NotFound

STAFF_ROLES = (RoleName.COMPANY_ADMIN, RoleName.RECRUITER, RoleName.EMPLOYER)


def holds_candidate_role() -> ColumnElement[bool]:
    return exists(
        select(UserRole.id)
        .join(Role, Role.id == UserRole.role_id)
        .where(UserRole.user_id == User.id, Role.name == RoleName.CANDIDATE.value, Role.is_active.is_(True))
    )


def keeps_directory(principal: Principal) -> bool:
    """The principal holds their company's directory of candidates (an agency's staff)."""
    return relations.is_agency_staff(principal)


def readable(principal: Principal) -> ColumnElement[bool]:
    """Condition on `User`: the live candidates the principal sees."""
    live = User.is_deleted.is_(False) & holds_candidate_role()
    if principal.is_system_admin:
        return live
    seen: list[ColumnElement[bool]] = [User.id == principal.user_id]
    if keeps_directory(principal):
        seen.append(User.company_id == principal.company_id)
    if principal.roles.intersection(STAFF_ROLES):
        seen.append(relations.proposed_candidate(principal))
    return live & or_(*seen)


def sees_contact(principal: Principal, candidate: User) -> bool:
    """Email and phone: the candidate, their agency and the platform, never an employer."""
    return (
        principal.is_system_admin
        or candidate.id == principal.user_id
        or (keeps_directory(principal) and candidate.company_id == principal.company_id)
    )


def sees_contacts_of_directory(principal: Principal) -> bool:
    """Searching by email is for those who see the emails of the candidates they list."""
    return principal.is_system_admin or keeps_directory(principal)


async def load(db: AsyncSession, principal: Principal, candidate_id: int) -> User:
    candidate: User | None = await db.scalar(select(User).where(User.id == candidate_id, readable(principal)))
    if candidate is None:
        raise NotFound(f"Candidate {candidate_id} was not found.")
    return candidate


def require_agency_staff(principal: Principal) -> None:
    """403 unless the principal acts for an agency (its company_admin or recruiter, or a
    system_admin): registering candidates and proposing them to employers."""
    if principal.is_system_admin:
        return
    if not keeps_directory(principal) or principal.company_type is not CompanyType.RECRUITING_AGENCY:
        raise Forbidden("This is for the staff of a recruiting agency.")
