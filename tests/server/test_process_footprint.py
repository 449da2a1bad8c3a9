"""What a serving process carries: no media or PDF library until it needs one, and nothing
built at startup for the garbage collector to walk again.

PyAV and fpdf2 (with numpy and Pillow) cost about 75 MiB of every process; only rendering a
resume document, assembling a recording or transcribing one imports them. A full collection of
the startup objects paused the process for 75-145 ms (`bench/gc_pauses.py`).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("av", "aiortc", "fpdf", "numpy", "PIL", "fontTools")


def test_serving_the_app_imports_no_media_or_pdf_library() -> None:
    script = (
        f"import json, sys; import server.app; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)  # noqa: S603 (our own interpreter)
    assert json.loads(loaded.stdout) == []


def test_a_served_worker_keeps_what_it_built_at_startup_out_of_the_collector() -> None:
    script = (
        "import gc; from server.asgi import serve; serve(); "
        "print(gc.get_freeze_count(), len(gc.get_objects()))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)  # noqa: S603 (our own interpreter)
    frozen, tracked = map(int, loaded.stdout.split())
    assert frozen > 100_000
    assert tracked < frozen / 20
