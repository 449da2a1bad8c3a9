"""Searching the audit trail: a company_admin sees its company's entries, a system_admin all.

The trail itself is written by `server.audit`; this module only reads it, through the same
tenant scope as every other domain.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog
from server.auth.principal import Principal, RoleName
from server.auth.tenancy import TenantScope
from server.domains.audit.schemas import AuditLogOut, AuditQuery
from server.errors import FieldError, InvalidInput
from server.listing import order_by, paginate, where_given
from server.schemas import Page

SORTABLE = {"id": AuditLog.id, "created_at": AuditLog.created_at}


def audit_log_out(row: AuditLog) -> AuditLogOut:
    return AuditLogOut(
        id=row.id,
        user_id=row.user_id,
        company_id=row.company_id,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        old_values=row.old_values,
        new_values=row.new_values,
        metadata=row.metadata_,
        ip_address=row.ip_address,
        user_agent=row.user_agent,
        session_id=row.session_id,
        created_at=row.created_at,
    )


class AuditLogService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal
        self.scope = TenantScope(principal)

    async def search(self, query: AuditQuery, *, limit: int, offset: int, sort: str) -> Page[AuditLogOut]:
        self.principal.require(RoleName.COMPANY_ADMIN)
        if query.since is not None and query.until is not None and query.since > query.until:
            raise InvalidInput(errors=[FieldError(field="since", message="must not be after until")])
        statement = self.scope.select(AuditLog)
        statement = where_given(
            statement,
            (AuditLog.user_id, query.user_id),
            (AuditLog.company_id, query.company_id),
            (AuditLog.action, query.action),
            (AuditLog.entity_type, query.entity_type),
            (AuditLog.entity_id, query.entity_id),
        )
        if query.since is not None:
            statement = statement.where(AuditLog.created_at >= query.since)
        if query.until is not None:
            statement = statement.where(AuditLog.created_at < query.until)
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[audit_log_out(r) for r in rows], total=total)

    async def get(self, entry_id: int) -> AuditLogOut:
        self.principal.require(RoleName.COMPANY_ADMIN)
        return audit_log_out(await self.scope.get(self.db, AuditLog, entry_id))
