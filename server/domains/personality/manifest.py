"""The 16-type personality test as the app wires it in."""

from __future__ import annotations

from server.domains.personality.controllers import PersonalityController
from server.manifest import Domain

DOMAIN = Domain(name="personality", controllers=[PersonalityController])
