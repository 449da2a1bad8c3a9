"""Reading an upload: a multipart/form-data body streamed into a staging file, never into memory.

The file part is written chunk by chunk to a randomly named file in the storage's staging
directory while its sha256 and size are computed; the moment it passes the size cap the
reading stops (413) and the staging file is removed. Text fields are small and kept in
memory. Whatever happens, leaving `receive` removes the staging file unless `put` has
already moved it into storage.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from multipart import (  # type: ignore[import-untyped]
    MultipartSegment,
    ParserError,
    ParserLimitReached,
    PushMultipartParser,
    parse_options_header,
)

from server.errors import BadRequest, FieldError, InvalidInput, PayloadTooLarge, UnsupportedMediaType

FILE_FIELD = "file"
FIELD_MAX_BYTES = 8 * 1024
"""A text field of the form (entity_type, entity_id, description) is at most this long."""
FORM_OVERHEAD_BYTES = 64 * 1024
"""Room for part headers and text fields around the file in the whole body."""
HEAD_BYTES = 512
"""The first bytes of the file, kept for sniffing its type."""


@dataclass(frozen=True, slots=True)
class UploadBody:
    """A multipart request body that has not been read yet (services take this, not a Request)."""

    content_type: str
    content_length: int | None
    stream: AsyncIterator[bytes]


@dataclass(slots=True)
class StagedFile:
    path: Path
    client_name: str
    size: int = 0
    head: bytes = b""
    digest: Any = field(default_factory=hashlib.sha256)

    @property
    def sha256(self) -> str:
        return str(self.digest.hexdigest())


@dataclass(slots=True)
class ReceivedForm:
    fields: dict[str, str] = field(default_factory=dict)
    file: StagedFile | None = None


def _too_large(max_file_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"A file may have at most {max_file_bytes} bytes.")


def _boundary(content_type: str) -> str:
    kind, options = parse_options_header(content_type)
    boundary = options.get("boundary")
    if kind != "multipart/form-data" or not boundary:
        raise UnsupportedMediaType("Send the file as multipart/form-data.")
    return str(boundary)


@asynccontextmanager
async def receive(body: UploadBody, staging_dir: Path, max_file_bytes: int) -> AsyncIterator[ReceivedForm]:
    """Read the whole form; the staged file exists inside the `async with` block only."""
    boundary = _boundary(body.content_type)
    max_body = max_file_bytes + FORM_OVERHEAD_BYTES
    if body.content_length is not None and body.content_length > max_body:
        raise _too_large(max_file_bytes)
    form = ReceivedForm()
    try:
        await _read(body, boundary, form, staging_dir, max_file_bytes, max_body)
        yield form
    finally:
        if form.file is not None:
            with suppress(OSError):
                await anyio.Path(form.file.path).unlink(missing_ok=True)


async def _read(
    body: UploadBody, boundary: str, form: ReceivedForm, staging_dir: Path, max_file: int, max_body: int
) -> None:
    total = 0
    text: bytearray | None = None
    segment: MultipartSegment | None = None
    sink: anyio.AsyncFile[bytes] | None = None
    try:
        with PushMultipartParser(boundary, max_segment_count=16, max_header_count=8) as parser:
            async for chunk in _with_end(body.stream):
                total += len(chunk)
                if total > max_body:
                    raise _too_large(max_file)
                for event in parser.parse(chunk):
                    if isinstance(event, MultipartSegment):
                        segment = event
                        if event.filename is not None:
                            sink = await _start_file(event, form, staging_dir)
                        else:
                            text = bytearray()
                    elif event:
                        if sink is not None and form.file is not None:
                            await _write(sink, form.file, event, max_file)
                        elif text is not None:
                            text += event
                            if len(text) > FIELD_MAX_BYTES:
                                raise InvalidInput(errors=[_field_error(segment, "is too long")])
                    else:
                        if sink is not None:
                            await sink.aclose()
                            sink = None
                        elif text is not None:
                            _keep_text(form, segment, bytes(text))
                            text = None
                if parser.closed:
                    break
            if not parser.closed:
                raise _malformed("it ended early")
    except ParserLimitReached:
        raise _malformed("it has too many parts or headers") from None
    except ParserError as exc:
        raise _malformed(str(exc)) from None
    finally:
        if sink is not None:
            await sink.aclose()


async def _with_end(stream: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The body's chunks, then the empty chunk that tells the parser the input has ended."""
    async for chunk in stream:
        if chunk:
            yield chunk
    yield b""


def _malformed(reason: str) -> BadRequest:
    return BadRequest(f"The multipart body is not valid: {reason}.", code="malformed_multipart")


def _field_error(segment: MultipartSegment | None, message: str) -> FieldError:
    return FieldError(field=(segment.name if segment is not None else "") or "", message=message)


async def _start_file(
    segment: MultipartSegment, form: ReceivedForm, staging_dir: Path
) -> anyio.AsyncFile[bytes]:
    if segment.name != FILE_FIELD:
        raise InvalidInput(errors=[_field_error(segment, f"only `{FILE_FIELD}` may carry a file")])
    if form.file is not None:
        raise InvalidInput(errors=[_field_error(segment, "send one file per upload")])
    await anyio.Path(staging_dir).mkdir(parents=True, exist_ok=True)
    form.file = StagedFile(path=staging_dir / f"{secrets.token_hex(16)}.part", client_name=segment.filename)
    return await anyio.open_file(form.file.path, "xb")


async def _write(sink: anyio.AsyncFile[bytes], staged: StagedFile, chunk: bytes, max_file: int) -> None:
    staged.size += len(chunk)
    if staged.size > max_file:
        raise _too_large(max_file)
    if len(staged.head) < HEAD_BYTES:
        staged.head += chunk[: HEAD_BYTES - len(staged.head)]
    staged.digest.update(chunk)
    await sink.write(chunk)


def _keep_text(form: ReceivedForm, segment: MultipartSegment | None, raw: bytes) -> None:
    name = segment.name if segment is not None else None
    if not name:
        raise _malformed("a part has no name")
    if name == FILE_FIELD:
        raise InvalidInput(errors=[FieldError(field=FILE_FIELD, message="must be a file, not text")])
    if name in form.fields:
        raise InvalidInput(errors=[FieldError(field=name, message="is given more than once")])
    try:
        form.fields[name] = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(errors=[FieldError(field=name, message="is not valid UTF-8")]) from None
