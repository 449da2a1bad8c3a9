"""The resumes domain as the app wires it in."""

from __future__ import annotations

from server.domains.resumes.access import check_resume_attachment
from server.domains.resumes.controllers import ResumesController
from server.domains.resumes.documents_source import PHOTO_ENTITY
from server.domains.resumes.public import PublicResumesController
from server.manifest import Domain

DOMAIN = Domain(
    name="resumes",
    controllers=[ResumesController, PublicResumesController],
    file_owners={PHOTO_ENTITY: check_resume_attachment},
)
