"""How long one full garbage collection stops a serving process: ours as `miraiworks serve`
builds it (before and after `gc.freeze()`), against a bare python-socketio ASGI server.

Every process pauses for a full collection now and then (when enough objects survived the
younger generations); while it runs, no socket or request of the process is served, so its
length is a floor under the tail of every latency there. Each figure is the median of
`--rounds` collections in a fresh interpreter, with `--garbage` short-lived cyclic objects made
first, as a serving process keeps making them.

    .venv/bin/python bench/gc_pauses.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MEASURE = """
import gc, json, statistics, sys, time
sys.path.insert(0, {root!r})
{build}
def pause():
    class Node:
        pass
    for _ in range({garbage}):
        a, b = Node(), Node()
        a.b, b.a = b, a
    started = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - started) * 1000
def median():
    return statistics.median(pause() for _ in range({rounds}))
found = {{"objects": len(gc.get_objects()), "full_ms": median()}}
gc.freeze()
found["frozen_ms"] = median()
print(json.dumps(found))
"""

BUILDS = {
    "ours": "from server.asgi import create\napp = create()",
    "bare": "import socketio\napp = socketio.ASGIApp(socketio.AsyncServer(async_mode='asgi'))",
}


def measure(build: str, rounds: int, garbage: int) -> dict[str, float]:
    script = MEASURE.format(root=str(ROOT), build=build, rounds=rounds, garbage=garbage)
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15, help="collections measured, the median printed")
    parser.add_argument("--garbage", type=int, default=10_000, help="cyclic pairs made before each")
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; median of {args.rounds} full collections")
    ours, bare = (measure(BUILDS[name], args.rounds, args.garbage) for name in ("ours", "bare"))
    for name, found in (("ours", ours), ("bare", bare)):
        print(
            f"{name}: {found['objects']:>9,.0f} objects | full collection {found['full_ms']:6.1f} ms"
            f" | after gc.freeze() {found['frozen_ms']:5.1f} ms"
        )
    print(
        f"ours / bare: {ours['full_ms'] / bare['full_ms']:.1f}x without freezing, "
        f"{ours['frozen_ms'] / bare['frozen_ms']:.1f}x frozen (what `miraiworks serve` runs)"
    )


if __name__ == "__main__":
    main()
