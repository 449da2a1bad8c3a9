"""What a recording file holds, read with PyAV: how long it plays and which kinds of tracks.

The recorder writes WebM as a live stream (no duration in its header, no cues), so the
duration is read from the packets themselves: the end of the last one of any track. A file cut
off mid-cluster (its process killed) probes the same way, up to its last whole packet. PyAV
is imported at the first probe (`recordings.tracks` says why).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Probe:
    duration: float
    kinds: frozenset[str]
    """"audio", "video"."""


def probe(path: Path) -> Probe | None:
    """None when the file is missing or holds nothing decodable."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    import av

    end = 0.0
    kinds: set[str] = set()
    try:
        with av.open(str(path)) as container:
            for packet in container.demux():
                if packet.pts is None or packet.time_base is None:
                    continue
                kinds.add(packet.stream.type)
                end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    except av.FFmpegError:
        if end == 0.0:
            return None
    return Probe(duration=end, kinds=frozenset(kinds)) if end > 0 else None
