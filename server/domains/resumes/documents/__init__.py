"""Resume documents as PDF bytes: the 履歴書 (MHLW 2021 form), the 職務経歴書 and an English CV.

Pure functions of a `ResumeDocument`: no database, no clock, no system font, so a download, a
proposal's snapshot and a public link print the same thing for the same input.

The drawing code (fpdf2 and what it pulls in, about 55 MiB of a process) is imported at the
first render, not with the model: a process that only serves sockets and lists never loads it.
"""

from __future__ import annotations

from server.domains.resumes.documents.model import DocumentKind, ResumeDocument


def render(kind: DocumentKind, document: ResumeDocument) -> bytes:
    """The PDF of `document` drawn as `kind` (A4)."""
    from server.domains.resumes.documents.renderers import RENDERERS

    return RENDERERS[kind](document)


__all__ = ["DocumentKind", "ResumeDocument", "render"]
