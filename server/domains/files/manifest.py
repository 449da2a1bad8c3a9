"""The files domain as the app wires it in."""

from __future__ import annotations

from server.domains.files.controllers import AttachmentsController, TodoAttachmentsController
from server.manifest import Domain

DOMAIN = Domain(
    name="files",
    controllers=[AttachmentsController, TodoAttachmentsController],
)
