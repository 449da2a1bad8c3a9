"""The demo companies and users: created when missing, put back in a usable state when present.

Companies are found by their fixed contact email and users by their email, so re-running never
duplicates them. Whatever was there, every printed account ends up able to log in with the
password of this run: active, not suspended or deleted, in a live company, with its role.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Role, User, UserRole
from models.enums import CompanyType
from server import audit
from server.auth.passwords import Passwords
from server.demo.common import DOMAIN, Demo, DemoAccount

PLATFORM = "(platform)"
"""What the CLI prints as the company of the system admin, who belongs to none."""


class CompanySpec(NamedTuple):
    name: str
    type: CompanyType
    email: str
    phone: str
    website: str
    postal_code: str
    prefecture: str
    city: str
    description: str


class UserSpec(NamedTuple):
    email: str
    role: str
    company: CompanySpec | None
    last_name: str
    first_name: str
    phone: str
    is_admin: bool = False


AGENCY = CompanySpec(
    name="Mirai Talent Partners 株式会社",
    type=CompanyType.RECRUITING_AGENCY,
    email=f"contact@agency.{DOMAIN}",
    phone="03-6555-0101",
    website=f"https://agency.{DOMAIN}",
    postal_code="100-0005",
    prefecture="東京都",
    city="千代田区丸の内",
    description="IT・製造業のエンジニア採用に強い人材紹介会社（デモデータ）。",
)

EMPLOYER = CompanySpec(
    name="Sakura Robotics 株式会社",
    type=CompanyType.EMPLOYER,
    email=f"contact@employer.{DOMAIN}",
    phone="06-6555-0202",
    website=f"https://employer.{DOMAIN}",
    postal_code="530-0001",
    prefecture="大阪府",
    city="大阪市北区梅田",
    description="物流倉庫向け協働ロボットを開発するスタートアップ（デモデータ）。",
)

# The system admin comes first: it assigns everyone else's role.
ADMIN = UserSpec(f"admin@{DOMAIN}", "system_admin", None, "渡辺", "健二", "090-5555-0001", is_admin=True)
AGENCY_ADMIN = UserSpec(f"agency-admin@{DOMAIN}", "company_admin", AGENCY, "佐藤", "美咲", "090-5555-0002")
RECRUITER = UserSpec(f"recruiter@{DOMAIN}", "recruiter", AGENCY, "田中", "翔太", "090-5555-0003")
CANDIDATE = UserSpec(f"candidate@{DOMAIN}", "candidate", AGENCY, "高橋", "陽菜", "080-5555-0004")
EMPLOYER_ADMIN = UserSpec(
    f"employer-admin@{DOMAIN}", "company_admin", EMPLOYER, "山本", "大輔", "090-5555-0005"
)
EMPLOYER_USER = UserSpec(f"employer@{DOMAIN}", "employer", EMPLOYER, "中村", "彩", "090-5555-0006")
USERS = (ADMIN, AGENCY_ADMIN, RECRUITER, CANDIDATE, EMPLOYER_ADMIN, EMPLOYER_USER)


class _Password:
    """The demo password: hashed at most once per run (argon2 is slow on purpose) and checked per hash."""

    def __init__(self, passwords: Passwords, password: str) -> None:
        self._passwords = passwords
        self._password = password
        self._hash: str | None = None
        self._checked: dict[str, bool] = {}

    def hash(self) -> str:
        if self._hash is None:
            self._hash = self._passwords.hash(self._password)
        return self._hash

    def matches(self, hashed: str | None) -> bool:
        """Whether `hashed` already verifies the password (demo users share one hash: check it once)."""
        if hashed is None:
            return False
        if hashed not in self._checked:
            self._checked[hashed] = self._passwords.verify(
                hashed, self._password
            ) and not self._passwords.needs_rehash(hashed)
        return self._checked[hashed]


def _assign(row: Any, **values: Any) -> None:
    """Set only the columns that differ, so an unchanged re-run issues no UPDATE at all."""
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


async def _roles(session: AsyncSession) -> dict[str, Role]:
    wanted = {spec.role for spec in USERS}
    roles = {role.name: role for role in await session.scalars(select(Role).where(Role.name.in_(wanted)))}
    missing = sorted(wanted - roles.keys())
    if missing:
        raise click.ClickException(f"roles {', '.join(missing)} are missing: run `miraiworks migrate` first")
    return roles


async def _company(session: AsyncSession, spec: CompanySpec) -> tuple[Company, bool]:
    """The demo company with this contact email, created when missing; True when just created."""
    found = await session.scalar(
        select(Company).where(Company.email == spec.email).order_by(Company.id).limit(1)
    )
    if found is not None:
        _assign(found, is_active="1", is_deleted=False, deleted_at=None, deleted_by=None)
        return found, False
    company = Company(
        name=spec.name,
        type=spec.type,
        email=spec.email,
        phone=spec.phone,
        website=spec.website,
        postal_code=spec.postal_code,
        prefecture=spec.prefecture,
        city=spec.city,
        description=spec.description,
        is_active="1",
        is_demo=True,
        demo_features="all",
        demo_notes="Created by `miraiworks seed-demo`.",
    )
    session.add(company)
    await session.flush()
    return company, True


async def _user(
    session: AsyncSession,
    spec: UserSpec,
    company: Company | None,
    role: Role,
    password: _Password,
    assigned_by: User | None,
) -> User:
    user = await session.scalar(select(User).where(User.email == spec.email))
    existing = user is not None
    if user is None:
        user = User(email=spec.email, last_name=spec.last_name, first_name=spec.first_name, phone=spec.phone)
        session.add(user)
    _assign(
        user,
        company_id=company.id if company is not None else None,
        is_admin=spec.is_admin,
        is_active=True,
        is_suspended=False,
        is_deleted=False,
        deleted_at=None,
        deleted_by=None,
    )
    if not password.matches(user.hashed_password):
        user.hashed_password = password.hash()
        if existing:
            audit.label(session, user, "demo.password_reset")
    await session.flush()
    linked = await session.scalar(
        select(UserRole.id).where(UserRole.user_id == user.id, UserRole.role_id == role.id)
    )
    if linked is None:
        session.add(
            UserRole(
                user_id=user.id,
                role_id=role.id,
                assigned_by=assigned_by.id if assigned_by is not None else None,
            )
        )
        await session.flush()
    return user


async def ensure_accounts(session: AsyncSession, demo: Demo) -> None:
    """Create or repair the two companies and the six users, and list them in `demo.accounts`."""
    roles = await _roles(session)
    demo.agency, agency_created = await _company(session, AGENCY)
    demo.employer, employer_created = await _company(session, EMPLOYER)
    demo.created = agency_created and employer_created
    companies = {AGENCY: demo.agency, EMPLOYER: demo.employer}
    password = _Password(Passwords(demo.settings), demo.password)

    users: dict[UserSpec, User] = {}
    for spec in USERS:
        company = companies[spec.company] if spec.company is not None else None
        users[spec] = await _user(session, spec, company, roles[spec.role], password, users.get(ADMIN))
        name = company.name if company is not None else PLATFORM
        demo.accounts.append(DemoAccount(email=spec.email, role=spec.role, company=name))

    demo.admin = users[ADMIN]
    demo.agency_admin = users[AGENCY_ADMIN]
    demo.recruiter = users[RECRUITER]
    demo.candidate = users[CANDIDATE]
    demo.employer_admin = users[EMPLOYER_ADMIN]
    demo.employer_user = users[EMPLOYER_USER]
