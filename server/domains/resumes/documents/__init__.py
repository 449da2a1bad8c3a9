"""Resume documents as PDF bytes: the 履歴書 (MHLW 2021 form), the 職務経歴書 and an English CV.

Pure functions of a `ResumeDocument`: no database, no clock, no system font, so a download, a
proposal's snapshot and a public link print the same thing for the same input.
"""

from __future__ import annotations

from collections.abc import Callable

from server.domains.resumes.documents import english, rirekisho, shokumu
from server.domains.resumes.documents.model import DocumentKind, ResumeDocument

RENDERERS: dict[DocumentKind, Callable[[ResumeDocument], bytes]] = {
    DocumentKind.RIREKISHO: rirekisho.render,
    DocumentKind.SHOKUMU: shokumu.render,
    DocumentKind.RESUME: english.render,
}


def render(kind: DocumentKind, document: ResumeDocument) -> bytes:
    """The PDF of `document` drawn as `kind` (A4)."""
    return RENDERERS[kind](document)


__all__ = ["DocumentKind", "ResumeDocument", "render"]
