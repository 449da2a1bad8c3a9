"""`windows.room_open`: the status and time rule of `room:join`, as a pure function."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.enums import MeetingStatus, VideoCallStatus
from server.domains.meetings.windows import LATE_JOIN, RoomStatus, room_open

END = datetime(2030, 4, 1, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        pytest.param(MeetingStatus.SCHEDULED, END - timedelta(days=30), True, id="scheduled, long before"),
        pytest.param(MeetingStatus.IN_PROGRESS, END, True, id="running, at its end"),
        pytest.param(VideoCallStatus.SCHEDULED, END + LATE_JOIN, True, id="last moment of late joining"),
        pytest.param(
            VideoCallStatus.IN_PROGRESS, END + LATE_JOIN + timedelta(seconds=1), False, id="past late joining"
        ),
        pytest.param(MeetingStatus.COMPLETED, END - timedelta(hours=1), False, id="meeting completed"),
        pytest.param(MeetingStatus.CANCELLED, END - timedelta(days=1), False, id="meeting cancelled"),
        pytest.param(VideoCallStatus.ENDED, END - timedelta(hours=1), False, id="call ended"),
        pytest.param(VideoCallStatus.CANCELLED, END - timedelta(days=1), False, id="call cancelled"),
        pytest.param("cancelled", END - timedelta(days=1), False, id="status as plain text"),
    ],
)
def test_a_room_is_open_until_closed_or_late_joining_is_over(
    status: str, now: datetime, expected: bool
) -> None:
    assert room_open(status, END, now) is expected


def test_late_joining_lasts_two_hours() -> None:
    assert timedelta(hours=2) == LATE_JOIN


def test_every_stored_status_is_a_room_status() -> None:
    stored = {s.value for s in MeetingStatus} | {s.value for s in VideoCallStatus}
    assert {s.value for s in RoomStatus} == stored
