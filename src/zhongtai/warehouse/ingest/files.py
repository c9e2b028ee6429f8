"""Looking at an input file before reading it: hash, format, encoding, transcoding.

DuckDB reads UTF-8 only and cannot fetch its encodings extension offline, so GBK/GB18030 and
UTF-16 exports are transcoded to a UTF-8 temporary file in 4 MiB chunks (bounded memory);
a byte that does not decode stops the load with the line and byte offset named. A gzip stream
that ends early (a download cut short) is reported as a damaged file, never as a short one.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from zhongtai.errors import IngestError

__all__ = [
    "ascii_head",
    "blank_line_possible",
    "damaged",
    "decodes_fully",
    "detect_encoding",
    "detect_format",
    "first_invalid",
    "open_bytes",
    "read_text_sample",
    "sha256_file",
    "transcode_to_utf8",
]

CHUNK = 4 * 1024 * 1024
UTF8 = "utf-8"
GB18030 = "gb18030"
_UTF8_NAMES = {"utf-8", "utf8", "utf-8-sig", "ascii"}
_ENCODING_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "gb18030": "gb18030"}
SAMPLE = 1024 * 1024
STREAM_ERRORS = (OSError, EOFError, zlib.error)  # gzip.BadGzipFile is an OSError


def damaged(path: Path) -> IngestError:
    """The error for a compressed stream that is cut short or corrupt."""
    return IngestError("ingest.damaged_file", file=path.name, format="gzip")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def open_bytes(path: Path) -> BinaryIO:
    """Open a file for reading bytes, decompressing gzip transparently."""
    if _is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def detect_format(path: Path, declared: str = "auto") -> str:
    """``csv``, ``xlsx``, ``parquet`` or ``jsonl``, from the declaration, magic bytes or name."""
    if declared != "auto":
        return declared
    with path.open("rb") as handle:
        head = handle.read(512)
    name = path.name.lower().removesuffix(".gz")
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "xlsx"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        # many shop back-offices export CSV/TSV text or an HTML table under an .xls name
        if head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"<"):
            raise IngestError("ingest.not_excel", file=path.name)
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    return "csv"


def detect_encoding(path: Path, declared: str = "auto") -> str:
    """The text encoding of a CSV/JSONL file: a declared one, a BOM, UTF-8, or GB18030.

    Only the first 1 MiB is examined; a later undecodable byte is reported per row by the
    reader (UTF-8; see :func:`decodes_fully` for files whose first MiB is plain ASCII) or stops
    the load with its position (other encodings).
    """
    if declared != "auto":
        name = declared.lower().replace("_", "-")
        name = _ENCODING_ALIASES.get(name, name)
        try:
            codecs.lookup(name)
        except LookupError:
            raise IngestError("ingest.unknown_encoding", file=path.name, encoding=declared) from None
        return "utf-8" if name in _UTF8_NAMES else name
    sample = _head(path, SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    bad_utf8 = _first_bad(sample, UTF8)
    if bad_utf8 is None:
        return UTF8
    bad_gb = _first_bad(sample, GB18030)
    if bad_gb is None:
        return GB18030
    if _mostly_utf8(sample):
        return UTF8  # a few rows in another encoding: the reader quarantines them one by one
    at = max(bad_utf8, bad_gb)
    raise IngestError("ingest.undecodable", file=path.name, line=sample.count(b"\n", 0, at) + 1, byte=at)


def _mostly_utf8(sample: bytes) -> bool:
    """Fewer than half of the sample's lines fail to decode as UTF-8 (a file stitched together
    from two exports), as opposed to a binary file or a whole file in an unknown encoding."""
    lines = sample.split(b"\n")[:-1] or [sample]
    bad = sum(1 for line in lines if _first_bad(line, UTF8) is not None)
    return bad * 2 < len(lines)


def _head(path: Path, size: int) -> bytes:
    with open_bytes(path) as handle:
        try:
            return handle.read(size)
        except STREAM_ERRORS:
            raise damaged(path) from None


def _first_bad(data: bytes, encoding: str) -> int | None:
    """Offset of the first byte that does not decode (a sequence cut by the sample's end is fine)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeDecodeError as exc:
        return int(exc.start)
    return None


def first_invalid(path: Path, encoding: str, size: int) -> tuple[int, int] | None:
    """``(line, byte)`` of the first undecodable byte among the first ``size`` bytes, if any."""
    data = _head(path, size)
    at = _first_bad(data, encoding)
    return None if at is None else (data.count(b"\n", 0, at) + 1, at)


def ascii_head(path: Path) -> bool:
    """Whether the first 1 MiB is plain ASCII (so UTF-8 detection had no evidence)."""
    return _head(path, SAMPLE).isascii()


def decodes_fully(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes in ``encoding`` (streamed in 4 MiB blocks)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with open_bytes(path) as raw:
        try:
            while block := raw.read(CHUNK):
                decoder.decode(block, final=False)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        except STREAM_ERRORS:
            raise damaged(path) from None
    return True


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` for UTF-16 without a BOM. UTF-8 and GBK text has no zero bytes, while
    UTF-16 has one in every ASCII character; the byte order is the one that decodes line ends
    (``0A 00`` read the wrong way round is U+0A00, not a line end) and no NUL characters."""
    head = sample[:4096]
    if head.count(0) < max(2, len(head) // 20):
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = head[: len(head) // 2 * 2].decode(encoding, errors="replace")
        if ("\n" in text or "\r" in text) and "\x00" not in text:
            return encoding
    return None


def _decoded_chunks(raw: BinaryIO, encoding: str, file_name: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    consumed = 0
    line = 1
    while True:
        block = raw.read(CHUNK)
        final = not block
        try:
            text = decoder.decode(block, final=final)
        except UnicodeDecodeError as exc:
            good = block[: exc.start]
            partial = codecs.decode(good, encoding, errors="ignore")
            raise IngestError(
                "ingest.decode_error",
                file=file_name,
                encoding=encoding,
                line=line + partial.count("\n"),
                byte=consumed + exc.start,
            ) from None
        consumed += len(block)
        line += text.count("\n")
        if text:
            yield text.lstrip("\ufeff") if consumed == len(block) else text
        if final:
            return


def transcode_to_utf8(path: Path, encoding: str, target: Path) -> Path:
    """Write ``path`` (any supported encoding, optionally gzip) to ``target`` as UTF-8."""
    with open_bytes(path) as raw, target.open("w", encoding=UTF8, newline="") as out:
        try:
            for text in _decoded_chunks(raw, encoding, path.name):
                out.write(text)
        except STREAM_ERRORS:
            raise damaged(path) from None
    return target


def blank_line_possible(path: Path) -> bool:
    """Whether a UTF-8 text file may contain an empty line (which CSV readers skip).

    A quick byte scan; a ``True`` makes the reader number rows the slow, exact way.
    """
    tail = b""
    with open_bytes(path) as handle:
        while block := handle.read(CHUNK):
            data = tail + block
            for pattern in (b"\n\n", b"\n\r\n", b"\r\r"):
                at = data.find(pattern)
                while at != -1:
                    if data[at:].strip(b"\r\n"):
                        return True
                    at = data.find(pattern, at + 1)
            tail = data[-3:]
    return False


def read_text_sample(path: Path, encoding: str, size: int = 256 * 1024) -> tuple[str, bool]:
    """The first ``size`` bytes decoded, and whether the whole file fit in them."""
    data = _head(path, size + 1)
    complete = len(data) <= size
    data = data[:size]
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=complete)
    return text.lstrip("\ufeff"), complete
