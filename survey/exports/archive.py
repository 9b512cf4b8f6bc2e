"""A zip written as a stream: members with data descriptors, so that a zip download, like the
CSV files, is sent while its rows are read (data package, statistics syntax bundles)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass
class MemberStats:
    """Size and digest of a member, measured while it is written."""

    bytes: int = 0
    sha256: str = ""


#: Made once every member is written, from their stats: the last member's name and bytes.
Closing = Callable[[dict[str, MemberStats]], tuple[str, bytes]]


class _Sink(io.RawIOBase):
    """A write-only, unseekable file that hands what was written to the caller in pieces."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._pieces.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def take(self) -> bytes:
        data, self._pieces = b"".join(self._pieces), []
        return data


def zip_chunks(
    members: Iterable[tuple[str, Iterable[bytes]]],
    *,
    closing: Closing | None = None,
    when: datetime | None = None,
) -> Iterator[bytes]:
    """The zip of the members (name, chunks), each compressed as its chunks come, then the
    member `closing` makes from their sizes and SHA-256 digests (keyed by name), if any."""
    sink = _Sink()
    stamp = (when or datetime.now(UTC)).timetuple()[:6]
    stats: dict[str, MemberStats] = {}
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            digest, size = hashlib.sha256(), 0
            with archive.open(info, "w") as member:
                for chunk in chunks:
                    member.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    if data := sink.take():
                        yield data
            stats[name] = MemberStats(size, digest.hexdigest())
        if closing is not None:
            name, data = closing(stats)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    yield sink.take()
