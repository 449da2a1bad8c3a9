"""/api/companies: the platform operator's tenant management, and a company's own profile."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType
from server.auth.principal import Principal
from server.domains.companies.schemas import CompanyCreate, CompanyDemoUpdate, CompanyOut, CompanyUpdate
from server.domains.companies.services import CompaniesService
from server.listing import Limit, Offset
from server.schemas import Page


def provide_companies(db: AsyncSession, principal: Principal) -> CompaniesService:
    return CompaniesService(db, principal)


class CompaniesController(Controller):
    path = "/api/companies"
    tags = ["companies"]
    dependencies = {"companies": Provide(provide_companies, sync_to_thread=False)}

    @get("/", summary="All companies (system_admin)")
    async def list_companies(
        self,
        companies: CompaniesService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "id",
        q: str | None = Parameter(default=None, max_length=100),
        type: CompanyType | None = None,
        is_active: bool | None = None,
        is_demo: bool | None = None,
        include_deleted: bool = False,
    ) -> Page[CompanyOut]:
        return await companies.search(
            limit=limit,
            offset=offset,
            sort=sort,
            q=q,
            type=type,
            is_active=is_active,
            is_demo=is_demo,
            include_deleted=include_deleted,
        )

    @post("/", summary="Create a company (system_admin)")
    async def create_company(self, data: CompanyCreate, companies: CompaniesService) -> CompanyOut:
        return await companies.create(data)

    @get("/{company_id:int}")
    async def read_company(self, company_id: int, companies: CompaniesService) -> CompanyOut:
        return await companies.get(company_id)

    @patch("/{company_id:int}", summary="Update the company profile (company_admin of it, system_admin)")
    async def update_company(
        self, company_id: int, data: CompanyUpdate, companies: CompaniesService
    ) -> CompanyOut:
        return await companies.update(company_id, data)

    @patch("/{company_id:int}/demo", summary="Demo fields (system_admin)")
    async def update_demo(
        self, company_id: int, data: CompanyDemoUpdate, companies: CompaniesService
    ) -> CompanyOut:
        return await companies.update_demo(company_id, data)

    @post("/{company_id:int}/activate", status_code=HTTP_200_OK)
    async def activate(self, company_id: int, companies: CompaniesService) -> CompanyOut:
        return await companies.set_active(company_id, True)

    @post("/{company_id:int}/deactivate", status_code=HTTP_200_OK)
    async def deactivate(self, company_id: int, companies: CompaniesService) -> CompanyOut:
        return await companies.set_active(company_id, False)

    @delete("/{company_id:int}", status_code=HTTP_200_OK, summary="Soft-delete (system_admin)")
    async def delete_company(self, company_id: int, companies: CompaniesService) -> CompanyOut:
        return await companies.set_deleted(company_id, True)

    @post("/{company_id:int}/restore", status_code=HTTP_200_OK)
    async def restore_company(self, company_id: int, companies: CompaniesService) -> CompanyOut:
        return await companies.set_deleted(company_id, False)
