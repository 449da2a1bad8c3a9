"""/api/audit-logs: searching the audit trail (company_admin: own company; system_admin: all)."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, get
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.audit.schemas import AuditLogOut, AuditQuery
from server.domains.audit.services import AuditLogService
from server.listing import Limit, Offset
from server.schemas import Page, parse


def provide_audit(db: AsyncSession, principal: Principal) -> AuditLogService:
    return AuditLogService(db, principal)


class AuditLogController(Controller):
    path = "/api/audit-logs"
    tags = ["audit"]
    dependencies = {"audit_logs": Provide(provide_audit, sync_to_thread=False)}

    @get("/", summary="Search the audit trail; `until` is exclusive")
    async def search_audit_logs(
        self,
        audit_logs: AuditLogService,
        limit: Limit = 50,
        offset: Offset = 0,
        sort: str = "-id",
        user_id: int | None = None,
        company_id: int | None = None,
        action: str | None = Parameter(default=None, max_length=50),
        entity_type: str | None = Parameter(default=None, max_length=50),
        entity_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Page[AuditLogOut]:
        query = parse(
            AuditQuery,
            user_id=user_id,
            company_id=company_id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            since=since,
            until=until,
        )
        return await audit_logs.search(query, limit=limit, offset=offset, sort=sort)

    @get("/{entry_id:int}")
    async def read_audit_log(self, entry_id: int, audit_logs: AuditLogService) -> AuditLogOut:
        return await audit_logs.get(entry_id)
