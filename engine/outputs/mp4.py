"""Facts of an MP4 file read from its container boxes: frames, size, frame rate, duration.

Why not ask ffmpeg: the frame count used to be parsed out of ffmpeg's progress text
(``frame=  121``), and builds differ in what they print — imageio-ffmpeg 0.6.0's ffmpeg prints
no ``frame=`` at all for a stream copy, so every good video was reported as unreadable.  The
container says it exactly and in the same way for every encoder: the video track's sample
table (``stsz``) counts its frames, ``mdhd`` gives the time scale and duration, ``stts`` the
frame duration and ``avc1``/``tkhd`` the picture size.  Fragmented files (``moof``/``trun``)
are counted too.  Pure Python, reads only the box headers and the few small boxes needed.

A file whose ``moov`` box is missing was not finished (ffmpeg stopped, or the disk filled
before the index was written): :class:`Mp4Error` says so.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# Boxes that only hold other boxes (ISO/IEC 14496-12).
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"moof", b"traf", b"mvex", b"edts"}
_MAX_BOX_READ = 64 << 20  # a sane upper bound for the small boxes we read whole


class Mp4Error(ValueError):
    """The file is not a complete MP4 with a video track; the message says what is wrong."""


@dataclass(frozen=True)
class VideoFacts:
    frames: int
    width: int
    height: int
    fps: float
    duration_s: float


@dataclass
class _Track:
    handler: bytes = b""
    timescale: int = 0
    duration: int = 0
    samples: int = 0
    sample_deltas: tuple[tuple[int, int], ...] = ()
    width: int = 0
    height: int = 0
    track_id: int = 0


def _boxes(f: BinaryIO, start: int, end: int):
    """Yield ``(type, payload_start, payload_end)`` for the boxes in ``[start, end)``."""
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        header = f.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        header_len = 8
        if size == 1:
            large = f.read(8)
            if len(large) < 8:
                raise Mp4Error("the file ends inside a box header (it was cut off)")
            size = struct.unpack(">Q", large)[0]
            header_len = 16
        elif size == 0:
            size = end - pos
        if size < header_len:
            raise Mp4Error(f"a damaged box ('{kind.decode('latin-1')}' of {size} bytes)")
        if pos + size > end:
            raise Mp4Error(
                f"the file is cut off inside its '{kind.decode('latin-1')}' box "
                f"({pos + size - end} bytes missing)"
            )
        yield kind, pos + header_len, pos + size
        pos += size


def _read(f: BinaryIO, start: int, end: int) -> bytes:
    if end - start > _MAX_BOX_READ:
        raise Mp4Error("an index box is implausibly large (damaged file)")
    f.seek(start)
    data = f.read(end - start)
    if len(data) != end - start:
        raise Mp4Error("the file ends early")
    return data


def _full_box(data: bytes) -> tuple[int, bytes]:
    """(version, body) of a 'full box' payload (1 byte version, 3 bytes flags)."""
    if len(data) < 4:
        raise Mp4Error("a box is too short")
    return data[0], data[4:]


def _parse_trak(f: BinaryIO, start: int, end: int) -> _Track:
    track = _Track()
    stack = [(start, end)]
    while stack:
        s, e = stack.pop()
        for kind, ps, pe in _boxes(f, s, e):
            if kind in _CONTAINERS:
                stack.append((ps, pe))
            elif kind == b"tkhd":
                version, body = _full_box(_read(f, ps, pe))
                id_at = 16 if version == 1 else 8
                track.track_id = struct.unpack(">I", body[id_at : id_at + 4])[0]
                w, h = struct.unpack(">II", body[-8:])
                track.width = track.width or (w >> 16)
                track.height = track.height or (h >> 16)
            elif kind == b"mdhd":
                version, body = _full_box(_read(f, ps, pe))
                if version == 1:
                    track.timescale, track.duration = struct.unpack(">IQ", body[16:28])
                else:
                    track.timescale, track.duration = struct.unpack(">II", body[8:16])
            elif kind == b"hdlr":
                _, body = _full_box(_read(f, ps, pe))
                track.handler = body[4:8]
            elif kind == b"stsz":
                _, body = _full_box(_read(f, ps, min(pe, ps + 16)))
                track.samples = struct.unpack(">I", body[4:8])[0]
            elif kind == b"stts":
                _, body = _full_box(_read(f, ps, pe))
                count = struct.unpack(">I", body[:4])[0]
                pairs = struct.unpack(f">{2 * count}I", body[4 : 4 + 8 * count])
                track.sample_deltas = tuple(zip(pairs[::2], pairs[1::2]))
            elif kind == b"stsd":
                body = _read(f, ps, min(pe, ps + 8 + 8 + 36))
                # entry: size(4) format(4) reserved(6) data_ref(2) then the visual entry:
                # 16 bytes of pre-defined/reserved, then width(2) height(2).
                if len(body) >= 8 + 8 + 28:
                    w, h = struct.unpack(">HH", body[8 + 8 + 16 + 8 : 8 + 8 + 16 + 12])
                    if w and h:
                        track.width, track.height = w, h
    return track


def _fragment_samples(f: BinaryIO, start: int, end: int, track_id: int) -> int:
    """Samples of ``track_id`` in one ``moof`` box (fragmented MP4)."""
    total = 0
    for kind, ps, pe in _boxes(f, start, end):
        if kind != b"traf":
            continue
        this_track = None
        for sub, ss, se in _boxes(f, ps, pe):
            if sub == b"tfhd":
                _, body = _full_box(_read(f, ss, se))
                this_track = struct.unpack(">I", body[:4])[0]
            elif sub == b"trun" and this_track in (None, track_id):
                _, body = _full_box(_read(f, ss, min(se, ss + 8)))
                total += struct.unpack(">I", body[:4])[0]
    return total


def video_facts(path: str | os.PathLike[str]) -> VideoFacts:
    """Frames, width, height, fps and duration of the first video track of an MP4 file.

    Raises :class:`Mp4Error` (a ``ValueError``) when the file is not a complete MP4 with a
    video track, and ``OSError`` when it cannot be opened.
    """
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as f:
        top = list(_boxes(f, 0, size))
        kinds = {kind for kind, _, _ in top}
        if b"ftyp" not in kinds and b"moov" not in kinds:
            raise Mp4Error("it is not an MP4 file (no 'ftyp' or 'moov' box)")
        moov = next(((ps, pe) for kind, ps, pe in top if kind == b"moov"), None)
        if moov is None:
            raise Mp4Error("the file has no index ('moov' box): writing stopped before the end")
        tracks = [_parse_trak(f, ps, pe) for kind, ps, pe in _boxes(f, *moov) if kind == b"trak"]
        video = next((t for t in tracks if t.handler == b"vide"), None)
        if video is None:
            raise Mp4Error("the file holds no video track")
        frames = video.samples
        if frames == 0:  # fragmented: the samples live in the fragments
            frames = sum(
                _fragment_samples(f, ps, pe, video.track_id)
                for kind, ps, pe in top
                if kind == b"moof"
            )
    duration_s = video.duration / video.timescale if video.timescale else 0.0
    fps = 0.0
    if video.timescale and len(video.sample_deltas) == 1 and video.sample_deltas[0][1]:
        fps = video.timescale / video.sample_deltas[0][1]
    elif duration_s > 0:
        fps = frames / duration_s
    return VideoFacts(frames, video.width, video.height, round(fps, 6), duration_s)
