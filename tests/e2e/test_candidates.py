"""Candidates and resumes in a real browser: an agency recruiter finds a candidate by a skill,
opens them, edits their resume (a Japanese field), downloads the 履歴書 and proposes them to an
employer's published position; the employer opens the interview, sees the candidate by name
(never their email) and downloads the 職務経歴書 sent with the proposal. A candidate keeps their
own resumes (a new one, public and private again, deleted and restored) at phone width."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, Resume
from models.enums import CompanyType, InterviewStatus, PositionStatus
from server.auth.principal import RoleName
from server.context import AppContext
from tests.e2e.conftest import Pages, Shot, sign_in
from tests.factories import make_company, make_position, make_resume, make_user
from tests.realtime.harness import LiveServer

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def png(width: int, height: int) -> bytes:
    """A small blue-grey PNG (a stand-in for an ID photo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((90, 110, 140)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def downloaded(page: Any, selector: str, tmp_path: Path) -> tuple[str, bytes]:
    """Click `selector` and return the name and bytes of the download it starts."""
    async with page.expect_download() as info:
        await page.click(selector)
    download = await info.value
    target = tmp_path / download.suggested_filename
    await download.save_as(str(target))
    return download.suggested_filename, target.read_bytes()


async def test_a_recruiter_finds_edits_and_proposes_a_candidate_whom_the_employer_then_sees(
    live: LiveServer, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot, tmp_path: Path
) -> None:
    agency = await make_company(session, CompanyType.RECRUITING_AGENCY, name="ミライ人材株式会社")
    recruiter = await make_user(
        session, ctx.passwords, agency, RoleName.RECRUITER, first_name="Yui", last_name="Ishikawa"
    )
    candidate = await make_user(
        session,
        ctx.passwords,
        agency,
        RoleName.CANDIDATE,
        first_name="花子",
        last_name="山田",
        email="hanako.yamada@example.jp",
    )
    other = await make_user(
        session, ctx.passwords, agency, RoleName.CANDIDATE, first_name="Jiro", last_name="Kato"
    )
    resume = await make_resume(
        session,
        candidate,
        title="職務経歴書（組込み）",
        status="active",
        visibility="company",
        skills=[{"name": "Rust", "years": 4}, {"name": "Python"}],
    )
    await make_resume(session, other, status="active", visibility="company", skills=[{"name": "Go"}])
    employer = await make_company(session, CompanyType.EMPLOYER, name="Sakura Robotics 株式会社")
    boss = await make_user(
        session, ctx.passwords, employer, RoleName.COMPANY_ADMIN, first_name="Ken", last_name="Sato"
    )
    position = await make_position(
        session, employer, boss, title="組込みエンジニア", status=PositionStatus.PUBLISHED
    )
    await session.commit()

    # The directory: a skill finds her (and not the other candidate).
    page = await pages.open(live.url, locale="ja-JP")
    await sign_in(page, recruiter)
    await page.click("#topbar nav a[data-nav=candidates]")
    await page.wait_for_selector("main[data-route=candidates] #candidate-results li")
    await page.fill("#candidate-q", "rust")
    await page.press("#candidate-q", "Enter")
    await page.wait_for_selector("main .card > [role=status]:text-is('1名')")
    names = await page.eval_on_selector_all(
        "#candidate-results li .what", "(as) => as.map((a) => a.textContent)"
    )
    assert names == ["山田 花子"]
    assert "hanako.yamada@example.jp" in await page.inner_text("#candidate-results")
    assert await page.evaluate("() => location.search") == "?q=rust"
    await shot(page, "candidates-directory-ja")

    # Her page: details, her resume; then the resume editor.
    await page.click("#candidate-results a:text-is('山田 花子')")
    await page.wait_for_selector("main[data-route=candidate] h1:text-is('山田 花子')")
    assert await page.get_attribute("#topbar nav a[data-nav=candidates]", "aria-current") == "page"
    await page.click(f"main [data-resume='{resume.id}'] a")
    await page.wait_for_selector("main[data-route=resume] #resume-form")
    await page.fill("#profile-name_kana", "やまだ はなこ")
    await page.fill(
        "#profile-motivation", "ロボット制御の経験を活かし、貴社の製品開発に貢献したいと考えております。"
    )
    await page.check("input[name=date_style][value=wareki]")
    # A new experience row with two achievements, added with the keyboard.
    await page.focus("[data-section=experience] .add-row")
    await page.keyboard.press("Enter")
    row = "[data-section=experience] .section-row:last-child"
    await page.wait_for_selector(f"{row} input[data-field=company]:focus")
    await page.keyboard.type("株式会社さくら精機")
    await page.fill(f"{row} input[data-field=start]", "2012-04")
    await page.fill(f"{row} input[data-field=end]", "2016-03")
    await page.fill(f"{row} textarea[data-field=achievements]", "生産ラインの自動化\n不良率を30%削減")
    await page.click("#resume-save")
    await page.wait_for_selector("#resume-saved:not(:empty)")
    async with ctx.sessionmaker() as db:
        stored = await db.get(Resume, resume.id)
        assert stored is not None
        assert stored.content["name_kana"] == "やまだ はなこ"
        assert stored.content["date_style"] == "wareki"
        assert stored.content["motivation"].startswith("ロボット制御")
        assert stored.experience[-1]["company"] == "株式会社さくら精機"
        assert stored.experience[-1]["achievements"] == ["生産ラインの自動化", "不良率を30%削減"]
    await page.reload()
    await page.wait_for_selector("#profile-name_kana")
    assert await page.input_value("#profile-name_kana") == "やまだ はなこ"
    await shot(page, "resume-editor-ja")

    # The 履歴書 as a PDF, under its Japanese name.
    name, pdf = await downloaded(page, "main button[data-document=rirekisho]", tmp_path)
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    assert name.endswith(".pdf") and "履歴書" in name, name

    # Proposed to the employer's published position with her active resume.
    await page.click("main .crumbs a")
    await page.wait_for_selector("main[data-route=candidate] #propose")
    await page.wait_for_selector(f"#propose-position option[value='{position.id}']", state="attached")
    await page.select_option("#propose-position", str(position.id))
    await page.select_option("#propose-resume", str(resume.id))
    await page.fill("#propose-message", "制御系の経験が豊富で、強く推薦します。")
    await page.click("#propose button[type=submit]")
    await page.wait_for_selector("#propose [role=status] a")
    async with ctx.sessionmaker() as db:
        interview = await db.scalar(select(Interview).where(Interview.position_id == position.id))
        assert interview is not None
        assert (interview.status, interview.candidate_id, interview.company_id) == (
            InterviewStatus.PENDING_SCHEDULE,
            candidate.id,
            employer.id,
        )
    # A second time is refused, in words.
    await page.click("#propose button[type=submit]")
    await page.wait_for_selector("#propose .form-error:text('すでにこのポジションに推薦されています')")
    assert await page.query_selector(f"main[data-route=candidate] a[href='/interviews/{interview.id}']")

    # The employer: the interview names the candidate (a link to her page), shows no email, and
    # hands out the 職務経歴書 that was sent.
    hers = await pages.open(live.url, locale="en-US")
    await sign_in(hers, boss)
    await hers.goto(f"/interviews/{interview.id}")
    await hers.wait_for_selector("main[data-route=interview] #proposal-document")
    person = f".facts dd[data-person='{candidate.id}']"
    assert (await hers.inner_text(f"{person} a.person")) == "花子 山田"
    text = await hers.inner_text("main")
    assert "hanako.yamada@example.jp" not in text and "User #" not in text
    assert "制御系の経験が豊富で" in text  # the recommendation
    await shot(hers, "proposal-employer-en")
    name, pdf = await downloaded(hers, "#proposal-document", tmp_path)
    assert pdf.startswith(b"%PDF-") and name.endswith(".pdf"), name

    # Her candidate page shows what the employer may see: no contact details, read-only resume.
    await hers.click(f"{person} a.person")
    await hers.wait_for_selector("main[data-route=candidate] h1:text-is('花子 山田')")
    assert "hanako.yamada@example.jp" not in await hers.inner_text("main")
    assert await hers.query_selector("#propose") is None
    await hers.click(f"main [data-resume='{resume.id}'] a")
    await hers.wait_for_selector("main[data-route=resume] [role=note]")
    assert await hers.is_disabled("#resume-title")
    assert await hers.query_selector("#resume-save") is None


async def test_a_candidate_keeps_their_own_resumes_on_a_phone(
    live: LiveServer, session: AsyncSession, ctx: AppContext, pages: Pages, shot: Shot, tmp_path: Path
) -> None:
    agency = await make_company(session, CompanyType.RECRUITING_AGENCY)
    candidate = await make_user(
        session, ctx.passwords, agency, RoleName.CANDIDATE, first_name="Ren", last_name="Kato"
    )
    await session.commit()
    page = await pages.open(live.url, locale="en-US", **PHONE)
    await sign_in(page, candidate)
    assert await page.query_selector("#topbar nav a[data-nav=candidates]") is None
    await page.click("#topbar nav a[data-nav=resumes]")
    await page.wait_for_selector("main[data-route=resumes] .empty")
    await page.click("#resume-new-open")
    await page.wait_for_selector("#resume-new-title:focus")
    await page.keyboard.type("Resume for robotics")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("main[data-route=resume] h1:text-is('Resume for robotics')")
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    # A skill row, a photo (a PNG), saved.
    await page.click("[data-section=skills] .add-row")
    await page.keyboard.type("ROS")
    photo = tmp_path / "photo.png"
    photo.write_bytes(png(30, 40))
    await page.set_input_files("#resume-photo", str(photo))
    await page.wait_for_selector(".photo-frame img.photo:not([hidden])")
    await page.click("#resume-save")
    await page.wait_for_selector("#resume-saved:not(:empty)")
    await shot(page, "resume-editor-phone-en")

    # Public with a link to copy, private again.
    await page.click("#resume-make-public")
    await page.wait_for_selector("#resume-link")
    link = await page.input_value("#resume-link")
    assert "/api/public/resumes/" in link
    slug_path = link.split("://", 1)[1].split("/", 1)[1]
    shown = await page.evaluate("(p) => fetch('/' + p).then((r) => r.status)", slug_path)
    assert shown == 200
    await page.click("#resume-make-private")
    await page.wait_for_selector("#resume-make-public")
    assert await page.evaluate("(p) => fetch('/' + p).then((r) => r.status)", slug_path) == 404

    # Deleted, then restored from the same page.
    resume_id = int((await page.evaluate("() => location.pathname")).rsplit("/", 1)[1])
    await page.click("#resume-delete")
    await page.wait_for_selector("#resume-delete-confirm:focus")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#resume-deleted #resume-restore:focus")
    async with ctx.sessionmaker() as db:
        assert (await db.get(Resume, resume_id)).is_deleted  # type: ignore[union-attr]
    await page.keyboard.press("Enter")
    await page.wait_for_selector("main[data-route=resume] h1:text-is('Resume for robotics')")
    async with ctx.sessionmaker() as db:
        assert not (await db.get(Resume, resume_id)).is_deleted  # type: ignore[union-attr]
