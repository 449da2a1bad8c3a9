"""The recorder's CPU per recorded participant, and how many participants one core records.

The recorder's media work, on the frames a participant sends: decode their VP8 video and Opus
audio, hand the frames to the mixer and encode their voice alone into its own Opus track (per
participant); the mixer lays out the grid, mixes the voices and encodes the room's WebM, VP8 +
Opus (per room). Finalizing copies the room's file and the voices into one WebM (`assemble`,
once per recording, no re-encoding: reported per media second). This script pre-encodes N
participants' streams (`--width`x`--height` at 30 fps, like a camera, and 20 ms Opus frames),
runs exactly that work for `--seconds` of media as fast as the CPU allows, and reports CPU
seconds per media second of each part, the least of `--repeat` runs (on a shared machine other
processes only add to it). The ceiling beside it is the plainest PyAV encode of the same
output (as many frames, without decoding, mixing or layout).

What it leaves out: aiortc's RTP, SRTP, jitter buffer and ICE (a few percent of a core per
stream on top), and the database and signaling work, which is per event, not per frame. The
generated pictures are simpler than a camera's, so real decoding costs more.

    .venv/bin/python bench/recording.py --participants 1 2 4 --seconds 10
"""

from __future__ import annotations

import argparse
import fractions
import io
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.domains.recordings.tracks import assemble, voice_paths
from signaling.recorder.mixer import CHUNK, FPS, HEIGHT, RATE, WIDTH, Mixer, Speaker, _Track

CAMERA_FPS = 30


def camera(width: int, height: int, seconds: float, shade: int) -> list[av.Packet]:
    """A participant's VP8 stream: a moving picture, encoded once."""
    encoder = av.CodecContext.create("libvpx", "w")
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
    encoder.time_base = fractions.Fraction(1, CAMERA_FPS)
    encoder.bit_rate = 600_000
    encoder.options = {"deadline": "realtime", "cpu-used": "8"}
    packets: list[av.Packet] = []
    for index in range(int(seconds * CAMERA_FPS)):
        picture = np.full((height, width, 3), shade % 256, np.uint8)
        picture[:, (index * 6) % width :][:, :40] = 255
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
        frame.pts = index
        packets += encoder.encode(frame)
    return packets + list(encoder.encode(None))


def voice(seconds: float) -> list[av.Packet]:
    """A participant's Opus stream (a tone), stereo 48 kHz as browsers send it."""
    encoder = av.CodecContext.create("libopus", "w")
    encoder.sample_rate, encoder.layout, encoder.format = RATE, "stereo", "s16"
    packets: list[av.Packet] = []
    for index in range(int(seconds * RATE / CHUNK)):
        t = np.arange(index * CHUNK, (index + 1) * CHUNK) / RATE
        tone = (np.sin(2 * np.pi * 220 * t) * 6000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(np.repeat(tone, 2).reshape(1, -1), format="s16", layout="stereo")
        frame.sample_rate, frame.pts = RATE, index * CHUNK
        packets += encoder.encode(frame)
    return packets


def voice_cpu(seconds: float, folder: Path) -> float:
    """CPU seconds per media second of one participant's own voice track (a tone, encoded)."""
    track = _Track(folder / "bench-voice.webm", Speaker(name="bench"), 0)
    chunks = [
        (np.sin(2 * np.pi * 220 * np.arange(i * CHUNK, (i + 1) * CHUNK) / RATE) * 6000).astype(np.int32)
        for i in range(int(seconds * RATE / CHUNK))
    ]
    started = time.process_time()
    for chunk in chunks:
        track.write(chunk)
    track.close()
    return (time.process_time() - started) / seconds


def recorder_cpu(
    streams: list[tuple[list[av.Packet], list[av.Packet]]], seconds: float, folder: Path
) -> tuple[float, float, float]:
    """CPU seconds per media second of the recorder's work on these participants' streams:
    feeding (decoding), writing (the room's file and the voices' files), assembling."""
    spooled = folder / f"bench-{len(streams)}.webm"
    mixer = Mixer(spooled)
    decoders = [
        (av.CodecContext.create("libvpx", "r"), av.CodecContext.create("libopus", "r")) for _ in streams
    ]
    for pid in range(len(streams)):
        mixer.add(pid)
    feeding = writing = 0.0
    clock = 0.0
    steps = int(seconds * 50)  # 20 ms of media per step
    for step in range(steps):
        started = time.process_time()
        for pid, ((video, audio), (vdec, adec)) in enumerate(zip(streams, decoders, strict=True)):
            for packet in audio[step : step + 1]:
                for frame in adec.decode(packet):
                    mixer.sound(pid, frame)
            first, last = step * CAMERA_FPS // 50, (step + 1) * CAMERA_FPS // 50
            for packet in video[first:last]:
                for frame in vdec.decode(packet):
                    mixer.picture(pid, frame)
        clock += 0.02
        fed = time.process_time()
        mixer.tick(clock)
        feeding, writing = feeding + fed - started, writing + time.process_time() - fed
    started = time.process_time()
    mixer.close(clock)
    writing += time.process_time() - started
    started = time.process_time()
    assembled = assemble(spooled)
    assembling = time.process_time() - started
    for path in (spooled, *voice_paths(spooled), *([assembled] if assembled else [])):
        path.unlink(missing_ok=True)
    return feeding / seconds, writing / seconds, assembling / seconds


def ceiling_cpu(seconds: float) -> float:
    """CPU seconds per media second of the plainest encode of the same output."""
    out = av.open(io.BytesIO(), "w", format="webm")
    video = out.add_stream(
        "libvpx", rate=FPS, options={"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
    )
    video.width, video.height, video.pix_fmt, video.bit_rate = WIDTH, HEIGHT, "yuv420p", 800_000
    audio = out.add_stream("libopus", rate=RATE)
    audio.layout, audio.format = "mono", "s16"
    picture = np.full((HEIGHT, WIDTH, 3), 90, np.uint8)
    silence = np.zeros((1, CHUNK), np.int16)
    started = time.process_time()
    for index in range(int(seconds * FPS)):
        picture[:, (index * 6) % WIDTH :][:, :40] = index % 255
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
        frame.pts = index
        for packet in video.encode(frame):
            out.mux(packet)
    for index in range(int(seconds * RATE / CHUNK)):
        sound = av.AudioFrame.from_ndarray(silence, format="s16", layout="mono")
        sound.sample_rate, sound.pts = RATE, index * CHUNK
        for packet in audio.encode(sound):
            out.mux(packet)
    out.close()
    return (time.process_time() - started) / seconds


def main(args: argparse.Namespace) -> None:
    print(
        f"media: {args.width}x{args.height} VP8 at {CAMERA_FPS} fps + Opus per participant; "
        f"recording {WIDTH}x{HEIGHT} at {FPS} fps, {args.seconds:.0f} s of media per run"
    )
    ceiling = min(ceiling_cpu(args.seconds) for _ in range(args.repeat))
    print(f"ceiling (plain PyAV encode of the room's output): {ceiling * 100:.1f} % of a core")
    with tempfile.TemporaryDirectory() as folder:
        for count in args.participants:
            streams = [
                (camera(args.width, args.height, args.seconds, 40 + 50 * i), voice(args.seconds))
                for i in range(count)
            ]
            runs = [recorder_cpu(streams, args.seconds, Path(folder)) for _ in range(args.repeat)]
            # The least disturbed run of each part: other processes only ever add to it.
            decode = min(f for f, _, _ in runs) / count
            own = min(voice_cpu(args.seconds, Path(folder)) for _ in range(args.repeat))
            per = decode + own
            room = max(0.0, min(w for _, w, _ in runs) - own * count)
            total = per * count + room
            print(
                f"{count} participant(s): recorder {total * 100:.1f} % of a core = "
                f"{per * 100:.1f} % per participant (decode {decode * 100:.1f} + own voice track "
                f"{own * 100:.1f}) + {room * 100:.1f} % for the room (layout, mix, encode); "
                f"ceiling/recorder {ceiling / total:.2f}; one core records {(1 - room) / per:.0f} "
                f"participants in one room, or {1 / (per + room):.1f} one-participant rooms; "
                f"assembling at the end {min(a for _, _, a in runs) * 100:.2f} % of a core-second "
                "per media second"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the least CPU is reported")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    main(parser.parse_args())
