"""Sample files and upload helpers of the file tests.

Every sample is built in memory and tiny: the sniffing only reads magic bytes, a zip's
directory or the text itself. `test_owner` is a fake attachable entity type whose ids are
company ids: its people may see it, candidates may not change it (403), anyone else gets 404.
"""

from __future__ import annotations

import io
import re
import zipfile
from email.message import EmailMessage
from email.utils import decode_rfc2231
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company
from server.auth.principal import Principal
from server.errors import Forbidden, NotFound
from tests.server.tenants import Callers, Client

BASE = "/api/attachments"
OWNER = "test_owner"

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 8
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 12
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
PE = MZ[:0x3C] + (0x80).to_bytes(4, "little") + b"\x00" * (0x80 - 0x40) + b"PE\x00\x00" + b"\x00" * 20
"""A Windows program's start: the DOS header pointing at its PE header."""
PDF_WITH_MZ_BYTES = PDF.replace(b"<<>> endobj", b"<< /Length 6 >> stream\nxMZ\x00MZ\nendstream endobj")
"""`MZ` is common in compressed streams: it alone does not make a PDF a program."""
TEXT = "面談メモ：次回は来週火曜日。\n".encode()
CSV = "氏名,メール\n高橋,takahashi@example.jp\n".encode()


def zip_of(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def office(main_part: str, *extra: str) -> bytes:
    """A minimal OOXML package: `[Content_Types].xml` and the main part (plus `extra` entries)."""
    return zip_of("[Content_Types].xml", main_part, *extra)


DOCX = office("word/document.xml")
XLSX = office("xl/workbook.xml")
PPTX = office("ppt/presentation.xml")
DOCM = office("word/document.xml", "word/vbaProject.bin")
PLAIN_ZIP = zip_of("payload/run.sh")


async def owner_check(db: AsyncSession, principal: Principal, entity_id: int, write: bool) -> None:
    """The fake `test_owner` entity: the company `entity_id` itself."""
    company = await db.get(Company, entity_id)
    if company is None or not (principal.is_system_admin or principal.company_id == entity_id):
        raise NotFound(f"Test owner {entity_id} was not found.")
    if write and principal.is_candidate_only:
        raise Forbidden("Candidates may not change a test owner.")


async def upload(
    client: Client,
    headers: dict[str, str],
    path: str = BASE,
    *,
    name: str = "職務経歴書.pdf",
    content: bytes = PDF,
    claimed_type: str = "application/pdf",
    **fields: Any,
) -> httpx.Response:
    """A multipart upload of one file with text fields."""
    data = {key: str(value) for key, value in fields.items()}
    files = {"file": (name, content, claimed_type)}
    response: httpx.Response = await client.post(path, headers=headers, data=data, files=files)
    return response


async def upload_as(
    callers: Callers, who: str, entity_id: int | None = None, path: str = BASE, **kwargs: Any
) -> httpx.Response:
    """Upload as one of the tenants' people onto `test_owner` `entity_id` (on `BASE`)."""
    fields: dict[str, Any] = {}
    if path == BASE:
        fields = {"entity_type": OWNER, "entity_id": entity_id}
    fields.update(kwargs.pop("fields", {}))
    return await upload(callers.client, await callers.headers(who), path, **fields, **kwargs)


def raw_form(parts: list[tuple[str, str | None, bytes]], boundary: str = "mwboundary") -> tuple[bytes, str]:
    """A multipart body written byte by byte: `(name, filename or None, content)` per part."""
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def disposition_params(header: str) -> dict[str, str]:
    """Content-Disposition parameters as a browser reads them (quoted strings unquoted)."""
    message = EmailMessage()
    message["Content-Disposition"] = header
    params = message["Content-Disposition"].params
    return {key: str(value) for key, value in params.items()}


def disposition_filename(header: str) -> str | None:
    """The name a client saves the download as: `filename*` (RFC 5987) first, as RFC 6266 says."""
    extended = re.search(r"filename\*=([^;]+)", header)
    if extended:
        charset, _language, encoded = decode_rfc2231(extended.group(1).strip())
        return unquote(encoded, encoding=charset or "ascii", errors="strict")
    return disposition_params(header).get("filename")


def tree(root: Path) -> set[Path]:
    """Every path under `root`."""
    return set(root.rglob("*"))


def stored_files(storage_dir: Path) -> list[Path]:
    """Every stored object (the staging directory excluded)."""
    return sorted(p for p in storage_dir.rglob("*") if p.is_file() and ".staging" not in p.parts)


def staging_leftovers(storage_dir: Path) -> list[Path]:
    staging = storage_dir / ".staging"
    return sorted(staging.iterdir()) if staging.exists() else []
