"""The audit domain as the app wires it in."""

from __future__ import annotations

from server.domains.audit.controllers import AuditLogController
from server.manifest import Domain

DOMAIN = Domain(
    name="audit",
    controllers=[AuditLogController],
)
