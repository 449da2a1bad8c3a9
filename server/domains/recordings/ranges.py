"""HTTP range requests (RFC 9110 §14) for downloads a browser seeks in: one range per request.

`Range: bytes=0-99`, `bytes=100-` and `bytes=-500` (the last 500 bytes) answer 206 with that
slice. A range that cannot be met (starts past the end, or end before start) or a `bytes` range
list we do not serve (several ranges) is 416 with `Content-Range: bytes */<size>`. A header of
another unit is ignored, as the RFC allows: the whole file, 200.
"""

from __future__ import annotations

import re

from server.errors import AppError

_ONE = re.compile(r"bytes=(\d*)-(\d*)")


class RangeNotSatisfiable(AppError):
    status = 416
    code = "range_not_satisfiable"
    detail = "The requested range is outside the file."

    def __init__(self, size: int) -> None:
        super().__init__(headers={"Content-Range": f"bytes */{size}"})


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte of a range request; None for the whole file."""
    if header is None or not header.strip().lower().startswith("bytes="):
        return None
    match = _ONE.fullmatch(header.strip().replace(" ", "").lower())
    if match is None or (not match.group(1) and not match.group(2)):
        raise RangeNotSatisfiable(size)
    first, last = match.group(1), match.group(2)
    if not first:
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiable(size)
    return start, end
