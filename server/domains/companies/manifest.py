"""The companies domain as the app wires it in."""

from __future__ import annotations

from server.domains.companies.controllers import CompaniesController
from server.manifest import Domain

DOMAIN = Domain(
    name="companies",
    controllers=[CompaniesController],
)
