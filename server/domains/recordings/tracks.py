"""A recording's spooled files and the one WebM they become.

While it records, the recorder writes the room's file (the grid video and the mixed voices,
`<id>.webm`) and, for each participant whose audio reached it, a file of that voice alone
(`<id>.voice-<participant id>.webm`): Matroska fixes its tracks in its header, so a participant
who joins mid-recording cannot get a track in a file already being written, but gets a file of
their own, opened when their audio first flows, its timestamps on the recording's clock (their
voice starts as late as they did). Every file is a live stream flushed cluster by cluster, so a
crash leaves each playable up to its last whole cluster.

`assemble` copies them (no re-encoding) into one WebM: the grid video, the mixed audio
(`title=mixed`, `mixed=1`) and one Opus stream per participant (by participant id), named by
their metadata (`title` the display name, `user_id`, `language` when known), which is what the
transcripts read to name speakers. The assembled file is a regular, seekable WebM (cues and a
duration in its header), unlike the live spool.

PyAV (about 20 MiB of a process) is imported by the functions that read or write media: a
process that serves the API and sockets but never assembles a recording never loads it.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MIXED_TAGS = {"title": "mixed", "mixed": "1"}
"""The metadata of the mixed audio stream (the transcripts skip it when per-speaker streams exist)."""
_VOICE = ".voice-"


def voice_path(spooled: Path, participant_id: int) -> Path:
    return spooled.with_name(f"{spooled.stem}{_VOICE}{participant_id}{spooled.suffix}")


def voice_paths(spooled: Path) -> list[Path]:
    """The voice files beside a spooled recording, by participant id (a stable order)."""
    pattern = f"{spooled.stem}{_VOICE}*{spooled.suffix}"
    found = [p for p in spooled.parent.glob(pattern) if p.is_file()]

    def participant(path: Path) -> tuple[int, str]:
        raw = path.name.removeprefix(f"{spooled.stem}{_VOICE}").removesuffix(spooled.suffix)
        return (int(raw) if raw.isdigit() else 0, path.name)

    return sorted(found, key=participant)


def assembled_path(spooled: Path) -> Path:
    return spooled.with_name(f"{spooled.stem}.assembled{spooled.suffix}")


def remove(spooled: Path) -> None:
    for path in (spooled, assembled_path(spooled), *voice_paths(spooled)):
        path.unlink(missing_ok=True)


def _packets(container: Any, outputs: dict[int, Any], order: int) -> Iterator[tuple[float, int, Any]]:
    """A file's packets (up to the last whole one, when it was cut off), with their time."""
    import av

    try:
        for packet in container.demux():
            if packet.size == 0 or packet.pts is None or packet.stream.index not in outputs:
                continue
            when = float(packet.pts * packet.time_base) if packet.time_base is not None else 0.0
            yield when, order, packet
    except av.FFmpegError:
        log.warning("a spooled recording file ends mid-packet: copied up to its last whole packet")


def assemble(spooled: Path) -> Path | None:
    """One WebM of the room's file and its voices (blocking); None when the room's file cannot
    be read at all. A voice file that cannot be read (killed before its header) is left out."""
    import av

    target = assembled_path(spooled)
    inputs: list[Any] = []
    try:
        try:
            inputs.append(av.open(str(spooled)))
        except (av.FFmpegError, OSError):
            return None
        for path in voice_paths(spooled):
            try:
                inputs.append(av.open(str(path)))
            except (av.FFmpegError, OSError):
                log.warning("voice file %s is unreadable: left out of the recording", path)
        with av.open(str(target), "w", format="webm") as out:
            feeds = []
            for order, source in enumerate(inputs):
                outputs: dict[int, Any] = {}
                for stream in source.streams:
                    if stream.type not in ("audio", "video"):
                        continue
                    copy = out.add_stream_from_template(stream)
                    tags = {str(k).lower(): str(v) for k, v in dict(stream.metadata).items()}
                    if order == 0 and stream.type == "audio":
                        tags |= MIXED_TAGS
                    for key, value in tags.items():
                        copy.metadata[key] = value
                    outputs[stream.index] = copy
                feeds.append((_packets(source, outputs, order), outputs))
            for _, order, packet in heapq.merge(*(feed for feed, _ in feeds), key=lambda e: e[:2]):
                packet.stream = feeds[order][1][packet.stream.index]
                out.mux(packet)
    except (av.FFmpegError, OSError):
        log.exception("recording %s could not be assembled", spooled)
        target.unlink(missing_ok=True)
        return None
    finally:
        for source in inputs:
            source.close()
    return target
