"""The mixer's files and the one WebM they become, without a network: a participant who starts
late gets a track that starts late, and a voice file cut off (a crash) is copied up to where
it stops."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from server.domains.recordings.probe import probe
from server.domains.recordings.tracks import assemble, voice_path, voice_paths
from signaling.recorder.mixer import CHUNK, RATE, Mixer, Speaker
from tests.signaling.recording.media import audio_tags


def _tone(index: int) -> av.AudioFrame:
    t = np.arange(index * CHUNK, (index + 1) * CHUNK) / RATE
    samples = (np.sin(2 * np.pi * 300 * t) * 8000).astype(np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
    frame.sample_rate, frame.pts = RATE, index * CHUNK
    return frame


def _record(spooled: Path, seconds: float = 3.0, late: float = 1.0) -> None:
    mixer = Mixer(spooled, width=160, height=96, fps=5)
    mixer.add(1, Speaker(name="Alice Tanaka", user_id=7))
    mixer.add(2, Speaker(name="Bob Sato"))  # a guest: no user
    mixer.add(3, Speaker(name="Carol"))  # never sends audio: no track
    steps = int(seconds * RATE / CHUNK)
    for step in range(steps):
        mixer.sound(1, _tone(step))
        if step * CHUNK >= late * RATE:
            mixer.sound(2, _tone(step))
        mixer.tick((step + 1) * CHUNK / RATE)
    mixer.close(seconds)


def _starts(path: Path) -> dict[int, float]:
    first: dict[int, float] = {}
    with av.open(str(path)) as container:
        for packet in container.demux(audio=list(range(len(container.streams.audio)))):
            if packet.pts is not None and packet.time_base is not None:
                first.setdefault(packet.stream.index, float(packet.pts * packet.time_base))
    return first


def test_one_webm_with_the_mix_and_a_late_starting_track_per_speaker(tmp_path: Path) -> None:
    spooled = tmp_path / "9.webm"
    _record(spooled)
    assert [p.name for p in voice_paths(spooled)] == ["9.voice-1.webm", "9.voice-2.webm"]
    assembled = assemble(spooled)
    assert assembled is not None
    mixed, alice, bob = audio_tags(assembled)
    assert (mixed["title"], mixed["mixed"]) == ("mixed", "1")
    assert (alice["title"], alice["user_id"]) == ("Alice Tanaka", "7")
    assert bob["title"] == "Bob Sato" and "user_id" not in bob
    found = probe(assembled)
    assert found is not None and found.kinds == {"audio", "video"}
    assert abs(found.duration - 3.0) < 0.1, found
    with av.open(str(assembled)) as container:
        indexes = [s.index for s in container.streams.audio]
    starts = _starts(assembled)
    assert starts[indexes[1]] < 0.2 and 0.9 < starts[indexes[2]] < 1.3, starts


def test_a_voice_file_cut_off_is_copied_up_to_where_it_stops(tmp_path: Path) -> None:
    spooled = tmp_path / "10.webm"
    _record(spooled)
    cut = voice_path(spooled, 1)
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    (tmp_path / "10.voice-4.webm").write_bytes(b"")  # killed before its header: left out
    assembled = assemble(spooled)
    assert assembled is not None
    assert [tags["title"] for tags in audio_tags(assembled)] == ["mixed", "Alice Tanaka", "Bob Sato"]
    found = probe(assembled)
    assert found is not None and abs(found.duration - 3.0) < 0.1
