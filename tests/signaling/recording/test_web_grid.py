"""The browser's grid leaves the recorder out (`web/js/views/room/people.js`), checked with node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

PEOPLE = Path(__file__).resolve().parents[3] / "web" / "js" / "views" / "room" / "people.js"


def test_the_recorder_gets_no_tile() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = (
        f"const m = await import({json.dumps(PEOPLE.as_uri())});"
        "console.log(JSON.stringify([{role: 'recorder'}, {role: 'host'}, {role: 'participant'}, {}]"
        ".map(m.onGrid)));"
    )
    done = subprocess.run(  # noqa: S603 - a fixed script
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    assert json.loads(done.stdout) == [False, True, True, True]
