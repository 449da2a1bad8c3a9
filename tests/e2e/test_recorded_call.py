"""A video call held in two browsers is recorded by the server's recorder peer: the host asks,
the guest consents, both see the indicator and the recorder's seat stays off the grid; after
the stop the host's panel offers the stored file, which downloads as a WebM with the room's
video and audio, as long as the time recorded."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aioice.ice
import av
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.e2e.conftest import Pages, Shot, sign_in
from tests.e2e.test_exams import call
from tests.e2e.test_two_people import frames_advance, tile_ids
from tests.factories import make_company, make_user
from tests.realtime.harness import LiveServer
from tests.signaling.peer import loopback_only

pytestmark = pytest.mark.e2e

RECORD_SECONDS = 4.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The served app runs its jobs, the recorder among them (the embedded default does)."""
    return dataclasses.replace(settings, jobs_in_server=True)


@pytest.fixture(autouse=True)
def recorder_on_loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The recorder (in this process) offers loopback candidates, which the browser may use."""
    monkeypatch.setattr(aioice.ice, "get_host_addresses", loopback_only)
    yield


async def test_a_call_in_two_browsers_is_recorded_and_the_host_downloads_the_file(
    live: LiveServer, pages: Pages, shot: Shot, session: AsyncSession, ctx: AppContext, tmp_path: Path
) -> None:
    company = await make_company(session, CompanyType.EMPLOYER, name="Kaede 株式会社")
    host = await make_user(
        session, ctx.passwords, company, RoleName.COMPANY_ADMIN, first_name="Hana", last_name="Mori"
    )
    guest = await make_user(
        session, ctx.passwords, company, RoleName.EMPLOYER, first_name="Ken", last_name="Ito"
    )
    await session.commit()
    now = datetime.now(UTC)
    created = await call(
        live.url,
        host,
        "POST",
        "/api/video-calls",
        json={
            "title": "録画する面談",
            "scheduled_start": (now - timedelta(minutes=5)).isoformat(),
            "scheduled_end": (now + timedelta(hours=1)).isoformat(),
            "recording_enabled": True,
            "participants": [{"user_id": guest.id, "role": "participant"}],
        },
    )
    assert created.status_code == 201, created.text
    code, call_id = created.json()["room_code"], created.json()["id"]

    host_page = await pages.open(live.url, locale="ja-JP")
    guest_page = await pages.open(live.url, locale="en-US")
    await asyncio.gather(sign_in(host_page, host), sign_in(guest_page, guest))
    for page in (host_page, guest_page):
        await page.goto(f"/r/{code}")
        await page.wait_for_selector(".check[data-check=camera][data-ok=true]")
        await page.click("#join-room")
        await page.wait_for_selector(".room[data-state=joined]")
    assert await frames_advance(host_page) >= 5

    await host_page.click("#recording-request")
    await guest_page.wait_for_selector("dialog.consent[open]")
    await guest_page.click("#consent-allow")
    for page in (host_page, guest_page):
        await page.wait_for_selector("#rec-indicator", state="visible")
    started = time.monotonic()
    await asyncio.sleep(RECORD_SECONDS)
    assert [len(await tile_ids(page)) for page in (host_page, guest_page)] == [1, 1], (
        "the recorder has no tile"
    )
    await host_page.click("#recording-stop")
    recorded = time.monotonic() - started

    button = host_page.locator(".saved-recordings button.file")
    await button.wait_for()
    await shot(host_page, "room-recording-saved-ja")
    async with host_page.expect_download() as waiting:
        await button.click()
    downloaded = await waiting.value
    assert downloaded.suggested_filename.startswith(f"recording-video_call-{call_id}-")
    path = tmp_path / "call.webm"
    await downloaded.save_as(path)

    with av.open(str(path)) as container:
        kinds = {stream.type for stream in container.streams}
        duration = float(container.duration or 0) / av.time_base
        *_, last = container.decode(video=0)
    red, green, _ = last.to_ndarray(format="rgb24").reshape(-1, 3).mean(axis=0)
    assert green > 60 and green > 2 * red, "the browsers' (green) camera pictures are in the grid"
    assert kinds == {"audio", "video"}
    # Seen from the browsers, the recording starts a moment before the indicator shows (when the
    # recorder takes its seat) and stops after the click has reached the recorder (a second or two
    # when this process also runs both browsers' pages and the recorder's decoding): the exact
    # half-second bound is checked with aiortc peers (tests/signaling/recording/test_recorder.py).
    assert recorded - 0.5 < duration < recorded + 2.5, (duration, recorded)
    listed = await call(live.url, guest, "GET", f"/api/video-calls/{call_id}/recordings")
    [item] = listed.json()["items"]
    assert (item["status"], item["file_size"]) == ("ready", path.stat().st_size)
