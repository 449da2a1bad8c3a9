"""Names of files: what the user sees, what the storage uses, and how a download is labelled.

- The display name is the client's name reduced to its last path component, without control
  or invisible formatting characters (`../../etc/passwd` -> `passwd`); it is only ever shown
  and sent back, never used as a path.
- The object key is chosen by the server from the company and the content's sha256
  (`companies/12/ab/ab…`): identical content of one company is stored once, and two companies
  never share an object. No part of a client's name reaches the storage.
- `stored_filename` is a random token per row (the column is unique).
- Content-Disposition follows RFC 6266 / RFC 5987: an ASCII `filename` for old clients and
  the exact name as `filename*=UTF-8''…`, so Japanese names survive the download.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from urllib.parse import quote

from server.domains.files.sniffing import EXTENSIONS

NAME_MAX_CHARS = 255
_KEY_HASH = re.compile(r"companies/\d+/[0-9a-f]{2}/(?P<sha>[0-9a-f]{64})")
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._()\- ]+")


def display_name(client_name: str | None, mime: str) -> str:
    name = unicodedata.normalize("NFC", client_name or "").replace("\\", "/")
    name = name.rsplit("/", 1)[-1]
    # Cc (controls, newlines), Cf (bidi overrides, zero-width), Cs, Co, Cn: none belong in a name.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = name.strip().lstrip(".").strip()
    if not name:
        name = f"file.{EXTENSIONS[mime]}"
    if len(name) > NAME_MAX_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) <= 16:
            name = stem[: NAME_MAX_CHARS - len(ext) - 1] + "." + ext
        else:
            name = name[:NAME_MAX_CHARS]
    return name


def ascii_fallback(name: str) -> str:
    """An ASCII stand-in for clients that ignore `filename*`: `履歴書.pdf` -> `download.pdf`."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    stem, ext = _ascii(stem), _ascii(ext)
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = "download"
    return f"{stem}.{ext}" if ext else stem


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE_ASCII.sub("_", decomposed).strip(" ._")


def content_disposition(name: str) -> str:
    return f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def object_key(company_id: int, sha256: str) -> str:
    return f"companies/{company_id}/{sha256[:2]}/{sha256}"


def hash_of_key(key: str) -> str | None:
    """The sha256 an object key was made from; None for keys made otherwise (demo rows)."""
    match = _KEY_HASH.fullmatch(key)
    return match.group("sha") if match else None


def stored_filename(mime: str) -> str:
    return f"{secrets.token_hex(16)}.{EXTENSIONS[mime]}"
