"""The mechanism without HTTP: sniffing, names, Content-Disposition and the streaming intake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from server.domains.files import sniffing
from server.domains.files.intake import FORM_OVERHEAD_BYTES, UploadBody, receive
from server.domains.files.naming import (
    ascii_fallback,
    content_disposition,
    display_name,
    hash_of_key,
    object_key,
)
from server.errors import BadRequest, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from server.storage import MissingObject
from server.storage.local import LocalStorage
from tests.server.files import helpers
from tests.server.files.helpers import disposition_filename, raw_form

ACCEPTED = [
    (helpers.PDF, "x.pdf", sniffing.PDF),
    (helpers.PNG, "x.png", sniffing.PNG),
    (helpers.JPEG, "x.jpg", sniffing.JPEG),
    (helpers.GIF, "x.gif", sniffing.GIF),
    (helpers.WEBP, "x.webp", sniffing.WEBP),
    (helpers.DOCX, "x.docx", sniffing.DOCX),
    (helpers.XLSX, "x.xlsx", sniffing.XLSX),
    (helpers.PPTX, "x.pptx", sniffing.PPTX),
    (helpers.TEXT, "memo.txt", sniffing.TEXT),
    (helpers.CSV, "list.CSV", sniffing.CSV),
    (helpers.PDF, "claims-to-be.png", sniffing.PDF),
    (helpers.TEXT, "claims-to-be.pdf", sniffing.TEXT),
    (helpers.PDF_WITH_MZ_BYTES, "streams.pdf", sniffing.PDF),
    (helpers.PDF + b"\x00" * 500, "padded.pdf", sniffing.PDF),
]
REFUSED = [
    (helpers.ELF, "report.pdf"),
    (helpers.MZ, "report.pdf"),
    (b"#!/bin/sh\nrm -rf /\n", "notes.txt"),
    (b"\xcf\xfa\xed\xfe" + b"\x07" * 28, "app.pdf"),
    (b"%PDF-1.7\n" + helpers.ELF + b"\n%%EOF\n", "elf-inside.pdf"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + helpers.PE + b"\n%%EOF\n", "pe-inside.pdf"),
    (b"%PDF-1.7\n" + b"\xca\xfe\xba\xbe" + b"\x00" * 28 + b"\n%%EOF\n", "macho-inside.pdf"),
    (b"%PDF-1.7\n" + helpers.ELF, "elf-body.pdf"),
    (helpers.PDF.replace(b"%%EOF", b"%%END"), "no-eof.pdf"),
    (helpers.PDF + b"\x00" * 2000, "eof-buried.pdf"),
    (b"%PDF-x" + helpers.PDF[6:], "no-version.pdf"),
    (helpers.DOCM, "macro.docx"),
    (helpers.PLAIN_ZIP, "archive.docx"),
    (b"PK\x03\x04 not really a zip", "broken.xlsx"),
    (b"plain text with a \x00 NUL", "nul.txt"),
    ("履歴書".encode("shift_jis"), "sjis.txt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24, "legacy.doc"),
]


@pytest.mark.parametrize(("content", "name", "mime"), ACCEPTED)
def test_sniffing_accepts_the_allow_list_by_content(
    tmp_path: Path, content: bytes, name: str, mime: str
) -> None:
    path = tmp_path / "staged"
    path.write_bytes(content)
    assert sniffing.sniff(path, content[:512], name) == mime


@pytest.mark.parametrize(("content", "name"), REFUSED)
def test_sniffing_refuses_everything_else_whatever_its_name(
    tmp_path: Path, content: bytes, name: str
) -> None:
    path = tmp_path / "staged"
    path.write_bytes(content)
    with pytest.raises(UnsupportedMediaType):
        sniffing.sniff(path, content[:512], name)


@pytest.mark.parametrize(
    ("client_name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("C:\\Users\\高橋\\履歴書.pdf", "履歴書.pdf"),
        ("/absolute/path/cv.pdf", "cv.pdf"),
        ("..", "file.pdf"),
        ("", "file.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("evil\u202egpj.pdf", "evilgpj.pdf"),
        ("line\r\nbreak.pdf", "linebreak.pdf"),
        ("ｶﾀｶﾅ.pdf", "ｶﾀｶﾅ.pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_display_names_keep_the_last_component_and_no_control_characters(
    client_name: str, shown: str
) -> None:
    assert display_name(client_name, sniffing.PDF) == shown


def test_content_disposition_round_trips_a_japanese_name_with_an_ascii_fallback() -> None:
    assert content_disposition("履歴書.pdf") == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E5%B1%A5%E6%AD%B4%E6%9B%B8.pdf"
    )
    name = "履歴書_高橋陽菜 (2024年版).pdf"
    header = content_disposition(name)
    assert header.isascii()
    assert disposition_filename(header) == name
    assert ascii_fallback(name) == "(2024).pdf"
    assert ascii_fallback('résumé "final";.pdf') == "resume _final.pdf"
    assert ascii_fallback("readme") == "readme"


def test_object_keys_come_from_company_and_content_hash_only() -> None:
    sha = "ab" + "0" * 62
    assert object_key(7, sha) == f"companies/7/ab/{sha}"
    assert hash_of_key(object_key(7, sha)) == sha
    assert hash_of_key("demo/todos/x.docx") is None


async def _stream(*chunks: bytes, pulled: list[int] | None = None) -> AsyncIterator[bytes]:
    for chunk in chunks:
        if pulled is not None:
            pulled.append(len(chunk))
        yield chunk


def _body(content: bytes, length: int | None = None) -> UploadBody:
    raw, content_type = raw_form([("file", "a.pdf", content)])
    return UploadBody(content_type=content_type, content_length=length, stream=_stream(raw))


async def test_intake_stages_the_file_and_removes_it_on_leaving(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    async with receive(_body(helpers.PDF), staging, 1024) as form:
        assert form.file is not None
        assert form.file.path.parent == staging
        assert form.file.path.read_bytes() == helpers.PDF
        assert form.file.size == len(helpers.PDF)
        assert form.file.client_name == "a.pdf"
    assert list(staging.iterdir()) == []


async def test_intake_stops_reading_at_the_cap_and_leaves_no_staging_file(tmp_path: Path) -> None:
    """The body is an endless stream of 256-byte chunks: reading stops just past the cap."""
    head, content_type = raw_form([("file", "big.pdf", b"")])
    head = head[: head.index(b"\r\n--mwboundary--")]
    pulled: list[int] = []

    async def endless() -> AsyncIterator[bytes]:
        pulled.append(len(head))
        yield head
        while True:
            pulled.append(256)
            yield b"%" * 256

    staging = tmp_path / "staging"
    with pytest.raises(PayloadTooLarge):
        async with receive(UploadBody(content_type, None, endless()), staging, 1024):
            pytest.fail("an oversized body must not be handed over")
    assert sum(pulled) <= len(head) + 1024 + 256
    assert list(staging.iterdir()) == []


async def test_intake_refuses_an_announced_oversized_body_before_reading(tmp_path: Path) -> None:
    pulled: list[int] = []
    raw, content_type = raw_form([("file", "a.pdf", helpers.PDF)])
    body = UploadBody(content_type, 1024 + FORM_OVERHEAD_BYTES + 1, _stream(raw, pulled=pulled))
    with pytest.raises(PayloadTooLarge):
        async with receive(body, tmp_path, 1024):
            pass
    assert pulled == []


@pytest.mark.parametrize(
    ("parts", "error"),
    [
        ([("file", "a.pdf", b"x"), ("file", "b.pdf", b"y")], InvalidInput),
        ([("attachment", "a.pdf", b"x")], InvalidInput),
        ([("file", None, b"text instead of a file")], InvalidInput),
        ([("description", None, b"\xff\xfe"), ("file", "a.pdf", b"x")], InvalidInput),
        ([("description", None, b"x" * 9000), ("file", "a.pdf", b"x")], InvalidInput),
        ([("entity_id", None, b"1"), ("entity_id", None, b"2"), ("file", "a.pdf", b"x")], InvalidInput),
    ],
)
async def test_intake_refuses_malformed_forms(
    tmp_path: Path, parts: list[tuple[str, str | None, bytes]], error: type[Exception]
) -> None:
    raw, content_type = raw_form(parts)
    with pytest.raises(error):
        async with receive(UploadBody(content_type, None, _stream(raw)), tmp_path / "staging", 1024):
            pass
    assert not (tmp_path / "staging").exists() or list((tmp_path / "staging").iterdir()) == []


async def test_intake_refuses_a_truncated_body_and_other_content_types(tmp_path: Path) -> None:
    raw, content_type = raw_form([("file", "a.pdf", helpers.PDF)])
    with pytest.raises(BadRequest):
        async with receive(UploadBody(content_type, None, _stream(raw[:-20])), tmp_path, 1024):
            pass
    with pytest.raises(UnsupportedMediaType):
        async with receive(UploadBody("application/pdf", None, _stream(helpers.PDF)), tmp_path, 1024):
            pass
    assert [p for p in helpers.tree(tmp_path) if p.is_file()] == []


async def test_local_storage_keeps_every_key_inside_its_root(tmp_path: Path) -> None:
    root = tmp_path / "files"
    storage = LocalStorage(root)
    staged = storage.staging_dir / "upload.part"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(helpers.PDF)
    await storage.put("companies/1/ab/abc", staged, len(helpers.PDF))
    assert not staged.exists() and (root / "companies/1/ab/abc").read_bytes() == helpers.PDF
    stored = await storage.open("companies/1/ab/abc")
    assert stored.size == len(helpers.PDF)
    assert b"".join([chunk async for chunk in stored.chunks]) == helpers.PDF
    (tmp_path / "secret").write_bytes(b"outside")
    for hostile in ("../secret", "companies/../../secret", ".staging/upload.part", "/etc/passwd", "a//b", ""):
        with pytest.raises(MissingObject):
            await storage.open(hostile)
        assert not await storage.exists(hostile)
        await storage.delete(hostile)
    assert (tmp_path / "secret").exists()
    with pytest.raises(MissingObject):
        await storage.open("companies/1")  # a directory is no object
    await storage.delete("companies/1/ab/abc")
    assert not await storage.exists("companies/1/ab/abc")
