"""What a file is, judged from its bytes alone, against the allow-list.

The type the client claims (its part's Content-Type, its name's extension) is never trusted:
a PDF is a file that starts with `%PDF-<major>.<minor>`, ends with an `%%EOF` marker (within its
last KiB, where readers look for it) and carries no executable in its first 64 KiB (an ELF or
Mach-O magic, or a PE header: a PDF header in front of a program is a polyglot, not a
document); an Office document is a zip holding the parts of one (and no macros), text is
valid UTF-8 without NUL bytes. Executables and anything else
unknown are refused with 415. The file's name only chooses between `text/csv` and
`text/plain` for content that is text either way.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from server.errors import UnsupportedMediaType

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TEXT = "text/plain"
CSV = "text/csv"

EXTENSIONS = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    GIF: "gif",
    WEBP: "webp",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    TEXT: "txt",
    CSV: "csv",
}
ALLOWED = frozenset(EXTENSIONS)

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
]
_EXECUTABLE = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux, BSD
    b"\xfe\xed\xfa\xce",  # Mach-O 32 / 64, both byte orders, and fat binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # scripts
)
_EMBEDDED_EXECUTABLE = tuple(magic for magic in _EXECUTABLE if len(magic) == 4)
"""Signatures long enough to mean a program wherever they are (`MZ` alone is too common)."""
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")
PDF_SCAN_BYTES = 64 * 1024
PDF_TAIL_BYTES = 1024
_ZIP = b"PK\x03\x04"
_OFFICE_PARTS = [("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX)]
_TEXT_CHUNK = 256 * 1024


def refuse(detail: str) -> UnsupportedMediaType:
    allowed = ", ".join(sorted(ALLOWED))
    return UnsupportedMediaType(f"{detail} Accepted types: {allowed}.")


def sniff(path: Path, head: bytes, client_name: str) -> str:
    """The file's MIME type from its content (blocking: run it in a worker thread)."""
    if head.startswith(_EXECUTABLE):
        raise refuse("Executable files are not accepted.")
    if head.startswith(b"%PDF-"):
        return _pdf(path)
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(_ZIP):
        return _office(path)
    if _is_text(path):
        return CSV if client_name.lower().endswith(".csv") else TEXT
    raise refuse("This type of file is not accepted.")


def _pdf(path: Path) -> str:
    with path.open("rb") as handle:
        start = handle.read(PDF_SCAN_BYTES)
        handle.seek(max(0, path.stat().st_size - PDF_TAIL_BYTES))
        tail = handle.read()
    if not _PDF_HEADER.match(start):
        raise refuse("The file is not a well-formed PDF.")
    if _carries_executable(start[5:]):
        raise refuse("PDF files carrying an executable are not accepted.")
    if b"%%EOF" not in tail:
        raise refuse("The file is not a complete PDF: it has no end-of-file marker.")
    return PDF


def _carries_executable(data: bytes) -> bool:
    if any(magic in data for magic in _EMBEDDED_EXECUTABLE):
        return True
    # A PE file: `MZ`, and at offset 0x3C the offset of its `PE\0\0` header.
    at = data.find(b"MZ")
    while at != -1:
        pointer = data[at + 0x3C : at + 0x40]
        if len(pointer) == 4:
            header = at + int.from_bytes(pointer, "little")
            if data[header : header + 4] == b"PE\x00\x00":
                return True
        at = data.find(b"MZ", at + 1)
    return False


def _office(path: Path) -> str:
    """DOCX, XLSX or PPTX: a zip with `[Content_Types].xml` and the main part of one of them."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse("The file is a damaged or unsupported archive.") from None
    if "[Content_Types].xml" in names:
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise refuse("Office documents with macros are not accepted.")
        for part, mime in _OFFICE_PARTS:
            if part in names:
                return mime
    raise refuse("Archives other than Word, Excel and PowerPoint documents are not accepted.")


def _is_text(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_TEXT_CHUNK):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
