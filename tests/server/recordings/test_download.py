"""Downloads honour range requests (so a browser can seek in a recording), and deleting a
recording deletes its bytes unless another row still points at them."""

from __future__ import annotations

from pathlib import Path

from models import MeetingRecording
from server.context import AppContext
from tests.server.recordings.conftest import Stored, store_recording
from tests.server.tenants import Callers, assert_error

DOWNLOAD = "/api/recordings/{recording}/download"


async def get(callers: Callers, range_header: str | None = None) -> object:
    headers = await callers.headers("employer_admin")
    if range_header is not None:
        headers["Range"] = range_header
    return await callers.client.get(callers.path(DOWNLOAD), headers=headers)


async def test_the_whole_file_and_byte_ranges(callers: Callers, stored: Stored) -> None:
    size = len(stored.content)
    whole = await get(callers)
    assert whole.status_code == 200  # type: ignore[attr-defined]
    assert whole.headers["accept-ranges"] == "bytes" and whole.headers["content-type"] == "video/webm"  # type: ignore[attr-defined]
    assert whole.content == stored.content  # type: ignore[attr-defined]
    for header, first, last in [
        ("bytes=0-99", 0, 99),
        (f"bytes=100-{size + 50}", 100, size - 1),
        ("bytes=-50", size - 50, size - 1),
        (f"bytes={size - 1}-", size - 1, size - 1),
    ]:
        part = await get(callers, header)
        assert part.status_code == 206, header  # type: ignore[attr-defined]
        assert part.headers["content-range"] == f"bytes {first}-{last}/{size}"  # type: ignore[attr-defined]
        assert part.headers["content-length"] == str(last - first + 1)  # type: ignore[attr-defined]
        assert part.content == stored.content[first : last + 1]  # type: ignore[attr-defined]
    for bad in [f"bytes={size}-", "bytes=50-10", "bytes=abc", "bytes=0-1,5-9", "bytes=-0"]:
        refused = await get(callers, bad)
        assert_error(refused, 416, "range_not_satisfiable")  # type: ignore[arg-type]
        assert refused.headers["content-range"] == f"bytes */{size}", bad  # type: ignore[attr-defined]
    assert (await get(callers, "items=0-1")).status_code == 200  # type: ignore[attr-defined]


async def test_deleting_removes_the_bytes_only_with_the_last_row(
    callers: Callers, ctx: AppContext, stored: Stored, tmp_path: Path
) -> None:
    key = stored.recording.file_path or ""
    twin = await store_recording(ctx, stored.meeting, tmp_path)
    async with ctx.sessionmaker() as db:  # identical content is one object (content-addressed)
        (await db.get_one(MeetingRecording, twin.id)).file_path = key
        await db.commit()
    answer = await callers.call("employer", "DELETE", "/api/recordings/{recording}")
    assert answer.status_code == 204
    assert await ctx.storage.exists(key)
    assert (await callers.call("employer", "GET", "/api/recordings/{recording}")).status_code == 404
    callers.names["twin"] = twin.id
    assert (await callers.call("employer_admin", "DELETE", "/api/recordings/{twin}")).status_code == 204
    assert not await ctx.storage.exists(key)
    page = (await callers.call("employer_admin", "GET", "/api/meetings/{meeting}/recordings")).json()
    assert page == {"items": [], "total": 0}
