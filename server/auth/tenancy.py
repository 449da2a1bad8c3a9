"""Tenant isolation by construction.

Every read and write of a tenant-owned table goes through `TenantScope`, which limits it to
the principal's company (a candidate: to their own records; a system_admin: everything).
A row outside the scope answers 404 exactly like a row that does not exist, so another
tenant's data is never visible, not even its existence. Controllers never filter by tenant.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models import Base, Company, Interview, User
from server.auth.principal import Principal
from server.errors import NotFound

M = TypeVar("M", bound=Base)

# The column naming the user a record belongs to, for principals who are only candidates.
OWNER_COLUMNS: dict[type[Base], InstrumentedAttribute[Any]] = {
    User: User.id,
    Interview: Interview.candidate_id,
}


class TenantScope:
    def __init__(self, principal: Principal) -> None:
        self.principal = principal

    def condition(self, model: type[Base]) -> ColumnElement[bool]:
        principal = self.principal
        if principal.is_system_admin:
            return true()
        if principal.is_candidate_only and model in OWNER_COLUMNS:
            return OWNER_COLUMNS[model] == principal.user_id
        if principal.company_id is None:
            return false()
        if model is Company:
            return Company.id == principal.company_id
        company_column = getattr(model, "company_id", None)
        if company_column is None:
            raise TypeError(f"{model.__name__} has no company_id; it cannot be tenant-scoped")
        condition: ColumnElement[bool] = company_column == principal.company_id
        return condition

    def select(self, model: type[M], *, include_deleted: bool = False) -> Select[tuple[M]]:
        statement = select(model).where(self.condition(model))
        if not include_deleted and hasattr(model, "is_deleted"):
            statement = statement.where(model.is_deleted.is_(False))  # type: ignore[attr-defined]
        return statement

    async def get(
        self, db: AsyncSession, model: type[M], entity_id: int, *, include_deleted: bool = False
    ) -> M:
        """The row, or 404 when it does not exist, is soft-deleted, or belongs to someone else."""
        entity = await db.scalar(
            self.select(model, include_deleted=include_deleted).where(model.id == entity_id)  # type: ignore[attr-defined]
        )
        if entity is None:
            raise NotFound(f"{model.__name__} {entity_id} was not found.")
        return entity

    def owns_company(self, company_id: int | None) -> bool:
        return self.principal.is_system_admin or (
            company_id is not None and company_id == self.principal.company_id
        )
