"""A process that serves the API and sockets loads no media or PDF library until it needs one.

PyAV and fpdf2 (with numpy and Pillow) cost about 75 MiB of every process; only rendering a
resume document, assembling a recording or transcribing one imports them.
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
