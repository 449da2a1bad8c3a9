"""The one mechanism both file tables share: receive, check, sniff, hash, name, store, serve.

`attachments` (any entity) and `todo_attachments` (a todo's files) differ only in their rows
and in how they name their owner; everything about bytes lives here:

1. `receive` streams the multipart body into a staging file under the size cap (413).
2. The caller checks the owning entity (`owners.check_owner`), then `keep` refuses an empty
   file (422) and content outside the allow-list (415), and stores the rest under
   `companies/{company}/{sha256}`: identical content of one company is one object, which
   every row with those bytes points at (`file_path`).
3. `download` streams an object back; a row whose object is gone answers 404.

Rows are only ever soft-deleted, so an object stays as long as any row, deleted or not,
points at it: deleting one row never takes bytes from another.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import anyio
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.files import intake, owners
from server.domains.files.intake import FILE_FIELD, ReceivedForm, StagedFile, UploadBody
from server.domains.files.naming import display_name, object_key, stored_filename
from server.domains.files.sniffing import sniff
from server.errors import FieldError, InvalidInput, NotFound
from server.settings import Settings
from server.storage import MissingObject, Storage

S = TypeVar("S", bound=msgspec.Struct)
_AT_PATH = re.compile(r"- at `\$\.([^`]*)`")
_NAMED = re.compile(r"field `([^`]+)`")


@dataclass(frozen=True, slots=True)
class StoredFile:
    """What a row records about stored content."""

    filename: str
    stored_filename: str
    file_path: str
    file_size: int
    mime_type: str
    file_hash: str


@dataclass(frozen=True, slots=True)
class Download:
    filename: str
    mime_type: str
    size: int
    chunks: AsyncIterator[bytes]


def parse_form(form: ReceivedForm, struct_type: type[S]) -> S:
    """The form's text fields as a struct (numbers arrive as text) and a file part; else a 422."""
    if form.file is None:
        raise InvalidInput(errors=[FieldError(field=FILE_FIELD, message="a file is required")])
    try:
        return msgspec.convert(form.fields, struct_type, strict=False)
    except msgspec.ValidationError as exc:
        match = _AT_PATH.search(str(exc)) or _NAMED.search(str(exc))
        error = FieldError(field=match.group(1) if match else "", message=str(exc).split(" - at ", 1)[0])
        raise InvalidInput(errors=[error]) from None


class FileKeeper:
    def __init__(self, db: AsyncSession, principal: Principal, storage: Storage, settings: Settings) -> None:
        self.db = db
        self.principal = principal
        self.storage = storage
        self.max_bytes = settings.max_upload_bytes

    def receive(self, body: UploadBody) -> AbstractAsyncContextManager[ReceivedForm]:
        return intake.receive(body, self.storage.staging_dir, self.max_bytes)

    async def check(self, entity_type: str, entity_id: int, *, write: bool) -> None:
        await owners.check_owner(self.db, self.principal, entity_type, entity_id, write=write)

    async def keep(self, form: ReceivedForm, company_id: int) -> StoredFile:
        staged = _staged(form)
        mime = await anyio.to_thread.run_sync(sniff, staged.path, staged.head, staged.client_name)
        key = object_key(company_id, staged.sha256)
        if not await self.storage.exists(key):
            await self.storage.put(key, staged.path, staged.size)
        return StoredFile(
            filename=display_name(staged.client_name, mime),
            stored_filename=stored_filename(mime),
            file_path=key,
            file_size=staged.size,
            mime_type=mime,
            file_hash=staged.sha256,
        )

    async def keep_generated(
        self, content: bytes, filename: str, mime_type: str, company_id: int
    ) -> StoredFile:
        """Store bytes the server made itself (a rendered document) exactly as an upload is kept."""
        digest = hashlib.sha256(content).hexdigest()
        key = object_key(company_id, digest)
        if not await self.storage.exists(key):
            staging = self.storage.staging_dir
            await anyio.Path(staging).mkdir(parents=True, exist_ok=True)
            staged = anyio.Path(staging) / f"generated-{secrets.token_hex(8)}"
            await staged.write_bytes(content)
            await self.storage.put(key, Path(staged), len(content))
        return StoredFile(
            filename=display_name(filename, mime_type),
            stored_filename=stored_filename(mime_type),
            file_path=key,
            file_size=len(content),
            mime_type=mime_type,
            file_hash=digest,
        )

    async def download(self, file_path: str, filename: str, mime_type: str) -> Download:
        try:
            stored = await self.storage.open(file_path)
        except MissingObject:
            raise NotFound("The content of this file is not available.") from None
        return Download(filename=filename, mime_type=mime_type, size=stored.size, chunks=stored.chunks)


def _staged(form: ReceivedForm) -> StagedFile:
    if form.file is None:
        raise InvalidInput(errors=[FieldError(field=FILE_FIELD, message="a file is required")])
    if form.file.size == 0:
        raise InvalidInput(errors=[FieldError(field=FILE_FIELD, message="the file is empty")])
    return form.file
