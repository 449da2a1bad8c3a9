"""Which drawing makes which document (each loads fpdf2)."""

from __future__ import annotations

from collections.abc import Callable

from server.domains.resumes.documents import english, rirekisho, shokumu
from server.domains.resumes.documents.model import DocumentKind, ResumeDocument

RENDERERS: dict[DocumentKind, Callable[[ResumeDocument], bytes]] = {
    DocumentKind.RIREKISHO: rirekisho.render,
    DocumentKind.SHOKUMU: shokumu.render,
    DocumentKind.RESUME: english.render,
}
