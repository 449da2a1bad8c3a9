"""The positions domain as the app wires it in."""

from __future__ import annotations

from server.domains.positions.controllers import PositionsController, PublicPositionsController
from server.domains.positions.services import check_position_attachment
from server.manifest import Domain

DOMAIN = Domain(
    name="positions",
    controllers=[PositionsController, PublicPositionsController],
    file_owners={"position": check_position_attachment},
)
