"""/api/positions (company staff) and /api/public/positions (no login).

Who may call what is in `server.domains.positions.services`.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import EmploymentType, ExperienceLevel, PositionStatus
from server.auth.principal import Principal
from server.domains.positions.schemas import (
    PositionCreate,
    PositionFilters,
    PositionOut,
    PositionUpdate,
    PublicPositionOut,
    StatusChange,
)
from server.domains.positions.services import PositionsService, PublicPositionsService
from server.listing import Limit, Offset, PathId, QueryId
from server.schemas import Page, parse

# Litestar ignores msgspec.Meta bounds on query and path parameters, so they are spelled out.
Words = Annotated[str | None, Parameter(max_length=100)]


def provide_positions(db: AsyncSession, principal: Principal) -> PositionsService:
    return PositionsService(db, principal)


def provide_public_positions(db: AsyncSession) -> PublicPositionsService:
    return PublicPositionsService(db)


class PositionsController(Controller):
    path = "/api/positions"
    tags = ["positions"]
    dependencies = {"positions": Provide(provide_positions, sync_to_thread=False)}

    @get("/", summary="Positions of your company, drafts included (system_admin: all)")
    async def list_positions(
        self,
        positions: PositionsService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        q: Words = None,
        status: PositionStatus | None = None,
        employment_type: EmploymentType | None = None,
        experience_level: ExperienceLevel | None = None,
        is_remote: bool | None = None,
        company_id: QueryId = None,
        created_by: QueryId = None,
    ) -> Page[PositionOut]:
        filters = parse(
            PositionFilters,
            q=q,
            status=status,
            employment_type=employment_type,
            experience_level=experience_level,
            is_remote=is_remote,
            company_id=company_id,
            created_by=created_by,
        )
        return await positions.search(filters, limit=limit, offset=offset, sort=sort)

    @post("/", summary="Create a draft position in your company")
    async def create_position(self, data: PositionCreate, positions: PositionsService) -> PositionOut:
        return await positions.create(data)

    @get("/{position_id:int}")
    async def read_position(self, position_id: PathId, positions: PositionsService) -> PositionOut:
        return await positions.get(position_id)

    @patch("/{position_id:int}", summary="Change a position (not an archived one)")
    async def update_position(
        self, position_id: PathId, data: PositionUpdate, positions: PositionsService
    ) -> PositionOut:
        return await positions.update(position_id, data)

    @post(
        "/{position_id:int}/status",
        status_code=HTTP_200_OK,
        summary="Publish, close, re-publish or archive (the workflow: see the services module)",
    )
    async def change_status(
        self, position_id: PathId, data: StatusChange, positions: PositionsService
    ) -> PositionOut:
        return await positions.change_status(position_id, data.status)

    @delete("/{position_id:int}", summary="Soft-delete a position (company_admin)")
    async def delete_position(self, position_id: PathId, positions: PositionsService) -> None:
        await positions.delete(position_id)

    @post(
        "/{position_id:int}/restore",
        status_code=HTTP_200_OK,
        summary="Restore a position deleted less than 90 days ago (company_admin)",
    )
    async def restore_position(self, position_id: PathId, positions: PositionsService) -> PositionOut:
        return await positions.restore(position_id)


class PublicPositionsController(Controller):
    path = "/api/public/positions"
    tags = ["positions"]
    dependencies = {"public_positions": Provide(provide_public_positions, sync_to_thread=False)}

    @get("/", summary="Published positions open for applications (no login)")
    async def list_public_positions(
        self,
        public_positions: PublicPositionsService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-posted_date",
        q: Words = None,
        employment_type: EmploymentType | None = None,
        experience_level: ExperienceLevel | None = None,
        is_remote: bool | None = None,
        company_id: QueryId = None,
    ) -> Page[PublicPositionOut]:
        filters = parse(
            PositionFilters,
            q=q,
            employment_type=employment_type,
            experience_level=experience_level,
            is_remote=is_remote,
            company_id=company_id,
        )
        return await public_positions.search(filters, limit=limit, offset=offset, sort=sort)

    @get("/{position_id:int}", summary="A published position open for applications (no login)")
    async def read_public_position(
        self, position_id: PathId, public_positions: PublicPositionsService
    ) -> PublicPositionOut:
        return await public_positions.get(position_id)
