"""Two people in two browsers, each on a server process of its own (shared database and Redis):
they sign in, message each other live (typing, read receipts, a file, unread counts,
presence), one opens the todo of a live notification and the room of his invitation, and they
meet in a video call by its code through the lobby, each seeing the other's video play.
Recording refused stays off; granted, everyone sees the indicator. A network blip keeps the
seat; the one-minute access tokens are refreshed and the live sockets renewed on the way."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ACCESS_TOKEN_MINUTES, Office, Pages, Shot, sign_in

pytestmark = pytest.mark.e2e

ADVANCE = """async () => {
  const video = document.querySelector('video.remote');
  if (!video || !video.videoWidth) return 0;
  const before = video.getVideoPlaybackQuality().totalVideoFrames;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return video.getVideoPlaybackQuality().totalVideoFrames - before;
}"""


async def frames_advance(page: Any, timeout: float = 20) -> int:
    """Frames the remote video decoded in one second, measured in the page, once it plays."""
    deadline = time.monotonic() + timeout
    advanced = 0
    while time.monotonic() < deadline:
        advanced = await page.evaluate(ADVANCE)
        if advanced >= 5:
            return int(advanced)
    raise AssertionError(f"the remote video is not playing ({advanced} frames in a second)")


async def tile_ids(page: Any) -> list[str]:
    return await page.eval_on_selector_all("video.remote", "(vs) => vs.map((v) => v.dataset.participant)")


async def test_two_people_message_each_other_and_meet_in_a_room(
    two_nodes: Office, pages: Pages, shot: Shot
) -> None:
    now = datetime.now(UTC)
    created = await two_nodes.call(
        two_nodes.alice,
        "POST",
        "/api/video-calls",
        json={
            "title": "一次面接の打ち合わせ",
            "scheduled_start": (now - timedelta(minutes=5)).isoformat(),
            "scheduled_end": (now + timedelta(hours=1)).isoformat(),
            "waiting_room": True,
            "recording_enabled": True,
            "max_participants": 4,
            "participants": [{"user_id": two_nodes.bob.id, "role": "participant"}],
        },
    )
    assert created.status_code == 201, created.text
    room_code = created.json()["room_code"]

    alice = await pages.open(two_nodes.a.url, locale="ja-JP")
    bob = await pages.open(two_nodes.b.url, locale="en-US")
    await asyncio.gather(sign_in(alice, two_nodes.alice), sign_in(bob, two_nodes.bob))
    signed_in_at = time.monotonic()
    for page in (alice, bob):
        await page.wait_for_selector("html[data-socket=online]")
    await shot(alice, "today-ja")

    # --- messages ---------------------------------------------------------------------------
    await bob.goto(f"/messages/{two_nodes.alice.id}")
    await bob.wait_for_selector("#composer-text")
    await alice.goto("/messages")
    await alice.click("text=新規メッセージ")
    await alice.select_option("#new-to", str(two_nodes.bob.id))  # known from the call's participants
    await alice.click(".new-message button[type=submit]")
    await alice.wait_for_selector("#composer-text")
    assert "Bob" in await alice.inner_text(".thread-head h2")

    await alice.type("#composer-text", "こんにちは、Bobさん")
    await bob.wait_for_selector(".typing:has-text('is typing')")
    await alice.press("#composer-text", "Enter")
    await bob.wait_for_selector(".msg.theirs .content:has-text('こんにちは、Bobさん')")
    await bob.wait_for_selector(".thread-head h2:has-text('Alice Tanaka')")  # her name, from the conversation
    await alice.wait_for_selector(".msg.mine [data-status=read]")  # Bob's thread is open: read at once

    await bob.set_input_files(
        "#composer-files",
        files=[{"name": "職務経歴書.txt", "mimeType": "text/plain", "buffer": "経歴の要約です。\n".encode()}],
    )
    await bob.fill("#composer-text", "Hello Alice, here is the résumé.")
    await bob.click(".composer button[type=submit]")
    await alice.wait_for_selector(".msg.theirs .content:has-text('here is the résumé')")
    await alice.wait_for_selector(".msg.theirs button.file:has-text('職務経歴書.txt')")
    await bob.wait_for_selector(".msg.mine button.file:has-text('職務経歴書.txt')")
    await shot(alice, "messages-thread-ja")
    await shot(bob, "messages-thread-en")

    # Reloaded, the thread lists the file from the messages it loads, as the live one did: no
    # lookup per message; and the recipient downloads it.
    asked: list[str] = []

    def note(request: Any) -> None:
        asked.append(request.url)

    alice.on("request", note)
    await alice.reload()
    await alice.wait_for_selector(".msg.theirs button.file:has-text('職務経歴書.txt')")
    alice.remove_listener("request", note)
    assert [url for url in asked if "/api/attachments" in url or re.search(r"/api/messages/\d+$", url)] == []
    async with alice.expect_download() as downloading:
        await alice.click(".msg.theirs button.file:has-text('職務経歴書.txt')")
    download = await downloading.value
    assert download.suggested_filename == "職務経歴書.txt"
    assert Path(await download.path()).read_bytes() == "経歴の要約です。\n".encode()

    # Away from the thread, a new message counts as unread, with Bob shown online.
    await alice.goto("/")
    await alice.wait_for_selector("main[data-route=today] .summary")
    await bob.fill("#composer-text", "One more thing")
    await bob.press("#composer-text", "Enter")
    await alice.wait_for_selector("[data-nav=messages] .badge:has-text('1')")
    await alice.click("[data-nav=messages]")
    row = f".conversation[data-counterpart='{two_nodes.bob.id}']"
    await alice.wait_for_selector(f"{row} .badge[data-unread='1']")
    await alice.wait_for_selector(f"{row} .presence.online")
    await shot(alice, "messages-conversations-ja")
    await alice.click(row)
    await alice.wait_for_selector(".msg.theirs .content:has-text('One more thing')")
    await alice.wait_for_selector("[data-nav=messages] .badge", state="hidden")

    # --- a notification, live, whose link opens the todo -------------------------------------
    await bob.goto("/")
    await bob.wait_for_selector("main[data-route=today] .summary")
    await bob.wait_for_selector(".bell[data-loaded=true]")  # the count is the server's, not the initial 0
    before = int(await bob.eval_on_selector(".bell .badge", "(b) => b.hidden ? 0 : Number(b.textContent)"))
    todo = await two_nodes.call(
        two_nodes.admin,
        "POST",
        "/api/todos",
        json={
            "title": "面接の評価を入力する",
            "assigned_user_id": two_nodes.bob.id,
            "visibility": "viewers",
            "due_date": (now + timedelta(hours=3)).isoformat(),
        },
    )
    assert todo.status_code == 201, todo.text
    await bob.wait_for_selector(f".bell .badge:has-text('{before + 1}')")
    await bob.click(".bell")
    await shot(bob, "notifications-bell-en")
    await bob.click(f"#bell-panel a[href='/todos/{todo.json()['id']}']")
    await bob.wait_for_selector("main[data-route=todo] h1:has-text('面接の評価を入力する')")
    await shot(bob, "todo-en")

    # --- the room, by its code, through the lobby --------------------------------------------
    await alice.goto(f"/r/{room_code}")
    await alice.wait_for_selector(".check[data-check=camera][data-ok=true]")
    await alice.wait_for_selector(".check[data-check=microphone][data-ok=true]")
    await shot(alice, "room-device-check-ja")
    await alice.click("#join-room")
    await alice.wait_for_selector(".room[data-state=joined]")

    await bob.goto("/notifications")  # Bob enters from his invitation's link
    await bob.click(f"main a.notification[href$='/{room_code}']")  # /r/<code> (or /rooms/<code>)
    await bob.wait_for_selector(".check[data-check=camera][data-ok=true]")
    await bob.click("#join-room")
    await bob.wait_for_selector(".room[data-state=lobby]")
    await shot(bob, "room-lobby-en")
    await alice.wait_for_selector("[data-knock] button.primary")
    await alice.click("[data-knock] button.primary")
    await bob.wait_for_selector(".room[data-state=joined]")

    assert await frames_advance(alice) >= 5
    assert await frames_advance(bob) >= 5
    await shot(alice, "room-host-ja")
    await shot(bob, "room-guest-en")
    seats = (await tile_ids(alice), await tile_ids(bob))
    assert len(seats[0]) == 1 and len(seats[1]) == 1

    # --- recording asked, refused: it stays off ----------------------------------------------
    await alice.click("#recording-request")
    await bob.wait_for_selector("dialog.consent[open]")
    await bob.keyboard.press("Escape")
    await bob.keyboard.press("Escape")
    await bob.wait_for_timeout(300)
    assert await bob.eval_on_selector("dialog.consent", "(d) => d.open"), "the consent dialog was dismissed"
    await shot(bob, "room-consent-en")
    await bob.click("#consent-decline")
    await bob.wait_for_selector("dialog.consent", state="hidden")
    for page in (alice, bob):
        await page.wait_for_selector(".room[data-recording=not_started]")
        assert await page.is_hidden("#rec-indicator")
    # Asked again and granted: everyone sees the recording indicator until the host stops it.
    await alice.click("#recording-request")
    await bob.wait_for_selector("dialog.consent[open]")
    await bob.click("#consent-allow")
    for page in (alice, bob):
        await page.wait_for_selector("#rec-indicator", state="visible")
    await shot(alice, "room-recording-ja")
    await alice.click("#recording-stop")
    for page in (alice, bob):
        await page.wait_for_selector(".room[data-recording=stopped] #rec-indicator", state="hidden")

    # --- a network blip: the socket comes back to the same seat -------------------------------
    await bob.context.set_offline(True)  # Chromium drops the WebSocket
    await bob.wait_for_selector(".room .reconnecting", state="visible")
    await shot(bob, "room-reconnecting-en")
    await bob.wait_for_timeout(1500)  # shorter than the seat's grace (the presence TTL, 5 s here)
    await bob.context.set_offline(False)
    await bob.wait_for_selector("html[data-socket=online]")
    await bob.wait_for_selector(".room[data-state=joined] .reconnecting", state="hidden")
    await alice.wait_for_timeout(1000)
    assert (await tile_ids(alice), await tile_ids(bob)) == seats
    assert await frames_advance(alice) >= 5
    assert await frames_advance(bob) >= 5

    # --- past the first access token's life: refreshed, and the sockets renewed ---------------
    await bob.click("#leave-room")
    await bob.wait_for_selector(".room[data-state=left]")
    await alice.wait_for_function("() => document.querySelectorAll('video.remote').length === 0")
    remaining = ACCESS_TOKEN_MINUTES * 60 + 3 - (time.monotonic() - signed_in_at)
    if remaining > 0:
        await asyncio.sleep(remaining)
    for page in (alice, bob):
        assert int(await page.evaluate("document.documentElement.dataset.renewals || '0'")) >= 1
        assert await page.evaluate("document.documentElement.dataset.socket") == "online"
        assert await page.evaluate("window.miraiworks.realtime.socket.connected")
    await alice.goto(f"/messages/{two_nodes.bob.id}")
    await bob.goto(f"/messages/{two_nodes.alice.id}")
    await bob.wait_for_selector("#composer-text")
    await alice.fill("#composer-text", "トークンの更新後も届きます")
    await alice.press("#composer-text", "Enter")
    await bob.wait_for_selector(".msg.theirs .content:has-text('トークンの更新後も届きます')")
