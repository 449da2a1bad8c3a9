"""What the API says about audit-trail entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from server.schemas import AwareDateTime


class AuditLogOut(msgspec.Struct, kw_only=True):
    id: int
    user_id: int | None
    company_id: int | None
    action: str
    entity_type: str
    entity_id: int | None
    old_values: Any
    new_values: Any
    metadata: Any
    ip_address: str | None
    user_agent: str | None
    session_id: str | None
    created_at: datetime


class AuditQuery(msgspec.Struct, kw_only=True, frozen=True):
    user_id: int | None = None
    company_id: int | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: int | None = None
    since: AwareDateTime | None = None
    until: AwareDateTime | None = None
