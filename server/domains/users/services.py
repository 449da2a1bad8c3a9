"""Users of a company: created inactive with a mailed activation link, roles, suspension.

A company_admin manages the users of its own company; a system_admin manages everyone.
Every user reads and updates their own profile.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, Role, User, UserRole
from server import audit
from server.auth.principal import Principal, RoleName, role_names
from server.auth.sessions import end_sessions
from server.auth.tenancy import TenantScope
from server.context import AppContext
from server.domains.users.accounts import grant, open_account
from server.domains.users.events import AccessRevoked
from server.domains.users.schemas import ProfileUpdate, UserCreate, UserOut, UserUpdate
from server.errors import Conflict, FieldError, Forbidden, InvalidInput
from server.events import record
from server.listing import order_by, paginate
from server.schemas import Page, apply

SORTABLE = {"id": User.id, "email": User.email, "created_at": User.created_at, "last_name": User.last_name}


def user_out(user: User, roles: frozenset[RoleName] | list[RoleName]) -> UserOut:
    values = {field: getattr(user, field) for field in UserOut.__struct_fields__ if field != "roles"}
    return UserOut(**values, roles=sorted(roles))


class UsersService:
    def __init__(self, db: AsyncSession, principal: Principal, ctx: AppContext) -> None:
        self.db = db
        self.principal = principal
        self.ctx = ctx
        self.scope = TenantScope(principal)

    async def _out(self, user: User) -> UserOut:
        return user_out(user, await role_names(self.db, user.id))

    async def search(
        self,
        *,
        limit: int,
        offset: int,
        sort: str,
        q: str | None,
        is_active: bool | None,
        is_suspended: bool | None,
        include_deleted: bool,
    ) -> Page[UserOut]:
        self.principal.require(RoleName.COMPANY_ADMIN)
        statement = self.scope.select(User, include_deleted=include_deleted)
        if q:
            pattern = f"%{q.lower()}%"
            statement = statement.where(
                or_(
                    func.lower(User.email).like(pattern),
                    func.lower(User.first_name + " " + User.last_name).like(pattern),
                )
            )
        if is_active is not None:
            statement = statement.where(User.is_active.is_(is_active))
        if is_suspended is not None:
            statement = statement.where(User.is_suspended.is_(is_suspended))
        users, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        roles = await self._roles_of([u.id for u in users])
        return Page(items=[user_out(u, roles.get(u.id, frozenset())) for u in users], total=total)

    async def _roles_of(self, user_ids: list[int]) -> dict[int, frozenset[RoleName]]:
        if not user_ids:
            return {}
        rows = await self.db.execute(
            select(UserRole.user_id, Role.name)
            .join(Role, Role.id == UserRole.role_id)
            .where(UserRole.user_id.in_(user_ids))
        )
        found: dict[int, set[RoleName]] = {}
        for user_id, name in rows:
            found.setdefault(user_id, set()).add(RoleName(name))
        return {user_id: frozenset(names) for user_id, names in found.items()}

    async def get(self, user_id: int) -> UserOut:
        if user_id != self.principal.user_id:
            self.principal.require(RoleName.COMPANY_ADMIN)
        return await self._out(await self.scope.get(self.db, User, user_id))

    async def create(self, data: UserCreate) -> UserOut:
        self.principal.require(RoleName.COMPANY_ADMIN)
        company_id = data.company_id if self.principal.is_system_admin else self.principal.company_id
        if data.company_id is not None and not self.scope.owns_company(data.company_id):
            raise Forbidden("You may only create users in your own company.")
        company = await self.db.get(Company, company_id) if company_id is not None else None
        if company_id is not None and (company is None or company.is_deleted):
            raise InvalidInput(errors=[FieldError(field="company_id", message="no such company")])
        user = await open_account(self.db, self.ctx, self.principal, company, data)
        return await self._out(user)

    async def update(self, user_id: int, data: UserUpdate) -> UserOut:
        self.principal.require(RoleName.COMPANY_ADMIN)
        user = await self.scope.get(self.db, User, user_id)
        apply(user, data)
        await self.db.flush()
        return await self._out(user)

    async def update_profile(self, data: ProfileUpdate) -> UserOut:
        user = await self.scope.get(self.db, User, self.principal.user_id)
        apply(user, data)
        await self.db.flush()
        return await self._out(user)

    async def assign_role(self, user_id: int, role: RoleName) -> UserOut:
        self.principal.require(RoleName.COMPANY_ADMIN)
        user = await self.scope.get(self.db, User, user_id)
        company = await self.db.get(Company, user.company_id) if user.company_id else None
        await grant(self.db, self.principal, user, company, role)
        await self.db.flush()
        return await self._out(user)

    async def revoke_role(self, user_id: int, role: RoleName) -> UserOut:
        self.principal.require(RoleName.COMPANY_ADMIN)
        user = await self.scope.get(self.db, User, user_id)
        if user.id == self.principal.user_id and role in (RoleName.COMPANY_ADMIN, RoleName.SYSTEM_ADMIN):
            raise Conflict("You cannot take your own admin role away.", code="self_lockout")
        assignment = await self.db.scalar(
            select(UserRole)
            .join(Role, Role.id == UserRole.role_id)
            .where(UserRole.user_id == user.id, Role.name == role.value)
        )
        if assignment is not None:
            await self.db.delete(assignment)
            await self.db.flush()
        return await self._out(user)

    async def set_suspended(self, user_id: int, suspended: bool) -> UserOut:
        self.principal.require(RoleName.COMPANY_ADMIN)
        user = await self._other_user(user_id)
        user.is_suspended = suspended
        user.suspended_at = datetime.now(UTC) if suspended else None
        user.suspended_by = self.principal.user_id if suspended else None
        audit.label(self.db, user, "users.suspend" if suspended else "users.unsuspend")
        if suspended:
            await self._end_sessions(user)
        await self.db.flush()
        return await self._out(user)

    async def set_deleted(self, user_id: int, deleted: bool) -> UserOut:
        self.principal.require(RoleName.COMPANY_ADMIN)
        user = await self._other_user(user_id, include_deleted=not deleted)
        if deleted:
            user.mark_deleted(self.principal.user_id)
            await self._end_sessions(user)
        elif user.is_deleted:
            user.restore()
        await self.db.flush()
        return await self._out(user)

    async def _end_sessions(self, user: User) -> None:
        """Suspended or deleted: every session ends for good (letting the user back in later
        does not bring the old tokens back) and its sockets close. The suspension's or the
        deletion's audit row records it."""
        await end_sessions(self.db, user.id)
        record(self.db, AccessRevoked(user_id=user.id))

    async def _other_user(self, user_id: int, *, include_deleted: bool = False) -> User:
        user = await self.scope.get(self.db, User, user_id, include_deleted=include_deleted)
        if user.id == self.principal.user_id:
            raise Conflict("You cannot do this to your own account.", code="self_lockout")
        return user
