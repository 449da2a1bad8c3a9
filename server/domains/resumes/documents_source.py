"""From a resume row to the `ResumeDocument` its PDFs are drawn from, and the PDFs themselves.

`document_of(db, resume)` is what other domains call (a proposal's 職務経歴書): it reads the
person from `users`, the parts from the resume's columns (wrong shapes read as empty lists) and,
given a `storage`, the photo's bytes (without one, the photo box stays empty). It checks no
access: callers load the resume through `access.load` (or their own rule) first.

Rendering (fpdf2) is CPU work: it runs in a worker thread, never on the event loop.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attachment, Resume, User
from server.domains.files.naming import display_name
from server.domains.files.sniffing import PDF
from server.domains.resumes.documents import render
from server.domains.resumes.documents.model import DocumentKind, Person, ResumeDocument
from server.domains.resumes.schemas import read_profile, read_rows
from server.domains.resumes.sections import SECTIONS
from server.errors import NotFound
from server.storage import MissingObject, Storage

JAPAN = ZoneInfo("Asia/Tokyo")
PHOTO_ENTITY = "resume"
"""`attachments.entity_type` of a resume's files, its photo among them."""
PHOTO_MAX_BYTES = 10 * 1024 * 1024
"""A photo larger than this is not drawn (it could not be one a 30x40 mm box needs)."""
KIND_NAMES = {
    DocumentKind.RIREKISHO: "履歴書",
    DocumentKind.SHOKUMU: "職務経歴書",
    DocumentKind.RESUME: "Resume",
}


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    filename: str
    content: bytes
    media_type: str = PDF


def today_in_japan() -> date:
    return datetime.now(JAPAN).date()


async def photo_attachment(db: AsyncSession, resume: Resume) -> Attachment | None:
    """The live attachment the resume's profile names as its photo, if any."""
    photo_id = read_profile(resume.content).photo_attachment_id
    if photo_id is None:
        return None
    attachment: Attachment | None = await db.scalar(
        select(Attachment).where(
            Attachment.id == photo_id,
            Attachment.entity_type == PHOTO_ENTITY,
            Attachment.entity_id == resume.id,
            Attachment.is_deleted.is_(False),
        )
    )
    return attachment


async def _read_photo(storage: Storage, attachment: Attachment) -> bytes | None:
    if attachment.file_size > PHOTO_MAX_BYTES:
        return None
    with suppress(MissingObject):
        stored = await storage.open(attachment.file_path)
        chunks = [chunk async for chunk in stored.chunks]
        return b"".join(chunks)
    return None


async def document_of(
    db: AsyncSession, resume: Resume, *, storage: Storage | None = None, as_of: date | None = None
) -> ResumeDocument:
    """The document of a resume as it stands (photo only when `storage` is given)."""
    user = await db.get(User, resume.user_id)
    if user is None:
        raise NotFound(f"Resume {resume.id} was not found.")
    profile = read_profile(resume.content)
    parts: dict[str, Any] = {name: read_rows(getattr(resume, name), item) for name, item in SECTIONS.items()}
    photo = None
    if storage is not None:
        attachment = await photo_attachment(db, resume)
        if attachment is not None:
            photo = await _read_photo(storage, attachment)
    return ResumeDocument(
        person=Person(
            family_name=user.last_name,
            given_name=user.first_name,
            email=profile.email or user.email,
            phone=profile.phone or user.phone,
        ),
        title=resume.title,
        summary=resume.summary,
        profile=profile,
        as_of=as_of or today_in_japan(),
        photo=photo,
        **parts,
    )


def public_document(document: ResumeDocument) -> ResumeDocument:
    """What a public link prints: the resume as its owner wrote it, without references, and with
    only the contact details the owner put in the resume (never the account's own email/phone)."""
    person = msgspec.structs.replace(
        document.person, email=document.profile.email or "", phone=document.profile.phone
    )
    return msgspec.structs.replace(document, person=person, references=[])


def filename_of(kind: DocumentKind, person: Person) -> str:
    """`履歴書_山田太郎.pdf`, `職務経歴書_山田太郎.pdf`, `Resume_山田太郎.pdf`."""
    name = f"{person.family_name}{person.given_name}".replace(" ", "").replace("\u3000", "")
    return display_name(f"{KIND_NAMES[kind]}_{name}.pdf", PDF)


async def rendered(kind: DocumentKind, document: ResumeDocument) -> RenderedDocument:
    content = await anyio.to_thread.run_sync(render, kind, document)
    return RenderedDocument(filename=filename_of(kind, document.person), content=content)
