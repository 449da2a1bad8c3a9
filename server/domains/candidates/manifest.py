"""The candidates domain as the app wires it in."""

from __future__ import annotations

from server.domains.candidates.controllers import CandidatesController, ProposalsController
from server.manifest import Domain

DOMAIN = Domain(name="candidates", controllers=[CandidatesController, ProposalsController])
