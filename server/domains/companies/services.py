"""Companies: the tenants. The platform operator manages them all; a company_admin its own."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company
from models.enums import CompanyType
from server import audit
from server.auth.principal import Principal, RoleName
from server.auth.tenancy import TenantScope
from server.domains.companies.schemas import CompanyCreate, CompanyDemoUpdate, CompanyOut, CompanyUpdate
from server.listing import order_by, paginate
from server.schemas import Page, apply

SORTABLE = {"id": Company.id, "name": Company.name, "created_at": Company.created_at}


def company_out(company: Company) -> CompanyOut:
    values = {
        field: getattr(company, field) for field in CompanyOut.__struct_fields__ if field != "is_active"
    }
    return CompanyOut(**values, is_active=company.is_active == "1")


class CompaniesService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal
        self.scope = TenantScope(principal)

    async def search(
        self,
        *,
        limit: int,
        offset: int,
        sort: str,
        q: str | None,
        type: CompanyType | None,
        is_active: bool | None,
        is_demo: bool | None,
        include_deleted: bool,
    ) -> Page[CompanyOut]:
        self.principal.require(RoleName.SYSTEM_ADMIN)
        statement = self.scope.select(Company, include_deleted=include_deleted)
        if q:
            statement = statement.where(func.lower(Company.name).like(f"%{q.lower()}%"))
        if type is not None:
            statement = statement.where(Company.type == type)
        if is_active is not None:
            statement = statement.where(Company.is_active == ("1" if is_active else "0"))
        if is_demo is not None:
            statement = statement.where(Company.is_demo.is_(is_demo))
        companies, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[company_out(c) for c in companies], total=total)

    async def get(self, company_id: int) -> CompanyOut:
        return company_out(await self.scope.get(self.db, Company, company_id))

    async def create(self, data: CompanyCreate) -> CompanyOut:
        self.principal.require(RoleName.SYSTEM_ADMIN)
        company = Company(**{field: getattr(data, field) for field in data.__struct_fields__})
        self.db.add(company)
        await self.db.flush()
        return company_out(company)

    async def update(self, company_id: int, data: CompanyUpdate) -> CompanyOut:
        self.principal.require(RoleName.COMPANY_ADMIN)
        company = await self.scope.get(self.db, Company, company_id)
        apply(company, data)
        await self.db.flush()
        return company_out(company)

    async def update_demo(self, company_id: int, data: CompanyDemoUpdate) -> CompanyOut:
        self.principal.require(RoleName.SYSTEM_ADMIN)
        company = await self.scope.get(self.db, Company, company_id)
        apply(company, data)
        await self.db.flush()
        return company_out(company)

    async def set_active(self, company_id: int, active: bool) -> CompanyOut:
        self.principal.require(RoleName.SYSTEM_ADMIN)
        company = await self.scope.get(self.db, Company, company_id)
        company.is_active = "1" if active else "0"
        audit.label(self.db, company, "companies.activate" if active else "companies.deactivate")
        await self.db.flush()
        return company_out(company)

    async def set_deleted(self, company_id: int, deleted: bool) -> CompanyOut:
        self.principal.require(RoleName.SYSTEM_ADMIN)
        company = await self.scope.get(self.db, Company, company_id, include_deleted=not deleted)
        if deleted:
            company.mark_deleted(self.principal.user_id)
        elif company.is_deleted:
            company.restore()
        await self.db.flush()
        return company_out(company)
